"""A database written by the previous schema version opens with the current code: upgraded in
place, after an automatic backup copy, with every form and revision intact."""

from __future__ import annotations

import json
import sqlite3

import pytest

from core.store import Store
from core.store.schema import APPLICATION_ID, SCHEMA_VERSION
from core.store.serialize import form_to_dict
from core.xlsx.reader import read_workbook
from tests.conftest import run_main
from tests.seeds import seed_workbook

# Schema version 1 exactly as that version wrote it: no forms.total_score, no settings table.
# Frozen here on purpose: the test must not follow later edits of the code it tests.
SCHEMA_V1 = """
CREATE TABLE workbooks (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, file_name TEXT NOT NULL,
    data BLOB NOT NULL, imported TEXT NOT NULL);
CREATE TABLE forms (id INTEGER PRIMARY KEY, layout TEXT NOT NULL, status TEXT NOT NULL DEFAULT '填报中',
    code TEXT NOT NULL DEFAULT '', year TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
    implementing_unit TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, updated TEXT NOT NULL,
    current_revision INTEGER, source_file TEXT, source_sheet TEXT, workbook_id INTEGER REFERENCES workbooks(id));
CREATE INDEX forms_code_year ON forms(code, year);
CREATE TABLE revisions (id INTEGER PRIMARY KEY, form_id INTEGER NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
    number INTEGER NOT NULL, reason TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, sealed TEXT,
    restored_from INTEGER, data TEXT NOT NULL, UNIQUE (form_id, number));
"""


def _canonical(form) -> str:
    return json.dumps(form_to_dict(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@pytest.fixture
def v1_database(tmp_path):
    """A version-1 database holding both seed forms, the first with two revisions."""
    forms = []
    for layout in ("A", "B"):
        path = seed_workbook(tmp_path / f"seed_{layout}.xlsx", layout)
        (sheet,) = read_workbook(path).forms
        forms.append((path, sheet))
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA_V1)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    stamp = "2024-12-30T16:00:00+08:00"
    for form_id, (path, sheet) in enumerate(forms, start=1):
        conn.execute("INSERT INTO workbooks VALUES (?, ?, ?, ?, ?)",
                     (form_id, f"sha{form_id}", path.name, path.read_bytes(), stamp))
        conn.execute("INSERT INTO forms (id, layout, code, year, name, implementing_unit, created, updated, "
                     "current_revision, source_file, source_sheet, workbook_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (form_id, sheet.form.layout, sheet.form.code, sheet.form.year, sheet.form.name,
                      sheet.form.implementing_unit, stamp, stamp, form_id, path.name, sheet.sheet, form_id))
        conn.execute("INSERT INTO revisions (id, form_id, number, reason, created, updated, sealed, data) "
                     "VALUES (?, ?, 1, 'import', ?, ?, 'import', ?)",
                     (form_id, form_id, stamp, stamp, _canonical(sheet.form)))
    older = json.loads(_canonical(forms[0][1].form))
    older["goal_actual"] = "第一版"
    conn.execute("INSERT INTO revisions (id, form_id, number, reason, created, updated, data) "
                 "VALUES (3, 1, 2, 'edit', ?, ?, ?)", (stamp, stamp, json.dumps(older, ensure_ascii=False)))
    conn.execute("UPDATE forms SET current_revision = 3 WHERE id = 1")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    return db, [sheet.form for _, sheet in forms]


def test_a_version_1_database_is_backed_up_then_upgraded_in_place_with_its_data_intact(v1_database):
    db, (form_a, form_b) = v1_database
    assert SCHEMA_VERSION == 2

    with Store(db) as store:
        backup = store.upgrade_backup
        assert store.form(1).goal_actual == "第一版"
        assert _canonical(store.revision_form(1, 1)) == _canonical(form_a)
        assert _canonical(store.form(2)) == _canonical(form_b)
        assert [(f.id, f.total_score) for f in store.list_forms()] == [(1, "99.83"), (2, "99.23")]
        assert [r.number for r in store.revisions(1)] == [1, 2]
        source = store.source_workbook(2)
        assert source is not None and source.data == (db.parent / "seed_B.xlsx").read_bytes()
        store.set_setting("preparer", "张三")  # the table version 2 added
        assert store.save(1, form_a, checkpoint=True).revision == 3

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # The copy taken before the upgrade is the old database, whole and still version 1.
    assert backup is not None and backup.parent == db.parent and "v1-backup" in backup.name
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM revisions").fetchone()[0] == 3
    assert "total_score" not in [row[1] for row in old.execute("PRAGMA table_info(forms)")]
    old.close()


def test_a_new_database_is_built_by_the_same_migrations_and_needs_no_backup(tmp_path):
    with Store(tmp_path / "new.sqlite3") as store:
        assert store.upgrade_backup is None
    assert list(tmp_path.glob("*backup*")) == []


def test_the_list_command_opens_an_old_database_and_upgrades_it(v1_database):
    db, _ = v1_database
    result = run_main("list", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    assert [f["total_score"] for f in json.loads(result.stdout)["forms"]] == ["99.83", "99.23"]
    assert len(list(db.parent.glob("old.v1-backup-*.sqlite3"))) == 1


def test_restoring_a_backup_made_by_the_previous_version_upgrades_it(v1_database, tmp_path):
    old, (form_a, _) = v1_database
    with Store(tmp_path / "current.sqlite3") as store:
        store.restore_backup(old)
        assert [f.total_score for f in store.list_forms()] == ["99.83", "99.23"]
        assert store.form(1).goal_actual == "第一版"
        assert store.upgrade_backup is not None
    conn = sqlite3.connect(tmp_path / "current.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
