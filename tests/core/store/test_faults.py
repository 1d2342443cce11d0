"""Faults a clerk's PC throws at the database and the exports, each with the message that names the
real cause (issue 13): a read-only folder or file, a full disk, and a copy of the database taken
without its -wal file."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from core.atomic_write import ExportError, write_atomically
from core.fields import with_value
from core.store import Store
from core.store.errors import DiskFullError
from tests.conftest import run_main, run_main_powerless

posix_only = pytest.mark.skipif(os.name != "posix", reason="file permissions are POSIX here")


@pytest.fixture
def db(tmp_path, seed_a, seed_b):
    folder = tmp_path / "数据"
    folder.mkdir()
    path = folder / "forms.sqlite3"
    assert run_main("import", seed_a, seed_b, "--db", path).returncode == 0
    return path


@posix_only
def test_read_only_commands_work_in_a_read_only_folder(db):
    db.parent.chmod(0o555)
    try:
        listing = run_main_powerless("list", "--json", "--db", db)
        checked = run_main_powerless("check", "2", "--json", "--db", db)
        imported = run_main_powerless("import", db.parent.parent / "seed_a.xlsx", "--db", db)
    finally:
        db.parent.chmod(0o755)
    assert listing.returncode == 0, listing.stderr
    codes = [f["code"] for f in json.loads(listing.stdout)["forms"]]
    assert codes == ["440303241553147100001", "440303241553147400008"]
    assert checked.returncode == 0 and json.loads(checked.stdout)["forms"][0]["total_score"] == "99.23"
    assert imported.returncode == 1
    assert imported.stderr.strip() == (f"数据库所在文件夹 {db.parent} 是只读的，无法保存；"
                                       "请把数据库移到可写的位置（--db）")


@posix_only
def test_a_read_only_database_file_stops_an_export_before_anything_is_written(db, tmp_path):
    out = tmp_path / "out.xlsx"
    db.chmod(0o444)
    try:
        result = run_main_powerless("export-xlsx", "1", out, "--db", db)
    finally:
        db.chmod(0o644)
    assert result.returncode == 1
    assert result.stderr.strip() == f"数据库文件 {db} 是只读的，无法保存"
    assert not out.exists()
    assert sorted(p.name for p in db.parent.iterdir() if p.suffix != ".lock") == ["forms.sqlite3"]  # no -wal, -shm


def test_a_full_database_says_so_and_keeps_what_was_saved(db):
    with Store(db) as store:
        form = store.form(1)
        store._live.execute(f"PRAGMA max_page_count = {store._live.execute('PRAGMA page_count').fetchone()[0]:d}")
        with pytest.raises(DiskFullError) as error:
            store.save(1, with_value(form, "indicators[0].reason", "很长的说明" * 20_000))
        assert str(error.value) == f"磁盘空间已满，无法保存到 {db}；请清理磁盘后重试"
        assert store.form(1) == form


@contextlib.contextmanager
def tiny_disk(folder: Path, kilobytes: int):
    """A real, small filesystem (tmpfs) at `folder`; skips where mounting is not allowed."""
    folder.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root and the right to mount)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_disk(folder: Path) -> None:
    with contextlib.suppress(OSError), open(folder / "filler", "wb", buffering=0) as filler:
        while True:
            filler.write(b"\0" * 4096)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_every_command_on_a_full_disk_says_the_disk_is_full(db, tmp_path):
    with tiny_disk(tmp_path / "u盘", 512) as disk:
        target = disk / "forms.sqlite3"
        with Store(db, read_only=True) as store:
            store._live.execute(f"VACUUM INTO '{target}'")
        fill_disk(disk)
        expected = f"磁盘空间已满，无法保存到 {target}；请清理磁盘后重试"
        imported = run_main("import", tmp_path / "seed_a.xlsx", "--db", target)
        assert imported.returncode == 1 and imported.stderr.strip() == expected, imported.stderr
        # Reading still works: nothing has to be written to read.
        listing = run_main("list", "--json", "--db", target)
        assert listing.returncode == 0, listing.stderr
        assert len(json.loads(listing.stdout)["forms"]) == 2
        exported = run_main("export-xlsx", "1", disk / "out.xlsx", "--db", target)
        assert exported.returncode == 1 and expected in exported.stderr, exported.stderr
        assert not (disk / "out.xlsx").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_an_export_to_a_full_disk_says_so_in_chinese(db, tmp_path):
    with tiny_disk(tmp_path / "u盘", 256) as disk:
        fill_disk(disk)
        result = run_main("export-xlsx", "1", disk / "out.xlsx", "--db", db)
        assert result.returncode == 1
        assert result.stderr.strip() == f"无法写入 {disk / 'out.xlsx'}：磁盘空间已满"
        assert "No space" not in result.stderr and not (disk / "out.xlsx").exists()


@pytest.mark.parametrize("code,reason", [
    (errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "磁盘是只读的"), (errno.ENAMETOOLONG, "文件名过长"),
    (errno.EACCES, "没有写入权限，或文件正被其他程序（如 Excel/WPS、PDF 阅读器）打开"),
    (errno.ENOLINK, "系统错误（Link has been severed）")])
def test_os_reasons_a_clerk_can_meet_are_said_in_chinese(tmp_path, code, reason):
    target = tmp_path / "out.xlsx"

    def failing_write(temp: Path) -> None:  # what the disk answers, injected at the write
        raise OSError(code, os.strerror(code))

    with pytest.raises(ExportError) as error:
        write_atomically(target, failing_write, overwrite=False)
    assert str(error.value) == f"无法写入 {target}：{reason}"
    assert list(tmp_path.iterdir()) == []


def test_a_copy_of_the_database_file_alone_holds_every_saved_edit(db, tmp_path):
    with Store(db) as store:
        form = store.form(2)
        for i in range(40):  # a burst of autosaves, as typing gives
            form = with_value(form, "indicators[0].reason", f"第 {i} 次修改")
            form = with_value(form, "indicators[1].score", Decimal(i % 7))
            store.save(2, form)
        # The window is still open (the store is too): the clerk copies only forms.sqlite3.
        copy = tmp_path / "u盘副本.sqlite3"
        shutil.copyfile(db, copy)
    assert not Path(str(copy) + "-wal").exists()
    with Store(copy, read_only=True) as store:
        assert store.form(2) == form
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
