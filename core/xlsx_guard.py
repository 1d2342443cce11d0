"""File-level checks before a workbook is handed to openpyxl.

Clerks receive files from many systems and colleagues; some are not xlsx at all, some are damaged,
a few may be hostile. Everything here reads bytes and decides, with a Chinese message, whether the
file may be parsed: never a traceback, never unbounded memory or time.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Explicit limits, named in the messages so a clerk knows why a file was refused."""

    # openpyxl needs about 15 s and 250 MB per 10 MB of sheet XML; a real form sheet is ~100 KB.
    file_bytes: int = 20 * 1024 * 1024
    unzipped_bytes: int = 30 * 1024 * 1024
    sheet_part_bytes: int = 10 * 1024 * 1024
    rows: int = 5000
    columns: int = 64
    cell_chars: int = 32767


LIMITS = Limits()


class ReadError(Exception):
    """The file cannot be read; `str(exc)` is the Chinese reason, without the file name."""


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
XLS_ADVICE = "请在 WPS/Excel 中另存为 .xlsx 后再导入"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def read_checked(path: str | Path, limits: Limits = LIMITS) -> bytes:
    """The file's bytes, once it is known to be a plausible, bounded xlsx package."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError("文件不存在") from None
    except OSError as exc:
        raise ReadError(f"无法访问文件：{exc.strerror or exc}") from None
    if path.is_dir():
        raise ReadError("这是一个文件夹，不是 xlsx 文件")
    if size == 0:
        raise ReadError("文件为空（0 字节）")
    if size > limits.file_bytes:
        raise ReadError(f"文件大小 {_mb(size)} 超过上限 {_mb(limits.file_bytes)}，不像一份自评表")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror or exc}") from None
    check_package(data, limits)
    return data


def check_package(data: bytes, limits: Limits = LIMITS) -> None:
    if data.startswith(OLE_MAGIC):
        if _is_encrypted_ooxml(data):
            raise ReadError("文件设置了打开密码（已加密），请在 Excel/WPS 中取消密码并另存为 .xlsx 后再导入")
        raise ReadError(f"这是旧版 .xls 或 WPS .et 文件，{XLS_ADVICE}")
    if not data.startswith(ZIP_MAGIC):
        head = data[:2048]
        if _looks_like_text(head):
            raise ReadError(f"这是文本（如 CSV）文件，不是 xlsx 工作簿，{XLS_ADVICE}")
        raise ReadError(f"不是 xlsx 工作簿（文件开头不是 xlsx 格式），{XLS_ADVICE}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ReadError("文件已损坏或不完整（无法解压），请重新导出或重新下载") from None
    if "xl/workbook.xml" not in names:
        raise ReadError(f"压缩包里没有 Excel 工作簿（缺少 xl/workbook.xml），{XLS_ADVICE}")
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        part_limit = limits.sheet_part_bytes if info.filename.endswith(".xml") else limits.unzipped_bytes
        # Declared sizes can lie: count what actually inflates, and stop at the limit.
        size = _inflated_size(archive, info, min(part_limit, limits.unzipped_bytes - total) + 1)
        if size > part_limit:
            raise ReadError(
                f"工作簿中的 {info.filename} 解压后超过 {_mb(part_limit)}（可能有上百万行或是压缩炸弹），已拒绝读取"
            )
        total += size
        if total > limits.unzipped_bytes:
            raise ReadError(f"工作簿解压后超过 {_mb(limits.unzipped_bytes)}（可能是压缩炸弹），已拒绝读取")


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> int:
    size = 0
    try:
        with archive.open(info) as stream:
            while size < cap:
                chunk = stream.read(min(1 << 20, cap - size))
                if not chunk:
                    break
                size += len(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise ReadError("文件已损坏或不完整（解压出错），请重新导出或重新下载") from None
    except RuntimeError:
        # zipfile raises RuntimeError for a password-protected (encrypted) member.
        raise ReadError("文件设置了密码（已加密），请在 Excel/WPS 中取消密码并另存为 .xlsx 后再导入") from None
    return size


def _is_encrypted_ooxml(data: bytes) -> bool:
    # An encrypted xlsx is an OLE compound file holding "EncryptionInfo" and "EncryptedPackage"
    # streams; directory entry names are UTF-16LE.
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        for trim in range(4):  # the sample may end inside a multi-byte character
            try:
                head[: len(head) - trim].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False
