"""The local store (core.store) on real SQLite files: revisions, import, settings, copy to next
year, backup and restore, and the refusals that must leave the file untouched."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from core.layouts import blank_form
from core.model import STATUSES, with_indicator
from core.store import DB_ENV, Store, lock_path, resolve_db_path
from core.store.errors import (
    DiskFullError,
    DuplicateFormError,
    FormNotFoundError,
    NewerDatabaseError,
    NotADatabaseError,
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    StoreMissingError,
    StoreReadOnlyError,
)
from core.store.schema import SCHEMA_VERSION
from core.store.serialize import form_to_dict
from core.store.unit_settings import UnitSettings
from core.xlsx.reader import read_workbook
from tests.seeds import seed_workbook


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self):
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=8)))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_sheets(tmp_path, layout="A"):
    path = seed_workbook(tmp_path / f"seed_{layout}.xlsx", layout)
    result = read_workbook(path)
    assert not result.problems
    return path, [(s.sheet, s.form) for s in result.forms]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    with Store(tmp_path / "forms.sqlite3", clock=clock) as opened:
        yield opened


@pytest.fixture
def seeded(store, tmp_path):
    path, sheets = seed_sheets(tmp_path)
    (result,) = store.import_workbook(path.name, path.read_bytes(), sheets)
    return result.id


# -- revisions ------------------------------------------------------------------------------------

def test_ten_edits_then_restoring_revision_3_gives_back_the_form_as_it_was_then(store, seeded):
    states = {1: store.form(seeded)}
    form = states[1]
    for i in range(10):
        form = with_indicator(form, i % len(form.indicators), reason=f"第{i}次修改", score=Decimal(i))
        result = store.save(seeded, form, checkpoint=True)
        assert result.new_revision and result.changed
        states[result.revision] = form
    assert [r.number for r in store.revisions(seeded)] == list(range(1, 12))

    result = store.restore(seeded, 3)

    assert result.revision == 12 and result.new_revision
    assert form_to_dict(store.form(seeded)) == form_to_dict(states[3])
    latest = store.revisions(seeded)[-1]
    assert (latest.reason, latest.restored_from) == ("restore", 3)
    # Nothing was lost: the state before the restore is still revision 11.
    assert form_to_dict(store.revision_form(seeded, 11)) == form_to_dict(states[11])


def test_typing_without_a_pause_keeps_updating_one_revision(store, seeded, clock):
    form = store.form(seeded)
    for i in range(30):
        clock.advance(seconds=20)
        form = with_indicator(form, 0, reason="原因" + "字" * i)
        store.save(seeded, form)
    assert len(store.revisions(seeded)) == 2  # the import, then one revision for the whole session
    assert store.form(seeded).indicators[0].reason == form.indicators[0].reason


def test_a_pause_longer_than_the_setting_starts_a_new_revision(store, seeded, clock):
    form = with_indicator(store.form(seeded), 0, reason="上午")
    store.save(seeded, form)
    clock.advance(minutes=4, seconds=59)
    assert not store.save(seeded, with_indicator(form, 0, reason="上午，续")).new_revision
    clock.advance(minutes=5)
    result = store.save(seeded, with_indicator(form, 0, reason="下午"))
    assert result.new_revision and result.revision == 3
    assert store.revision_form(seeded, 2).indicators[0].reason == "上午，续"


def test_the_pause_is_configurable(tmp_path, clock):
    with Store(tmp_path / "f.sqlite3", clock=clock, revision_pause=timedelta(seconds=30)) as store:
        form_id = store.create_form(blank_form("A"))
        store.save(form_id, replace(blank_form("A"), name="甲"))
        clock.advance(seconds=31)
        assert store.save(form_id, replace(blank_form("A"), name="乙")).new_revision


def test_an_explicit_save_seals_the_revision_and_the_next_edit_starts_a_new_one(store, seeded):
    form = with_indicator(store.form(seeded), 0, reason="甲")
    first = store.save(seeded, form)
    sealed = store.save(seeded, form, checkpoint=True)
    assert (sealed.revision, sealed.changed) == (first.revision, False)
    assert store.revisions(seeded)[-1].sealed == "save"
    assert store.save(seeded, with_indicator(form, 0, reason="乙")).new_revision


def test_saving_an_unchanged_form_writes_nothing(store, seeded, tmp_path):
    before = store.revisions(seeded)
    result = store.save(seeded, store.form(seeded))
    assert not result.changed and store.revisions(seeded) == before


def test_import_and_export_each_keep_their_state_as_a_revision(store, seeded):
    assert store.revisions(seeded)[0].sealed == "import"
    form = with_indicator(store.form(seeded), 0, reason="导出前")
    assert store.save(seeded, form).new_revision  # never typed into the imported revision
    store.mark_exported(seeded)
    assert store.get(seeded).status == "已导出"
    assert store.revisions(seeded)[-1].sealed == "export"
    assert store.save(seeded, with_indicator(form, 0, reason="导出后")).new_revision


def test_compare_lists_what_changed_between_two_revisions(store, seeded):
    form = store.form(seeded)
    store.save(seeded, replace(with_indicator(form, 2, score=Decimal("9.5")), goal_actual="改"), checkpoint=True)
    paths = [change.path for change in store.compare(seeded, 1, 2)]
    assert paths == ["goal_actual", "indicators[2].score"]


def test_status_is_one_of_the_three(store, seeded):
    store.set_status(seeded, "已审核")
    assert store.list_forms()[0].status == "已审核"
    with pytest.raises(ValueError):
        store.set_status(seeded, "完成")
    assert STATUSES == ("填报中", "已审核", "已导出")


# -- what is stored -------------------------------------------------------------------------------

def _numbers_in(value) -> list:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers_in(v)]
    return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def test_money_and_scores_are_stored_as_text_never_as_real(store, seeded):
    conn = sqlite3.connect(store.path)
    types = conn.execute("SELECT DISTINCT typeof(total_score) FROM forms").fetchall()
    (data,) = conn.execute("SELECT data FROM revisions").fetchone()
    conn.close()
    assert types == [("text",)]
    stored = json.loads(data)
    assert _numbers_in(stored) == [1]  # only the serialization format's version number
    assert Decimal(stored["fund_rows"][0]["executed"]) == Decimal("4481566.00")
    assert stored["indicators"][0]["score"] == "15"


def test_the_list_reads_its_columns_and_searches_name_code_and_unit(store, tmp_path):
    _, sheets_a = seed_sheets(tmp_path, "A")
    path_b, sheets_b = seed_sheets(tmp_path, "B")
    store.import_workbook("a.xlsx", b"a", sheets_a)
    store.import_workbook("b.xlsx", b"b", sheets_b)
    listed = store.list_forms()
    assert [(f.layout, f.total_score) for f in listed] == [("A", "99.83"), ("B", "99.23")]
    assert [f.name for f in store.list_forms("免费刻章")] == ["罗湖区新开办企业“免费刻章”项目"]
    assert [f.layout for f in store.list_forms("147400008")] == ["B"]
    assert [f.layout for f in store.list_forms("智慧城市")] == ["B"]
    assert store.list_forms("100%") == []  # % is a character here, not a wildcard


def test_a_workbook_with_many_sheets_imports_in_one_transaction(store, tmp_path):
    _, sheets = seed_sheets(tmp_path)
    broken = ("坏表", object())  # fails midway, after the first sheet was written
    with pytest.raises(AttributeError):
        store.import_workbook("two.xlsx", b"bytes", sheets + [broken])
    assert store.list_forms() == []
    assert sqlite3.connect(store.path).execute("SELECT count(*) FROM workbooks").fetchone()[0] == 0


def test_the_original_workbook_is_kept_with_the_form(store, tmp_path):
    path, sheets = seed_sheets(tmp_path)
    (result,) = store.import_workbook(path.name, path.read_bytes(), sheets)
    source = store.source_workbook(result.id)
    assert (source.file_name, source.sheet, source.data) == (path.name, sheets[0][0], path.read_bytes())
    assert store.source_workbook(store.create_form(blank_form("B"))) is None


def test_reimport_updates_the_form_as_a_new_revision_and_keeps_the_clerks_values(store, seeded, tmp_path):
    form = with_indicator(store.form(seeded), 5, reason="社会效益说明", grade="达成年度指标")
    store.save(seeded, replace(form, goal_actual="已全部完成"))
    _, sheets = seed_sheets(tmp_path)
    sheet, imported = sheets[0]
    imported = replace(imported, name="新名称", goal_actual="",
                       indicators=tuple(replace(row, actual="", score=None) for row in imported.indicators))
    (result,) = store.import_workbook("again.xlsx", b"new bytes", [(sheet, imported)])
    assert (result.id, result.outcome) == (seeded, "updated")
    merged = store.form(seeded)
    assert merged.name == "新名称" and merged.goal_actual == "已全部完成"
    assert merged.indicators[5].reason == "社会效益说明" and merged.indicators[5].grade == "达成年度指标"
    assert [row.actual for row in merged.indicators] == [row.actual for row in form.indicators]
    assert len(store.list_forms()) == 1
    assert [r.reason for r in store.revisions(seeded)] == ["import", "edit", "reimport"]
    assert store.source_workbook(seeded).data == b"new bytes"


def test_settings_are_kept_as_text(store):
    assert {f.name for f in __import__("dataclasses").fields(UnitSettings)} >= {
        "unit_leader", "finance_leader", "preparer", "phone", "pdf_font", "rule_profile"}
    store.set_setting("preparer", "张三")
    store.set_setting("phone", "0755-12345678")
    store.set_setting("preparer", "李四")
    assert store.settings() == {"preparer": "李四", "phone": "0755-12345678"}
    assert store.setting("unit_leader", "（未填）") == "（未填）"


def test_copy_from_last_year_makes_a_new_form_for_the_next_year_once(store, seeded):
    new_id = store.copy_to_next_year(seeded)
    copy = store.form(new_id)
    assert (copy.year, copy.code, copy.goal_actual) == ("2025", store.form(seeded).code, "")
    assert all(row.score is None and row.actual == "" for row in copy.indicators)
    assert store.revisions(new_id)[0].reason == "copy"
    with pytest.raises(DuplicateFormError, match="2025 年自评表已存在"):
        store.copy_to_next_year(seeded)


def test_delete_removes_the_form_its_revisions_and_its_unused_workbook(store, seeded):
    store.delete_form(seeded)
    assert store.list_forms() == []
    with pytest.raises(FormNotFoundError, match=f"没有编号为 {seeded} 的自评表"):
        store.get(seeded)
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT (SELECT count(*) FROM revisions) + (SELECT count(*) FROM workbooks)").fetchone()[0] == 0


# -- where the database is --------------------------------------------------------------------------

def test_db_path_comes_from_the_option_then_the_environment_then_the_data_folder(tmp_path):
    assert resolve_db_path("x.sqlite3", {DB_ENV: "y.sqlite3"}) == Path("x.sqlite3")
    assert resolve_db_path(None, {DB_ENV: "y.sqlite3"}) == Path("y.sqlite3")
    default = resolve_db_path(None, {})
    assert default.name == "forms.sqlite3" and "perf-self-eval" in str(default)


def test_the_database_is_in_wal_mode(store):
    assert store.journal_mode == "wal"
    assert sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- refusals ----------------------------------------------------------------------------------------

def test_a_second_writer_is_refused_at_once_with_a_chinese_message(store):
    with pytest.raises(StoreBusyError, match="正被另一个程序.*使用"):
        Store(store.path)
    with Store(store.path, read_only=True) as reader:  # readers are welcome
        assert reader.list_forms() == []


def test_the_lock_is_released_on_close(tmp_path):
    path = tmp_path / "f.sqlite3"
    Store(path).close()
    Store(path).close()
    assert lock_path(path).exists()


def test_a_read_only_store_refuses_writes(store, seeded):
    with Store(store.path, read_only=True) as reader:
        with pytest.raises(StoreReadOnlyError, match="只读"):
            reader.save(seeded, blank_form("A"))
        assert reader.form(seeded).name == store.form(seeded).name


def test_a_missing_database_is_not_created_by_a_reader(tmp_path):
    with pytest.raises(StoreMissingError, match="数据库文件不存在"):
        Store(tmp_path / "none.sqlite3", read_only=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [b"PK\x03\x04 this is an xlsx, not a database" * 50,
                                     "项目支出绩效自评表".encode() * 1000, b"x"])
def test_a_file_that_is_not_a_database_is_refused_and_left_unchanged(tmp_path, content):
    path = tmp_path / "not-a-db.sqlite3"
    path.write_bytes(content)
    for read_only in (False, True):
        with pytest.raises(NotADatabaseError, match="不是本程序的数据库"):
            Store(path, read_only=read_only)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-db.sqlite3", "not-a-db.sqlite3.lock"]


def test_another_programs_sqlite_database_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="别的程序"):
        Store(path)
    assert digest(path) == before


def test_a_database_from_a_newer_program_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "f.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(path)
    for read_only in (False, True):
        with pytest.raises(NewerDatabaseError, match="更新版本的程序"):
            Store(path, read_only=read_only)
    assert digest(path) == before


def test_a_database_locked_by_another_program_gives_a_message_instead_of_waiting_forever(store, seeded):
    # Another program (a database browser, say) holds SQLite's write lock, bypassing our lock file.
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="被另一个程序锁定"):
            store.save(seeded, with_indicator(store.form(seeded), 0, reason="锁住时的修改"))
        assert time.monotonic() - started < 10
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.save(seeded, with_indicator(store.form(seeded), 0, reason="解锁后的修改")).changed


def test_a_full_disk_loses_nothing_already_saved_and_says_so(store, seeded):
    saved = store.form(seeded)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own size cap gives the same SQLITE_FULL a full disk gives.
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    huge = with_indicator(saved, 0, reason="长" * 200_000)
    with pytest.raises(DiskFullError, match="磁盘空间已满"):
        store.save(seeded, huge)
    assert form_to_dict(store.form(seeded)) == form_to_dict(saved)
    store._conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert store.save(seeded, huge).changed
    assert integrity(store) == ["ok"]


# -- backup and restore ----------------------------------------------------------------------------

def test_backup_then_restore_brings_back_the_saved_state(store, seeded, tmp_path):
    saved = store.form(seeded)
    store.set_setting("preparer", "张三")
    backup = store.backup(tmp_path / "backup.sqlite3")
    store.save(seeded, replace(saved, name="备份后改的"))
    store.create_form(blank_form("B"))

    safety = store.restore_backup(backup)

    assert [f.name for f in store.list_forms()] == [saved.name]
    assert form_to_dict(store.form(seeded)) == form_to_dict(saved)
    assert store.setting("preparer") == "张三"
    assert integrity(store) == ["ok"] and store.journal_mode == "wal"
    with Store(safety, read_only=True) as before_restore:  # the replaced state was copied aside
        assert len(before_restore.list_forms()) == 2


def test_a_backup_is_one_self_contained_file_and_is_not_overwritten(store, seeded, tmp_path):
    backup = store.backup(tmp_path / "b.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("b.")) == ["b.sqlite3"]
    with pytest.raises(StoreError, match="已存在"):
        store.backup(backup)
    store.backup(backup, overwrite=True)


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page + 8, min(len(data), 3 * page), 7):  # scribble over the first table pages
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["scribbled", "truncated", "not a database"])
def test_a_damaged_backup_is_refused_and_the_current_database_is_untouched(store, seeded, tmp_path, damage):
    backup = store.backup(tmp_path / "backup.sqlite3")
    if damage == "scribbled":
        _corrupt(backup)
    elif damage == "truncated":
        backup.write_bytes(backup.read_bytes()[: 4096 * 2 + 100])
    else:
        backup.write_bytes(b"not a database at all" * 300)
    current = form_to_dict(store.form(seeded))
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(store.path)
    with pytest.raises((StoreCorruptError, NotADatabaseError)) as raised:
        store.restore_backup(backup)
    assert str(backup) in str(raised.value)
    assert digest(store.path) == before
    assert form_to_dict(store.form(seeded)) == current
    assert not list(tmp_path.glob("*before-restore*"))


def test_a_reimport_that_changes_a_checked_form_sets_it_back_to_in_progress(tmp_path):
    from tests.seeds import seed_form

    with Store(tmp_path / "s.sqlite3") as store:
        form = seed_form("A")
        (first,) = store.import_workbook("a.xlsx", b"x", [("A", form)])
        store.set_status(first.id, STATUSES[1])
        store.import_workbook("a.xlsx", b"x", [("A", form)])
        assert store.get(first.id).status == STATUSES[1]  # nothing changed: still checked
        store.import_workbook("a.xlsx", b"y", [("A", replace(form, name="新名字"))])
        assert store.get(first.id).status == STATUSES[0]


# -- rolling back a cancelled edit ------------------------------------------------------------------

def _snapshot(store, form_id):
    """Everything stored about one form: its listing row and every revision."""
    conn = store._conn
    form_row = conn.execute("SELECT * FROM forms WHERE id = ?", (form_id,)).fetchall()
    revisions = conn.execute("SELECT * FROM revisions WHERE form_id = ? ORDER BY number", (form_id,)).fetchall()
    return form_row, revisions


def test_rolling_back_a_cancelled_edit_gives_back_the_stored_form_exactly(store, seeded, clock):
    form = with_indicator(store.form(seeded), 0, reason="甲")
    store.save(seeded, form)
    before = _snapshot(store, seeded)
    point = store.save_point(seeded)
    clock.advance(seconds=30)
    store.save(seeded, with_indicator(form, 0, reason="甲乙"))
    store.set_status(seeded, STATUSES[0])
    assert store.roll_back_to(point)
    assert _snapshot(store, seeded) == before


def test_rolling_back_deletes_a_revision_the_cancelled_edit_started(store, seeded, clock):
    store.save(seeded, store.form(seeded), checkpoint=True)  # sealed: the next write starts revision 2
    store.set_status(seeded, STATUSES[1])
    before = _snapshot(store, seeded)
    point = store.save_point(seeded)
    clock.advance(minutes=1)
    assert store.save(seeded, with_indicator(store.form(seeded), 0, reason="打了一半")).new_revision
    store.set_status(seeded, STATUSES[0])  # what the window does after an edit to a checked form
    assert store.roll_back_to(point)
    assert _snapshot(store, seeded) == before
    assert [r.number for r in store.revisions(seeded)] == [1]
    assert store.get(seeded).status == STATUSES[1]


def test_rolling_back_never_takes_back_a_sealed_revision(store, seeded, clock):
    point = store.save_point(seeded)
    store.save(seeded, with_indicator(store.form(seeded), 0, reason="已保存的"), checkpoint=True)
    after = _snapshot(store, seeded)
    assert not store.roll_back_to(point)
    assert _snapshot(store, seeded) == after


def test_an_edit_puts_a_checked_or_exported_form_back_in_progress_and_says_so(tmp_path, seed_b):
    from core.fields import with_value
    from core.importing import import_file

    with Store(tmp_path / "forms.sqlite3") as store:
        (result,) = import_file(store, seed_b).results
        form = store.form(result.id)
        store.mark_exported(result.id)
        unchanged = store.save(result.id, form)
        assert (unchanged.status, unchanged.status_changed) == ("已导出", False)
        edited = store.save(result.id, with_value(form, "indicators[0].reason", "导出后补充"))
        assert (edited.status, edited.status_changed) == ("填报中", True)
        assert store.get(result.id).status == "填报中"
        store.set_status(result.id, "已审核")
        again = store.save(result.id, with_value(form, "indicators[0].reason", "审核后又改"))
        assert (again.status, again.status_changed) == ("填报中", True)


def integrity(store: Store) -> list[str]:
    """SQLite's own verdict on the open database file."""
    return [row[0] for row in store._live.execute("PRAGMA integrity_check(20)").fetchall()]
