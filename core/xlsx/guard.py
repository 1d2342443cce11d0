"""File-level checks before a workbook is handed to openpyxl.

Clerks receive files from many systems and colleagues; some are not xlsx at all, some are damaged,
a few may be hostile. Everything here reads bytes and decides, with a Chinese message, whether the
file may be parsed: never a traceback, never unbounded memory or time.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.cell_refs import column_letter, column_number
from core.os_errors import os_reason


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
        raise ReadError(f"无法访问文件：{os_reason(exc)}") from None
    if path.is_dir():
        raise ReadError("这是一个文件夹，不是 xlsx 文件")
    if size == 0:
        raise ReadError("文件为空（0 字节）")
    if size > limits.file_bytes:
        raise ReadError(f"文件大小 {_mb(size)} 超过上限 {_mb(limits.file_bytes)}，不像一份自评表")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取文件：{os_reason(exc)}") from None
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


# -- the reading copy: what openpyxl is given ------------------------------------------------------
#
# openpyxl creates an object for every cell a merge or a hyperlink covers, and parses every row,
# before any limit of ours applies: one <mergeCell ref="A30:XFD1048576"/> in an 8 KB file took
# gigabytes. So the sheets are bounded in the raw XML first: rows beyond the part of the sheet a
# form can occupy are cut, and merges, hyperlinks, conditional formats and data validations are
# clipped to that area (dropped when wholly outside it). The original bytes stay untouched for the
# export into a copy; only this reading copy is cut.

MAX_MERGES = 5000  # a form has a few dozen merged ranges; a few thousand is not a form
FIRST_READ_ROWS = 400  # rows read at first: a form with 300 indicators; a larger one is read again
FORM_MARGIN_ROWS = 30  # rows after the form's last part that must lie inside what was read

_ROW = re.compile(r"<(?:[\w.-]+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(r"""\sr\s*=\s*["']\s*(\d+)\s*["']""")
_MERGE = re.compile(r"<(?:[\w.-]+:)?mergeCell\b[^>]*>")
_RANGED = re.compile(r"""(<(?:[\w.-]+:)?(mergeCell|hyperlink|conditionalFormatting|dataValidation)\b"""
                     r"""[^>]*?\s(ref|sqref)\s*=\s*)(["'])([^"']*)\4""")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?")


@dataclass(frozen=True)
class SheetBounds:
    """What the reading copy kept of one worksheet part."""

    rows: int  # row elements the sheet holds
    last_row: int  # the highest row number it holds
    kept_to: int  # rows after this one were cut from the reading copy (0: nothing was cut)
    refused: str | None = None  # why the sheet is not read at all (Chinese)


def clip_ranges(value: str, max_row: int, max_col: int) -> str:
    """A space-separated list of ranges ("A1:XFD1048576 B2") clipped to rows <= max_row and columns <=
    max_col; ranges wholly outside are dropped."""
    kept = []
    for match in _RANGE.finditer(value):
        c0, r0 = column_number(match.group(1)), int(match.group(2))
        c1 = column_number(match.group(3)) if match.group(3) else c0
        r1 = int(match.group(4)) if match.group(4) else r0
        (r0, r1), (c0, c1) = sorted((r0, r1)), sorted((c0, c1))
        if r0 > max_row or c0 > max_col:
            continue
        r1, c1 = min(r1, max_row), min(c1, max_col)
        start, end = f"{column_letter(c0)}{r0}", f"{column_letter(c1)}{r1}"
        kept.append(start if start == end else f"{start}:{end}")
    return " ".join(kept)


def bound_sheet(text: str, max_rows: int, limits: Limits = LIMITS) -> tuple[str, SheetBounds]:
    """The sheet XML cut to `max_rows` rows, with every ranged element clipped to that area."""
    merges = len(_MERGE.findall(text))
    if merges > MAX_MERGES:
        return "", SheetBounds(0, 0, 0, f"工作表有 {merges} 个合并单元格，超过上限 {MAX_MERGES} 个，"
                                        "不像一份自评表，已拒绝读取")
    rows = 0
    number = 0
    cut = None
    for match in _ROW.finditer(text):
        r = _ROW_NUMBER.search(match.group(1))
        number = int(r.group(1)) if r else number + 1
        rows += 1
        if number > max_rows and cut is None:
            cut = match.start()
    last_row = number
    kept_to = 0
    if cut is not None:
        close = re.compile(r"</(?:[\w.-]+:)?sheetData\s*>").search(text, cut)
        if close is not None:
            text = text[:cut] + text[close.start():]
            kept_to = max_rows

    def clip(match: re.Match[str]) -> str:
        head, _, _, quote, value = match.groups()
        return f"{head}{quote}{clip_ranges(value, max_rows, limits.columns)}{quote}"

    text = _RANGED.sub(clip, text)
    # Conditional formats only colour cells, which a form is not read by, and openpyxl trips over
    # those whose style reference dangles (IndexError): the reading copy goes without them.
    text = re.sub(r"<((?:[\w.-]+:)?conditionalFormatting)\b[^>]*?(?:/>|>.*?</\1\s*>)", "", text, flags=re.S)
    text = _numbers_as_numbers(text)
    # Elements left with no range at all: gone from the reading copy (they cover nothing a form uses).
    text = re.sub(r"""<(?:[\w.-]+:)?(?:mergeCell|hyperlink)\b[^>]*?\s(?:ref|sqref)\s*=\s*(["'])\1[^>]*>""", "", text)
    text = re.sub(r"""<((?:[\w.-]+:)?(?:conditionalFormatting|dataValidation))\b[^>]*?\ssqref\s*=\s*(["'])\2[^>]*?"""
                  r"""(?:/>|>.*?</\1\s*>)""", "", text, flags=re.S)
    return text, SheetBounds(rows, last_row, kept_to)


_NOT_A_NUMBER = re.compile(r"<((?:[\w.-]+:)?)v>\s*([^<]*?[^0-9.eE+\-\s<][^<]*?)\s*</\1v>")
_CELL_START = re.compile(r"<(?:[\w.-]+:)?c\b[^>]*>")


def _numbers_as_numbers(text: str) -> str:
    """A numeric cell whose value is not a number ("NaN", "INF", "1,5") would stop openpyxl from
    reading the whole file; such a value is given to it as text, so the checks report its cell."""
    pieces = []
    pos = 0
    for match in _NOT_A_NUMBER.finditer(text):
        start = text.rfind("<", 0, match.start())
        while start >= 0 and not _CELL_START.match(text, start):
            start = text.rfind("<", 0, start)
        tag = _CELL_START.match(text, start) if start >= 0 else None
        if tag is None or start < pos or re.search(r"""\st\s*=\s*["'](?!n["'])""", tag.group()):
            continue  # a typed cell (shared string, error, date, formula text) says what its value is
        typed = tag.group()[:-2] + ' t="str"/>' if tag.group().endswith("/>") else tag.group()[:-1] + ' t="str">'
        typed = re.sub(r"""\st\s*=\s*["']n["']""", "", typed, count=1)
        pieces.append(text[pos:start])
        pieces.append(typed)
        pos = tag.end()
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def reading_copy(data: bytes, max_rows: int, limits: Limits = LIMITS) -> tuple[bytes, dict[str, SheetBounds]]:
    """The package as openpyxl may read it: every worksheet bounded (bound_sheet), re-encoded as
    UTF-8. Returns the copy and what was kept of each worksheet part."""
    from core.xlsx.scan import ScanError, decode_part

    bounds: dict[str, SheetBounds] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            part = archive.read(info)
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and "/_rels/" not in name:
                try:
                    text = decode_part(part)[0]
                except ScanError:
                    text = None  # openpyxl will say the file is damaged
                if text is not None:
                    text, bounds[name] = bound_sheet(text, max_rows, limits)
                    if bounds[name].refused:
                        text = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                                'openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
                    text = re.sub(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""", r"\1UTF-8", text)
                    part = text.encode("utf-8")
            copy.writestr(zipfile.ZipInfo(name, info.date_time), part)
    return out.getvalue(), bounds
