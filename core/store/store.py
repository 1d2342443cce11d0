"""The local SQLite store: every form, its revisions, the workbooks they came from, unit settings.

One `Store(path)` is opened at start-up and passed to whatever needs it; nothing here is global.
Contract and hazards:

- Every public write is one transaction (BEGIN IMMEDIATE ... COMMIT) in WAL mode with
  synchronous=FULL: when a method returns, the change is on disk and survives a power cut; when
  it raises, nothing of it is in the file. `with store.transaction():` groups several writes.
- One writer at a time: a writer holds an OS lock on "<db>.lock" while open; a second writer gets
  StoreBusyError at once (never waits, never interleaves). `Store(path, read_only=True)` takes no
  lock and may read while a writer is open.
- Every failure is a StoreError subclass with a Chinese message naming the file (core.store.errors).
- Revisions: `save()` keeps the current revision up to date while the clerk types; a new revision
  starts when the last save is older than `revision_pause` (default 5 minutes), and after a
  revision is sealed — by an explicit save (`save(..., checkpoint=True)`, Ctrl+S), an export
  (`mark_exported`), an import or a restore. Saving an unchanged form writes nothing.
- Forms are stored as the JSON of core.store.serialize (decimals as strings) plus TEXT listing columns;
  no number is ever a float in the file.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import platformdirs

from core.arithmetic import compute
from core.form_diff import Change, diff_forms
from core.identity import identity_of
from core.layouts import points_format
from core.merge import merge_reimport
from core.model import EXPORTED, IN_PROGRESS, STATUSES, Form
from core.next_year import next_year_form
from core.numbers import format_number
from core.profile import Profile, default_profile
from core.store.errors import (
    DuplicateFormError,
    FormNotFoundError,
    NewerDatabaseError,
    NotADatabaseError,
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreMissingError,
    StoreReadOnlyError,
    translate,
    translate_backup_target,
)
from core.store.lock import LockBusy, WriterLock
from core.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from core.store.serialize import form_from_dict, form_to_dict

if TYPE_CHECKING:
    import sqlite_utils

_Method = TypeVar("_Method", bound=Callable[..., Any])

APP_NAME = "perf-self-eval"
DB_ENV = "PERF_SELF_EVAL_DB"
DB_FILE_NAME = "forms.sqlite3"
DEFAULT_PAUSE = timedelta(minutes=5)
BUSY_TIMEOUT_SECONDS = 2.0
# The forms table of 10 000 forms is ~3 MB; SQLite's default 2 MB cache would reread it per listing.
CACHE_KIB = 32_000

# Unit settings the window and the PDF use: key -> what the window calls it.

# Why a revision started, and what sealed it; the window shows the Chinese words.
REVISION_REASONS = {"create": "新建", "import": "导入", "reimport": "重新导入", "copy": "复制上年",
                    "edit": "编辑", "restore": "恢复历史版本"}
SEAL_REASONS = {"save": "保存", "export": "导出", "import": "导入", "restore": "恢复"}



def _utils_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over our connection, for the migrations. Imported only when a schema changes:
    it costs a quarter of a second at start-up (it pulls in numpy where that is installed)."""
    import sqlite_utils

    # Third-party sqlite-utils plugins must not run inside the clerks' database connection.
    options: dict[str, Any] = {"execute_plugins": False} if "execute_plugins" in inspect.signature(
        sqlite_utils.Database).parameters else {}
    return sqlite_utils.Database(conn, **options)


def default_db_path() -> Path:
    """The database in the user's data folder (e.g. %LOCALAPPDATA%\\perf-self-eval on Windows)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / DB_FILE_NAME


def resolve_db_path(explicit: str | os.PathLike | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """--db PATH, else $PERF_SELF_EVAL_DB, else the default under the user's data folder."""
    if explicit:
        return Path(explicit)
    if environ.get(DB_ENV, "").strip():
        return Path(environ[DB_ENV].strip())
    return default_db_path()


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class FormSummary(NamedTuple):
    """One line of the form list, read from columns (never from the JSON). A NamedTuple, not a
    frozen dataclass: building 10 000 of those took 70 ms of the list's 100 ms budget."""

    id: int
    code: str
    year: str
    name: str
    implementing_unit: str
    layout: str
    status: str
    total_score: str | None
    created: str
    updated: str

    def as_json(self) -> dict:
        year = self.year.strip()
        return {"id": self.id, "code": self.code, "name": self.name,
                "year": int(year) if year.isascii() and year.isdigit() else None,
                "layout": self.layout, "status": self.status, "total_score": self.total_score,
                "updated": self.updated}


