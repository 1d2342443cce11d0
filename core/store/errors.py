"""What can go wrong with the local database, each as a clear Chinese message naming the file.

Every error the store raises is a StoreError; `str(exc)` is one line a clerk can act on. The
subclasses let the window react differently (offer to close the other window, to free disk space,
to pick another file) without parsing messages. Whenever one of these is raised, nothing in the
database was changed by the failed operation.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from core.os_errors import os_reason


class StoreError(Exception):
    """The base of every store error; the message is Chinese and names the database file."""


class StoreBusyError(StoreError):
    """Another process (another window, a batch command) has the database open for writing."""


class StoreLockedError(StoreError):
    """SQLite stayed locked past the busy timeout (another program writing the file itself)."""


class StoreReadOnlyError(StoreError):
    """The file, its folder or the disk cannot be written (or the store was opened read-only)."""


class DiskFullError(StoreError):
    """The disk (or the user's quota) is full; the change that was being saved is not in the file."""


class NotADatabaseError(StoreError):
    """The file is not an SQLite database, or is another program's database."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer version of this program; nothing was changed."""


class StoreMissingError(StoreError):
    """A read-only open of a database file that does not exist."""


class StoreCorruptError(StoreError):
    """The database (or a backup) fails SQLite's integrity check or holds unreadable data."""


class FormNotFoundError(StoreError):
    """No form with that id (or no such revision of it)."""


class DuplicateFormError(StoreError):
    """A form with that project code and year already exists; `form_id` is that form (if known)."""

    def __init__(self, message: str, form_id: int | None = None):
        super().__init__(message)
        self.form_id = form_id


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


# Below this much free space an SQLite I/O error is taken for a full disk (SQLite reports a full
# disk met while creating its -wal or -shm file as a plain disk I/O error).
NEARLY_FULL_BYTES = 1024 * 1024


def disk_full_message(path: Path | str) -> str:
    return f"磁盘空间已满，无法保存到 {path}；请清理磁盘后重试"


def _disk_nearly_full(path: Path | str) -> bool:
    folder = Path(path).parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def translate(exc: BaseException, path: Path | str, doing: str = "读写") -> StoreError:
    """The StoreError for an sqlite3 or OS error met while `doing` something with the database."""
    if isinstance(exc, StoreError):
        return exc
    where = f"数据库 {path}"
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(exc).lower()
        if code == _SQLITE_FULL or "disk is full" in text or (code == _SQLITE_IOERR and _disk_nearly_full(path)):
            return DiskFullError(disk_full_message(path))
        if code in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly" in text or "read-only" in text:
            return StoreReadOnlyError(f"无法写入{where}：文件、所在文件夹或磁盘是只读的（或没有写入权限）")
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
            return StoreLockedError(f"{where}被另一个程序锁定，暂时无法{doing}，请关闭其他正在使用它的程序后再试")
        if code == _SQLITE_NOTADB or "not a database" in text:
            return NotADatabaseError(f"{path} 不是本程序的数据库文件（可能是别的文件或已损坏），没有做任何修改")
        if code == _SQLITE_CORRUPT or "malformed" in text:
            return StoreCorruptError(f"{where}已损坏（{exc}）；请用“从备份恢复”找回数据")
        if code == _SQLITE_CANTOPEN or "unable to open" in text:
            return StoreReadOnlyError(f"无法打开{where}：文件夹不存在或没有访问权限")
        if code == _SQLITE_IOERR:
            return StoreError(f"{doing}{where}时磁盘出错（{exc}）；请检查磁盘或U盘是否已拔出")
        return StoreError(f"{doing}{where}时出错：{exc}")
    if isinstance(exc, PermissionError):
        return StoreReadOnlyError(f"无法写入{where}：没有写入权限，或所在文件夹是只读的")
    if isinstance(exc, OSError):
        if getattr(exc, "errno", None) == 28:  # ENOSPC
            return DiskFullError(disk_full_message(path))
        if getattr(exc, "errno", None) == 30:  # EROFS
            return StoreReadOnlyError(f"无法写入{where}：磁盘是只读的")
        return StoreError(f"{doing}{where}时出错：{os_reason(exc)}")
    return StoreError(f"{doing}{where}时出错：{exc}")


def translate_backup_target(exc: BaseException, dest: Path | str) -> StoreError:
    """The StoreError for a backup file that could not be written. It names the backup file, not the
    database: the database is fine, only the place chosen for the copy is not."""
    where = f"无法写入备份文件 {dest}"
    advice = "；数据库本身没有受影响，请换一个位置保存备份"
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(exc).lower()
        if code == _SQLITE_FULL or "disk is full" in text:
            return DiskFullError(f"{where}：磁盘空间已满{advice}")
        return StoreReadOnlyError(f"{where}：所在文件夹或磁盘是只读的（或没有写入权限）{advice}")
    number = getattr(exc, "errno", None)
    if number == 28:  # ENOSPC
        return DiskFullError(f"{where}：磁盘空间已满{advice}")
    if number == 30:  # EROFS
        return StoreReadOnlyError(f"{where}：磁盘是只读的（例如写保护的U盘或光盘）{advice}")
    if isinstance(exc, PermissionError):
        return StoreReadOnlyError(f"{where}：没有写入权限，或所在文件夹是只读的{advice}")
    if isinstance(exc, FileNotFoundError):
        if Path(dest).parent.is_dir():  # e.g. a system folder that holds no ordinary files
            return StoreError(f"{where}：这个文件夹里不能新建文件{advice}")
        return StoreError(f"{where}：文件夹 {Path(dest).parent} 不存在{advice}")
    if isinstance(exc, NotADirectoryError):
        return StoreError(f"{where}：路径中有一段不是文件夹而是文件{advice}")
    if isinstance(exc, IsADirectoryError):
        return StoreError(f"{where}：这个名字已是一个文件夹{advice}")
    return StoreError(f"{where}：{getattr(exc, 'strerror', None) or exc}{advice}")
