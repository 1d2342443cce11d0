"""The database's tables and the migrations that build and upgrade them.

`PRAGMA user_version` is the schema version; migration N takes a database from version N-1 to N
inside one transaction together with the version bump, so a power cut mid-upgrade leaves the old
version intact. A new database runs every migration from 1, so the upgrade path is exercised on
every install, not only on old files. Never edit a released migration: add the next one.

History:
  1  forms (one row per form, listing columns), revisions (the form as JSON, one row per revision),
     workbooks (the original xlsx bytes, shared by the sheets of one file)
  2  forms.total_score (listing without parsing JSON) and the settings table (unit settings)

Amounts and scores live inside the JSON as decimal strings and in TEXT columns; never REAL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported only when a migration runs (see core.store)
    import sqlite_utils

# "PSEF": marks the file as ours, so --db pointed at another program's SQLite file is refused.
APPLICATION_ID = 0x50534546

_V1 = """
CREATE TABLE workbooks (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    data BLOB NOT NULL,
    imported TEXT NOT NULL
);
CREATE TABLE forms (
    id INTEGER PRIMARY KEY,
    layout TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '填报中',
    code TEXT NOT NULL DEFAULT '',
    year TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    implementing_unit TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    current_revision INTEGER,
    source_file TEXT,
    source_sheet TEXT,
    workbook_id INTEGER REFERENCES workbooks(id)
);
CREATE INDEX forms_code_year ON forms(code, year);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    form_id INTEGER NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    sealed TEXT,
    restored_from INTEGER,
    data TEXT NOT NULL,
    UNIQUE (form_id, number)
);
"""


def _v1(db: sqlite_utils.Database, score_of: Callable[[str], str | None]) -> None:
    for statement in _V1.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _v2(db: sqlite_utils.Database, score_of: Callable[[str], str | None]) -> None:
    db.table("forms").add_column("total_score", str)
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    rows = db.execute(
        "SELECT forms.id, revisions.data FROM forms JOIN revisions ON revisions.id = forms.current_revision"
    ).fetchall()
    for form_id, data in rows:
        db.execute("UPDATE forms SET total_score = ? WHERE id = ?", (score_of(data), form_id))


# MIGRATIONS[n - 1] takes the schema from version n - 1 to n.
MIGRATIONS: tuple[Callable[[sqlite_utils.Database, Callable[[str], str | None]], None], ...] = (_v1, _v2)
SCHEMA_VERSION = len(MIGRATIONS)
