"""One writer per database: an OS lock on a sidecar file, held while a writer has the store open.

SQLite's own locks only last a transaction; a second window editing the same forms would silently
overwrite the first one's edits between transactions. The OS drops the lock when the holder dies
(killed, power cut), so a stale lock file never blocks anybody. The lock file is never deleted:
deleting it would let two processes lock two different files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl


class LockBusy(Exception):
    """Another process holds the lock; `holder` is its process id when known."""

    def __init__(self, holder: str = ""):
        super().__init__(holder)
        self.holder = holder


class WriterLock:
    """An exclusive, non-blocking lock on `path`. OSError when the file cannot be created."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise LockBusy(_holder(self.path)) from None
        try:  # the holder's pid, only for the message another process shows
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)  # on Windows _lock() left the position at the locked byte
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        # Lock a byte far past the pid so other processes can still read who holds it.
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        # flock, not lockf: two opens in the same process also conflict, like two windows would.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii", errors="ignore").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
