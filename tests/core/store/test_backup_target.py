"""A backup that cannot be written names the backup file and why, not the database (which is fine),
and leaves nothing behind. The read-only folder is tested in a child process that has given up
root's power to ignore file permissions (tests.powerless: CI runs as root)."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys

import pytest

from core.store import Store
from core.store.errors import DiskFullError, StoreReadOnlyError, translate_backup_target
from tests.conftest import ROOT
from tests.powerless import run_python_powerless
from tests.seeds import seed_form

ADVICE = "；数据库本身没有受影响，请换一个位置保存备份"


BACKUP_IN_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from core.store import Store
from core.store.errors import StoreError
with Store(sys.argv[2]) as store:
    try:
        store.backup(sys.argv[3], overwrite=True)
        print(json.dumps({"error": None}))
    except StoreError as exc:
        print(json.dumps({"error": str(exc), "kind": type(exc).__name__}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="drops Linux capabilities in the child")
def test_backup_into_a_read_only_folder_names_the_backup_file(tmp_path):
    db = tmp_path / "forms.sqlite3"
    with Store(db) as store:
        store.create_form(seed_form("A"))
    folder = tmp_path / "只读文件夹"
    folder.mkdir()
    target = folder / "备份.db"
    folder.chmod(0o555)
    try:
        result = run_python_powerless(BACKUP_IN_CHILD, str(ROOT), str(db), str(target))
    finally:
        folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said == {"error": f"无法写入备份文件 {target}：没有写入权限，或所在文件夹是只读的{ADVICE}",
                    "kind": "StoreReadOnlyError"}
    assert list(folder.iterdir()) == []
    with Store(db) as store:  # the database was not harmed
        assert len(store.list_forms()) == 1


def test_backup_under_a_file_instead_of_a_folder_names_the_backup_file(tmp_path):
    db = tmp_path / "forms.sqlite3"
    blocker = tmp_path / "不是文件夹.txt"
    blocker.write_text("x")
    target = blocker / "备份.db"
    with Store(db) as store:
        with pytest.raises(Exception) as raised:
            store.backup(target)
        assert str(raised.value) == f"无法写入备份文件 {target}：路径中有一段不是文件夹而是文件{ADVICE}"
        missing = tmp_path / "没有这个文件夹" / "备份.db"
        with pytest.raises(Exception) as raised:
            store.backup(missing)
        assert str(raised.value) == f"无法写入备份文件 {missing}：文件夹 {missing.parent} 不存在{ADVICE}"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["forms.sqlite3", "forms.sqlite3.lock",
                                                                  blocker.name, *_wal_files(tmp_path)])


def _wal_files(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm"))]


@pytest.mark.parametrize(("error", "kind", "reason"), [
    (OSError(errno.EROFS, "Read-only file system"), StoreReadOnlyError, "磁盘是只读的（例如写保护的U盘或光盘）"),
    (OSError(errno.ENOSPC, "No space left on device"), DiskFullError, "磁盘空间已满"),
    (PermissionError(errno.EACCES, "Permission denied"), StoreReadOnlyError, "没有写入权限，或所在文件夹是只读的"),
    (sqlite3.OperationalError("attempt to write a readonly database"), StoreReadOnlyError,
     "所在文件夹或磁盘是只读的（或没有写入权限）"),
    (sqlite3.OperationalError("database or disk is full"), DiskFullError, "磁盘空间已满"),
])
def test_each_cause_is_named_after_the_backup_file(error, kind, reason, tmp_path):
    target = tmp_path / "U盘" / "备份.db"
    result = translate_backup_target(error, target)
    assert isinstance(result, kind)
    assert str(result) == f"无法写入备份文件 {target}：{reason}{ADVICE}"
    assert "数据库 " not in str(result)  # the database is not blamed