@dataclass(frozen=True)
class StoredForm:
    id: int
    form: Form
    status: str
    created: str
    updated: str
    revision: int  # the current revision's number
    source_file: str | None
    source_sheet: str | None


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    reason: str  # a REVISION_REASONS key
    created: str
    updated: str
    sealed: str | None  # a SEAL_REASONS key, None while it is still being typed into
    restored_from: int | None


@dataclass(frozen=True)
class SaveResult:
    """What a write changed: the revision now current, whether it is new, whether anything changed,
    and the form's status after it (an edit puts a checked or exported form back to 填报中)."""

    form_id: int
    revision: int
    new_revision: bool
    changed: bool
    status: str = IN_PROGRESS
    status_changed: bool = False


@dataclass(frozen=True)
class ImportResult:
    id: int
    sheet: str
    code: str
    year: str
    name: str
    outcome: str  # "new" | "updated"
    unit: str = ""  # 实施单位: names a form whose layout has no code
    changed: int = 0  # "updated": how many fields the file changed (0: the file held what was stored)


@dataclass(frozen=True)
class SourceWorkbook:
    file_name: str
    sheet: str | None
    data: bytes


@dataclass(frozen=True)
class SavePoint:
    """A form's stored state at one moment (Store.save_point), to go back to (Store.roll_back_to)."""

    form_id: int
    form_row: tuple  # the forms row's changeable columns, in _SAVE_POINT_COLUMNS order
    revision: tuple  # (id, number, updated, sealed, data) of the revision current then

    @property
    def listing(self) -> dict:
        """The form's listing then (code, name, status, total_score, updated, ...)."""
        return dict(zip(_SAVE_POINT_COLUMNS, self.form_row, strict=True))


_SAVE_POINT_COLUMNS = ("layout", "code", "year", "name", "implementing_unit", "total_score", "status", "updated",
                       "current_revision")


@dataclass(frozen=True)
class _Revision:
    id: int
    number: int
    data: str
    updated: str
    sealed: str | None


def _now() -> datetime:
    return datetime.now().astimezone()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _file_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


