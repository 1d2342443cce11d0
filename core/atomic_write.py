"""Writing an exported file safely: through a temporary file in the same folder, flushed to disk
and renamed, so a failure never leaves half a file and an existing file is only replaced when the
caller allows it (the window asked, or the command line got --force)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from core.os_errors import os_reason

# Our temporary files: ".{stem}.{8 random characters}{suffix}.part" (tempfile.mkstemp's names).
PART_FILE = re.compile(r"^\..*\.[a-z0-9_]{8}\.[A-Za-z0-9]{1,8}\.part$")
STALE_PART_SECONDS = 3600


class ExportError(Exception):
    """A file could not be written; the message is Chinese and names the file."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


class ExportExistsError(ExportError):
    """The target exists and the caller did not allow replacing it."""


class VerifyError(Exception):
    """A written file does not read back as what was meant; the message (Chinese) says where."""


def remove_stale_parts(folder: Path, now: float | None = None) -> list[Path]:
    """Remove our own temporary files older than an hour (left by a kill at the rename step)."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not PART_FILE.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_PART_SECONDS:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _file_mode(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets the usual ones (mkstemp makes 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def check_target(target: Path, *, overwrite: bool) -> None:
    """Raise before any work when `target` cannot or may not be written."""
    target = Path(target)
    if target.is_dir():
        raise ExportError(f"无法写入 {target}：这是一个文件夹，请给出文件名", target)
    if target.exists() and not overwrite:
        raise ExportExistsError(f"文件已存在，未覆盖：{target}（如需覆盖，命令行请加 --force）", target)
    if target.parent.exists() and not target.parent.is_dir():
        raise ExportError(f"无法写入 {target}：“{target.parent}”是一个文件，不是文件夹", target)
    if not target.parent.is_dir():
        raise ExportError(f"无法写入 {target}：文件夹“{target.parent}”不存在", target)


def write_atomically(target: Path, write: Callable[[Path], None] | bytes, *, overwrite: bool,
                     verify: Callable[[Path], None] | None = None) -> None:
    """Write `target` with `write(temp_path)` (or these bytes). `verify(temp_path)` reads the
    temporary file back and raises VerifyError when it is not what was meant: then nothing is left
    under the target's name. Raises ExportExistsError / ExportError."""
    target = Path(target)
    check_target(target, overwrite=overwrite)
    folder = target.parent
    remove_stale_parts(folder)
    temp = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".part", dir=folder)
        if isinstance(write, bytes):
            with os.fdopen(handle, "wb") as stream:
                stream.write(write)
        else:
            os.close(handle)
            write(Path(temp))
        if verify is not None:
            verify(Path(temp))
        with open(temp, "rb+") as stream:  # a saved export must survive a power cut too
            os.fsync(stream.fileno())
        os.chmod(temp, _file_mode(target))
        if not overwrite and target.exists():  # appeared while we were writing
            raise ExportExistsError(f"文件已存在，未覆盖：{target}（如需覆盖，命令行请加 --force）", target)
        os.replace(temp, target)
        temp = None
    except ExportError:
        raise
    except VerifyError as exc:
        raise ExportError(f"{target}：导出的文件读回校验不通过（{exc}），未保存。这是本程序的错误，"
                          "请把原工作簿和数据库备份交给维护人员", target) from exc
    except PermissionError as exc:
        raise ExportError(f"无法写入 {target}：没有写入权限，或文件正被其他程序（如 Excel/WPS、PDF 阅读器）打开",
                          target) from exc
    except OSError as exc:
        raise ExportError(f"无法写入 {target}：{os_reason(exc)}", target) from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