def _dump(form: Form) -> str:
    # Canonical JSON: equal forms give equal text, so an unchanged save can be detected cheaply.
    return json.dumps(form_to_dict(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _guarded(doing: str) -> Callable[[_Method], _Method]:
    """Turn sqlite3 and OS errors into StoreErrors naming the database file."""

    def wrap(method: _Method) -> _Method:
        @functools.wraps(method)
        def inner(self: Store, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except StoreError:
                raise
            except (sqlite3.Error, OSError) as exc:
                raise translate(exc, self.path, doing) from exc
        return cast(_Method, inner)

    return wrap


def _inserted(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made."""
    assert cursor.lastrowid is not None  # None only before any INSERT on the connection
    return cursor.lastrowid


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # pragma: no cover - Windows cannot open a folder; NTFS journals renames
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_foreign_file(path: Path) -> None:
    """SQLite treats a short file of any content as an empty database and would write over it:
    look at the header ourselves first. An empty (0-byte) file is a new database."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    if head and head != SQLITE_MAGIC:
        raise NotADatabaseError(f"{path} 不是本程序的数据库文件（可能是别的文件或已损坏），没有做任何修改")


def _about_the_target(exc: sqlite3.Error) -> bool:
    """During a copy (backup API) the source is only read: an error that says it cannot open,
    write or fill a file is about the copy."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    return code in (3, 8, 13, 14) or any(word in text for word in ("readonly", "read-only", "unable to open",
                                                                   "disk is full"))


def _connect_read_only(path: Path, immutable: bool = False) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)


def _wal_holds_data(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def read_only_folder_message(path: Path) -> str:
    return f"数据库所在文件夹 {path.parent} 是只读的，无法保存；请把数据库移到可写的位置（--db）"


def verify_database_file(path: str | os.PathLike) -> int:
    """The schema version of a database or backup file that is ours, readable and passes
    `PRAGMA integrity_check`. Raises a StoreError otherwise; opens the file read-only."""
    path = Path(path)
    if not path.is_file():
        raise StoreMissingError(f"文件不存在：{path}")
    conn = None
    try:
        if path.stat().st_size == 0:
            raise NotADatabaseError(f"{path} 是空文件，不是本程序的数据库或备份文件")
        _refuse_foreign_file(path)
        conn = _connect_read_only(path)
        version, app_id = conn.execute("PRAGMA user_version").fetchone()[0], \
            conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotADatabaseError(f"{path} 不是本程序的数据库或备份文件")
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(
                f"{path} 由更新版本的程序创建（数据库版本 {version}，本程序只支持到 {SCHEMA_VERSION}），请使用新版程序")
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)").fetchall()]
        if problems != ["ok"]:
            raise StoreCorruptError(f"{path} 已损坏，未通过完整性检查：{'；'.join(problems[:3])}")
        return version
    except StoreError:
        raise
    except sqlite3.Error as exc:
        error = translate(exc, path, "读取")
        if isinstance(error, NotADatabaseError):
            raise NotADatabaseError(f"{path} 不是本程序的数据库或备份文件（或已损坏）") from exc
        raise StoreCorruptError(f"{path} 已损坏或无法读取：{exc}") from exc
    finally:
        if conn is not None:
            conn.close()


def restore_backup_file(source: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Put a backup in place as the database file `dest`, which must not exist (the database was
    deleted or lost). The backup is checked first (ours, not newer, passes integrity_check), copied
    through SQLite's backup API to a temporary file beside `dest` and renamed; opening `dest`
    afterwards upgrades an older backup as usual. Raises a StoreError; `dest` is untouched then."""
    source, dest = Path(source), Path(dest)
    verify_database_file(source)
    if dest.exists():
        raise StoreError(f"{dest} 已存在，没有覆盖")
    part = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        reader = _connect_read_only(source)
        target = sqlite3.connect(str(part), isolation_level=None)
        try:
            reader.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
            reader.close()
        _fsync_file(part)
        os.replace(part, dest)
        _fsync_dir(dest.parent)
    except (sqlite3.Error, OSError) as exc:
        part.unlink(missing_ok=True)
        raise translate(exc, dest, "恢复备份") from exc
    return dest


class Store:
    """The open database. Use as a context manager or call close().

    `profile` gives the total score shown in the form list; `clock` (returning an aware datetime)
    and `revision_pause` make the revision policy testable. Use a Store from the thread that
    opened it (sqlite3's default); a worker thread should open its own read-only Store.
    """

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False, profile: Profile | None = None,
                 revision_pause: timedelta = DEFAULT_PAUSE, clock: Callable[[], datetime] | None = None):
        self.path = Path(path)
        self.read_only = read_only
        self.profile = profile or default_profile()
        self.revision_pause = revision_pause
        self.upgrade_backup: Path | None = None  # the copy taken before a schema upgrade, if any
        self.journal_mode = ""
        self._clock = clock or _now
        self._lock: WriterLock | None = None
        self._conn: sqlite3.Connection | None = None
        self._utils: sqlite_utils.Database | None = None  # sqlite-utils' view of the connection, made when first needed
        self._depth = 0
        try:
            if read_only:
                self._open_read_only()
            else:
                self._open_writer()
        except BaseException as exc:
            self.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise translate(exc, self.path, "打开") from exc
            raise

    # -- opening ------------------------------------------------------------------------------

    def _open_writer(self) -> None:
        if self.path.is_dir():
            raise StoreError(f"{self.path} 是一个文件夹，不是数据库文件")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(self.path.parent, os.W_OK):  # the lock, the journal and backups live there
            raise StoreReadOnlyError(read_only_folder_message(self.path))
        lock = WriterLock(lock_path(self.path))
        try:
            lock.acquire()
        except LockBusy as busy:
            who = f"（进程号 {busy.holder}）" if busy.holder else ""
            raise StoreBusyError(
                f"数据库 {self.path} 正被另一个程序{who}使用（可能是另一个已打开的窗口或正在运行的命令），"
                "请先关闭它再试") from None
        self._lock = lock
        _refuse_foreign_file(self.path)
        if self.path.exists() and not os.access(self.path, os.W_OK):
            # Checked before SQLite opens it, which would leave empty -wal/-shm files behind.
            raise StoreReadOnlyError(f"数据库文件 {self.path} 是只读的，无法保存")
        self._attach(sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None))
        version = self._check_version()
        # WAL: readers never block the writer; FULL: each commit is fsynced, so a saved edit survives
        # a power cut and not only a killed process.
        self.journal_mode = self._live.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        self._live.execute("PRAGMA synchronous=FULL")
        self._live.execute("PRAGMA foreign_keys=ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)
        # Fails with SQLITE_READONLY on a read-only file or disk, before any real write is tried.
        self._live.execute("BEGIN IMMEDIATE")
        self._live.execute("ROLLBACK")

    def _open_read_only(self) -> None:
        if not self.path.is_file():
            raise StoreMissingError(f"数据库文件不存在：{self.path}")
        _refuse_foreign_file(self.path)
        try:
            self._attach(_connect_read_only(self.path))
            version = self._check_version()
        except sqlite3.OperationalError:
            # A WAL database needs its -shm file even to be read; in a read-only folder or on a full
            # disk it cannot be made. Without a -wal file nobody is writing and the main file holds
            # every saved edit (saves checkpoint): read it as an immutable file.
            if _wal_holds_data(self.path):
                raise
            if self._conn is not None:
                self._conn.close()
            self._attach(_connect_read_only(self.path, immutable=True))
            version = self._check_version()
        if version < SCHEMA_VERSION:
            # An older database is upgraded in place (with its backup) by a short writer open.
            self._live.close()
            Store(self.path, profile=self.profile).close()
            self._attach(_connect_read_only(self.path))
            self._check_version()

    def _attach(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._utils = None

    @property
    def _live(self) -> sqlite3.Connection:
        """The connection, which every method but close() needs open."""
        if self._conn is None:
            raise StoreError(f"数据库 {self.path} 已关闭")
        return self._conn

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite_utils.Database (migrations use it)."""
        if self._utils is None:
            self._utils = _utils_database(self._live)
        return self._utils

    def _check_version(self) -> int:
        """The schema version; refuses another program's database and a newer one, unchanged."""
        version = self._live.execute("PRAGMA user_version").fetchone()[0]
        app_id = self._live.execute("PRAGMA application_id").fetchone()[0]
        has_tables = self._live.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone()
        if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or has_tables):
            raise NotADatabaseError(f"{self.path} 是别的程序的 SQLite 数据库，不是本程序的数据库，没有做任何修改")
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(
                f"数据库 {self.path} 由更新版本的程序创建（数据库版本 {version}，本程序只支持到 {SCHEMA_VERSION}），"
                "请使用新版程序打开；没有做任何修改")
        return version

    def _migrate(self, version: int) -> None:
        if version > 0:  # existing data: keep a copy of the old file before touching it
            self.upgrade_backup = self._unique_sibling(f"v{version}-backup")
            self._write_copy(self.upgrade_backup)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                MIGRATIONS[target - 1](self.db, self._score_of_data)
                self._live.execute(f"PRAGMA user_version = {target}")

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Writes inside commit together or not at all. Nested blocks join the outer transaction;
        an exception anywhere inside rolls back the whole of it."""
        self._require_writer()
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        try:
            self._live.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "写入") from exc
        self._depth = 1
        try:
            yield self
            self._live.execute("COMMIT")
        except BaseException as exc:
            if self._live.in_transaction:
                self._live.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise translate(exc, self.path, "写入") from exc
            raise
        finally:
            self._depth = 0
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Move what was just committed from the -wal file into the database file, so a clerk who
        copies only the .db file (the natural backup to a USB stick) has every saved edit. Passive:
        it never waits; when a reader holds old pages, the next commit catches up."""
        # The edit is committed in the -wal file; a checkpoint is only a convenience.
        with suppress(sqlite3.Error):
            self._live.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _require_writer(self) -> None:
        if self._conn is None:
            raise StoreError(f"数据库 {self.path} 已关闭")
        if self.read_only:
            raise StoreReadOnlyError(f"数据库 {self.path} 以只读方式打开，不能修改")

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
                self._utils = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        moment = self._clock()
        return moment if moment.tzinfo else moment.astimezone()

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        if self._conn is None:
            raise StoreError(f"数据库 {self.path} 已关闭")
        return self._conn.execute(sql, params).fetchall()

    def _score_of(self, form: Form) -> str | None:
        """Σ 得分 for the list. Never lets a bug in the arithmetic stop a clerk's save."""
        try:
            return format_number(compute(form, self.profile).total_score, points_format(form.layout))
        except Exception:  # noqa: BLE001 - a listing column is not worth losing an edit over
            return None

    def _score_of_data(self, data: str) -> str | None:
        try:
            return self._score_of(form_from_dict(json.loads(data)))
        except Exception:  # any error: same as above, for the upgrade backfill
            return None

    def _load(self, data: str, form_id: int) -> Form:
        try:
            return form_from_dict(json.loads(data))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreCorruptError(f"数据库 {self.path} 中编号 {form_id} 的自评表数据无法读取（{exc}）") from exc

    def _current(self, form_id: int) -> _Revision:
        rows = self._rows(
            "SELECT r.id, r.number, r.data, r.updated, r.sealed FROM forms f "
            "JOIN revisions r ON r.id = f.current_revision WHERE f.id = ?", (form_id,))
        if not rows:
            raise FormNotFoundError(f"数据库 {self.path} 中没有编号为 {form_id} 的自评表")
        return _Revision(*rows[0])

    def _paused(self, last_write: str, now: datetime) -> bool:
        try:
            then = datetime.fromisoformat(last_write)
        except ValueError:
            return True
        return abs(now - then) >= self.revision_pause

    def _listing(self, form: Form) -> tuple:
        return form.layout, form.code, form.year, form.name, form.implementing_unit, self._score_of(form)

    def _insert_form(self, form: Form, reason: str, sealed: str | None,
                     source: tuple[str, str, int] | None = None) -> int:
        stamp = _stamp(self._now())
        source_file, source_sheet, workbook_id = source or (None, None, None)
        cursor = self._live.execute(
            "INSERT INTO forms (layout, code, year, name, implementing_unit, total_score, status, created, updated, "
            "source_file, source_sheet, workbook_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*self._listing(form), IN_PROGRESS, stamp, stamp, source_file, source_sheet, workbook_id))
        form_id = _inserted(cursor)
        revision_id = self._live.execute(
            "INSERT INTO revisions (form_id, number, reason, created, updated, sealed, data) "
            "VALUES (?, 1, ?, ?, ?, ?, ?)", (form_id, reason, stamp, stamp, sealed, _dump(form))).lastrowid
        self._live.execute("UPDATE forms SET current_revision = ? WHERE id = ?", (revision_id, form_id))
        return form_id

    def _write(self, form_id: int, form: Form, *, reason: str = "edit", new_revision: bool = False,
               seal: str | None = None, restored_from: int | None = None, even_if_unchanged: bool = False
               ) -> SaveResult:
        """The one place a stored form changes. Call inside a transaction."""
        data = _dump(form)
        now = self._now()
        stamp = _stamp(now)
        current = self._current(form_id)
        if data == current.data and not even_if_unchanged:
            if seal and not current.sealed:
                self._live.execute("UPDATE revisions SET sealed = ? WHERE id = ?", (seal, current.id))
            return SaveResult(form_id, current.number, False, False)
        start_new = new_revision or current.sealed is not None or self._paused(current.updated, now)
        changed = data != current.data
        if start_new:
            number = current.number + 1
            revision_id = self._live.execute(
                "INSERT INTO revisions (form_id, number, reason, created, updated, sealed, restored_from, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (form_id, number, reason, stamp, stamp, seal, restored_from, data)).lastrowid
        else:
            number, revision_id = current.number, current.id
            self._live.execute("UPDATE revisions SET data = ?, updated = ?, sealed = ? WHERE id = ?",
                               (data, stamp, seal, revision_id))
        self._live.execute(
            "UPDATE forms SET layout = ?, code = ?, year = ?, name = ?, implementing_unit = ?, total_score = ?, "
            "updated = ?, current_revision = ? WHERE id = ?",
            (*self._listing(form), stamp, revision_id, form_id))
        return SaveResult(form_id, number, start_new, changed)

    def _unique_sibling(self, label: str) -> Path:
        stamp = _file_stamp(self._now())
        stem, suffix = self.path.stem, self.path.suffix or ".sqlite3"
        candidate = self.path.with_name(f"{stem}.{label}-{stamp}{suffix}")
        counter = 2
        while candidate.exists():
            candidate = self.path.with_name(f"{stem}.{label}-{stamp}-{counter}{suffix}")
            counter += 1
        return candidate

    def _write_copy(self, dest: Path) -> None:
        """A consistent single-file copy of the database at `dest`, checked, then renamed into place."""
        part = dest.with_name(dest.name + ".part")
        part.unlink(missing_ok=True)
        target = sqlite3.connect(str(part), isolation_level=None)
        try:
            self._live.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file beside it
            problems = [row[0] for row in target.execute("PRAGMA integrity_check(20)").fetchall()]
            if problems != ["ok"]:
                raise StoreCorruptError(f"数据库 {self.path} 未通过完整性检查，未生成备份：{'；'.join(problems[:3])}")
        except BaseException:
            target.close()
            part.unlink(missing_ok=True)
            raise
        target.close()
        _fsync_file(part)
        os.replace(part, dest)
        _fsync_dir(dest.parent)

    # -- forms --------------------------------------------------------------------------------

    @_guarded("读取")
    def list_forms(self, search: str = "") -> list[FormSummary]:
        """Every form (by id), or those whose name, code or unit contains `search`."""
        sql = ("SELECT id, code, year, name, implementing_unit, layout, status, total_score, created, updated "
               "FROM forms")
        params: tuple = ()
        if search.strip():
            pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql += (" WHERE name LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\' "
                    "OR implementing_unit LIKE ? ESCAPE '\\'")
            params = (pattern, pattern, pattern)
        return list(map(FormSummary._make, self._rows(sql + " ORDER BY id", params)))

    @_guarded("读取")
    def get(self, form_id: int) -> StoredForm:
        rows = self._rows(
            "SELECT f.status, f.created, f.updated, f.source_file, f.source_sheet, r.number, r.data "
            "FROM forms f JOIN revisions r ON r.id = f.current_revision WHERE f.id = ?", (form_id,))
        if not rows:
            raise FormNotFoundError(f"数据库 {self.path} 中没有编号为 {form_id} 的自评表")
        status, created, updated, source_file, source_sheet, number, data = rows[0]
        return StoredForm(form_id, self._load(data, form_id), status, created, updated, number,
                          source_file, source_sheet)

    def form(self, form_id: int) -> Form:
        return self.get(form_id).form

    @_guarded("读取")
    def current_texts(self, year: str | None = None) -> list[tuple[int, str, str]]:
        """(id, status, stored text) of every form's current revision, by id, in one query — or only
        those of one 绩效自评年度 (compared without surrounding spaces). The text is exact (decimals as
        written), so a caller may keep what it derived from a form by it; load_form() reads it."""
        sql = "SELECT f.id, f.status, r.data FROM forms f JOIN revisions r ON r.id = f.current_revision"
        params: tuple = ()
        if year is not None:
            sql += " WHERE TRIM(f.year) = ?"
            params = (year.strip(),)
        return [(form_id, status, data) for form_id, status, data in self._rows(sql + " ORDER BY f.id", params)]

    def load_form(self, data: str, form_id: int) -> Form:
        """The form a current_texts() text holds; StoreCorruptError (naming the form) when unreadable."""
        return self._load(data, form_id)

    @_guarded("读取")
    def find(self, code: str, year: str) -> int | None:
        """The form with this project code and year (the most recently updated, should there be two)."""
        rows = self._rows("SELECT id FROM forms WHERE code = ? AND year = ? ORDER BY updated DESC, id DESC LIMIT 1",
                          (code, year))
        return rows[0][0] if rows else None

    @_guarded("读取")
    def find_same(self, form: Form) -> int | None:
        """The stored form with the same identity (core.identity): code + year where the layout has
        a code, otherwise 项目名称 + year + 实施单位; None when there is none, or when what identifies
        the form is not filled in."""
        wanted = identity_of(form)
        if wanted is None:
            return None
        if wanted.by_code:
            return self.find(wanted.code, wanted.year)
        rows = self._rows("SELECT id, layout, name, implementing_unit FROM forms WHERE year = ? AND code = '' "
                          "ORDER BY updated DESC, id DESC", (form.year.strip(),))
        for form_id, layout, name, unit in rows:
            stored = Form(layout=layout, name=name, year=form.year, implementing_unit=unit)
            if identity_of(stored) == wanted:
                return form_id
        return None

    @_guarded("写入")
    def create_form(self, form: Form) -> int:
        """A new form (e.g. a blank one); its first revision is sealed only by the clerk's first save."""
        with self.transaction():
            return self._insert_form(form, "create", None)

    @_guarded("保存")
    def save(self, form_id: int, form: Form, *, checkpoint: bool = False) -> SaveResult:
        """Autosave: call after every edit. `checkpoint=True` is the explicit save (Ctrl+S): the
        next edit then starts a new revision. An edit of a form that was 已审核 or 已导出 puts it
        back to 填报中: the check or the exported file no longer matches it."""
        with self.transaction():
            result = self._write(form_id, form, seal="save" if checkpoint else None)
            return self._back_in_progress(result)

    def _back_in_progress(self, result: SaveResult) -> SaveResult:
        status = self._rows("SELECT status FROM forms WHERE id = ?", (result.form_id,))[0][0]
        if not result.changed or status == IN_PROGRESS:
            return replace(result, status=status)
        self._live.execute("UPDATE forms SET status = ? WHERE id = ?", (IN_PROGRESS, result.form_id))
        return replace(result, status=IN_PROGRESS, status_changed=True)

    @_guarded("写入")
    def set_status(self, form_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.transaction():
            cursor = self._live.execute("UPDATE forms SET status = ?, updated = ? WHERE id = ?",
                                        (status, _stamp(self._now()), form_id))
            if cursor.rowcount == 0:
                raise FormNotFoundError(f"数据库 {self.path} 中没有编号为 {form_id} 的自评表")

    @_guarded("写入")
    def mark_exported(self, form_id: int) -> None:
        """After an export: status 已导出, and the exported state is kept as its own revision."""
        with self.transaction():
            current = self._current(form_id)
            self._live.execute("UPDATE revisions SET sealed = 'export' WHERE id = ?", (current.id,))
            self._live.execute("UPDATE forms SET status = ?, updated = ? WHERE id = ?",
                               (EXPORTED, _stamp(self._now()), form_id))

    @_guarded("删除")
    def delete_form(self, form_id: int) -> None:
        """The form and all its revisions (the window asks first; a backup still has them)."""
        with self.transaction():
            self._current(form_id)
            self._live.execute("DELETE FROM revisions WHERE form_id = ?", (form_id,))
            self._live.execute("DELETE FROM forms WHERE id = ?", (form_id,))
            self._drop_unused_workbooks()

    @_guarded("写入")
    def copy_to_next_year(self, form_id: int) -> int:
        """复制上年: a new form for year N+1 (core.next_year). DuplicateFormError if it exists."""
        with self.transaction():
            source = self.form(form_id)
            if source.year_number is None:
                raise StoreError(f"编号 {form_id} 的自评表年度“{source.year}”不是数字，无法复制到下一年")
            copy = next_year_form(source)
            existing = self.find_same(copy)
            if existing is not None:
                same = identity_of(copy)
                assert same is not None  # find_same found it by its identity
                raise DuplicateFormError(f"{same.describe()}自评表已存在（编号 {existing}），没有重复复制",
                                         existing)
            return self._insert_form(copy, "copy", None)

    # -- import -------------------------------------------------------------------------------

    @_guarded("导入")
    def import_workbook(self, file_name: str, data: bytes, sheets: Sequence[tuple[str, Form]]) -> list[ImportResult]:
        """The forms read from one workbook, all in one transaction, with the workbook's bytes.

        A form whose identity is already stored (project code + year, or 项目名称 + year + 实施单位
        where the layout has no code: core.identity) is updated (core.merge) as a new revision and
        reported "updated"; otherwise a new form is added ("new"). Each imported state is sealed,
        so the clerk's next edit starts a new revision and the imported one stays as it was read.
        """
        results = []
        with self.transaction():
            workbook_id = self._workbook_id(file_name, data)
            for sheet, form in sheets:
                existing = self.find_same(form)
                changed = 0
                if existing is None:
                    form_id = self._insert_form(form, "import", "import", (file_name, sheet, workbook_id))
                    outcome = "new"
                else:
                    form_id, outcome = existing, "updated"
                    before = self.form(existing)
                    form = merge_reimport(before, form)
                    changed = len(diff_forms(before, form))
                    if form != before:  # a check or an export of the old content no longer holds
                        self._live.execute("UPDATE forms SET status = ? WHERE id = ?", (IN_PROGRESS, existing))
                    # A new revision even when nothing changed: the history shows each import.
                    self._write(existing, form, reason="reimport", new_revision=True, seal="import",
                                even_if_unchanged=True)
                    self._live.execute(
                        "UPDATE forms SET source_file = ?, source_sheet = ?, workbook_id = ? WHERE id = ?",
                        (file_name, sheet, workbook_id, existing))
                results.append(ImportResult(form_id, sheet, form.code, form.year, form.name, outcome,
                                            form.implementing_unit, changed))
            self._drop_unused_workbooks()
        return results

    def _workbook_id(self, file_name: str, data: bytes) -> int:
        import hashlib  # only imports need it: ~3 ms less at start-up

        digest = hashlib.sha256(data).hexdigest()
        rows = self._rows("SELECT id FROM workbooks WHERE sha256 = ?", (digest,))
        if rows:
            self._live.execute("UPDATE workbooks SET file_name = ? WHERE id = ?", (file_name, rows[0][0]))
            return rows[0][0]
        return _inserted(self._live.execute(
            "INSERT INTO workbooks (sha256, file_name, data, imported) VALUES (?, ?, ?, ?)",
            (digest, file_name, sqlite3.Binary(data), _stamp(self._now()))))

    def _drop_unused_workbooks(self) -> None:
        self._live.execute("DELETE FROM workbooks WHERE id NOT IN "
                           "(SELECT workbook_id FROM forms WHERE workbook_id IS NOT NULL)")

    @_guarded("读取")
    def source_workbook(self, form_id: int) -> SourceWorkbook | None:
        """The original workbook a form was imported from (for exporting into a copy of it)."""
        self._current(form_id)
        rows = self._rows("SELECT w.file_name, f.source_sheet, w.data FROM forms f "
                          "JOIN workbooks w ON w.id = f.workbook_id WHERE f.id = ?", (form_id,))
        return SourceWorkbook(rows[0][0], rows[0][1], bytes(rows[0][2])) if rows else None

    @_guarded("读取")
    def workbook_forms(self, form_id: int) -> list[tuple[int, str]]:
        """(id, sheet) of every form stored from the same workbook as this one, itself included."""
        self._current(form_id)
        return [(row[0], row[1]) for row in self._rows(
            "SELECT g.id, g.source_sheet FROM forms f JOIN forms g ON g.workbook_id = f.workbook_id "
            "WHERE f.id = ? ORDER BY g.id", (form_id,))]

    # -- revisions ----------------------------------------------------------------------------

    @_guarded("读取")
    def revisions(self, form_id: int) -> list[RevisionInfo]:
        self._current(form_id)
        return [RevisionInfo(*row) for row in self._rows(
            "SELECT number, reason, created, updated, sealed, restored_from FROM revisions "
            "WHERE form_id = ? ORDER BY number", (form_id,))]

    @_guarded("读取")
    def revision_form(self, form_id: int, number: int) -> Form:
        rows = self._rows("SELECT data FROM revisions WHERE form_id = ? AND number = ?", (form_id, number))
        if not rows:
            raise FormNotFoundError(f"数据库 {self.path} 中编号 {form_id} 的自评表没有第 {number} 版")
        return self._load(rows[0][0], form_id)

    def compare(self, form_id: int, before: int, after: int) -> tuple[Change, ...]:
        """What changed from revision `before` to revision `after`."""
        return diff_forms(self.revision_form(form_id, before), self.revision_form(form_id, after))

    @_guarded("恢复")
    def restore(self, form_id: int, number: int) -> SaveResult:
        """Make revision `number` the current state again, as a new revision (nothing is lost)."""
        with self.transaction():
            form = self.revision_form(form_id, number)
            return self._write(form_id, form, reason="restore", new_revision=True, seal="restore",
                               restored_from=number)

    @_guarded("读取")
    def save_point(self, form_id: int) -> SavePoint:
        """The form's stored state now: where an edit the clerk may still cancel (Esc) began."""
        rows = self._rows(f"SELECT {', '.join(_SAVE_POINT_COLUMNS)} FROM forms WHERE id = ?", (form_id,))
        if not rows:
            raise FormNotFoundError(f"数据库 {self.path} 中没有编号为 {form_id} 的自评表")
        current = self._current(form_id)
        return SavePoint(form_id, tuple(rows[0]),
                         (current.id, current.number, current.updated, current.sealed, current.data))

    @_guarded("撤回")
    def roll_back_to(self, point: SavePoint) -> bool:
        """Put the form back exactly as it was at `point`, for an edit the clerk cancelled after
        autosave had already written part of it: revisions started since are deleted, the revision
        current then gets its data, stamp and seal back, and so does the listing (status included).

        Refused — False, nothing changed — when something was sealed since (an explicit save, an
        export, an import, a restore): those are records the clerk made and are never taken back.
        """
        revision_id, number, updated, sealed, data = point.revision
        with self.transaction():
            later = self._rows("SELECT id, number, sealed FROM revisions WHERE form_id = ? AND number >= ?",
                               (point.form_id, number))
            kept = [row for row in later if row[1] == number]
            if not kept or kept[0][0] != revision_id or kept[0][2] != sealed:
                return False
            if any(row[2] is not None for row in later if row[1] > number):
                return False
            self._live.execute("DELETE FROM revisions WHERE form_id = ? AND number > ?", (point.form_id, number))
            self._live.execute("UPDATE revisions SET data = ?, updated = ?, sealed = ? WHERE id = ?",
                               (data, updated, sealed, revision_id))
            assignments = ", ".join(f"{column} = ?" for column in _SAVE_POINT_COLUMNS)
            self._live.execute(f"UPDATE forms SET {assignments} WHERE id = ?", (*point.form_row, point.form_id))
        return True

    # -- settings -----------------------------------------------------------------------------

    @_guarded("读取")
    def settings(self) -> dict[str, str]:
        return dict(self._rows("SELECT key, value FROM settings"))

    def setting(self, key: str, default: str = "") -> str:
        return self.settings().get(key, default)

    @_guarded("写入")
    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._live.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, str(value)))

    # -- backup -------------------------------------------------------------------------------

    @_guarded("备份")
    def backup(self, dest: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """A consistent single-file copy of the whole database, checked before it is put in place."""
        dest = Path(dest)
        if dest.exists() and not overwrite:
            raise StoreError(f"备份文件 {dest} 已存在，没有覆盖；请换一个文件名")
        if dest.resolve() == self.path.resolve():
            raise StoreError(f"不能把数据库 {self.path} 备份到它自己")
        if self._conn is None:
            raise StoreError(f"数据库 {self.path} 已关闭")
        try:
            # Create the file first: a folder that refuses it gets a message naming the backup
            # file (and why), not the database, which is not at fault.
            with open(dest.with_name(dest.name + ".part"), "wb"):
                pass
            self._write_copy(dest)
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, OSError) or _about_the_target(exc):
                raise translate_backup_target(exc, dest) from exc
            raise
        return dest

    @_guarded("恢复备份")
    def restore_backup(self, source: str | os.PathLike) -> Path:
        """Replace the whole database with a backup file. The backup must pass integrity_check
        first; the current database is copied aside before it is replaced (that copy's path is
        returned). The replacement is one transaction: a crash midway leaves the old database."""
        self._require_writer()
        source = Path(source)
        version = verify_database_file(source)
        safety = self._unique_sibling("before-restore")
        self._write_copy(safety)
        backup_conn = _connect_read_only(source)
        try:
            backup_conn.backup(self._live)
        finally:
            backup_conn.close()
        self.journal_mode = self._live.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if version < SCHEMA_VERSION:
            self._migrate(version)
        return safety
