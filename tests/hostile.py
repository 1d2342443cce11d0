"""Builders of hostile and odd xlsx files, and a runner that measures a child's time and memory."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def write_raw_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip from pre-deflated entries: (name, raw deflate bytes, crc32, uncompressed size)."""
    out = bytearray()
    central = bytearray()
    for name, deflated, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0)
        out += encoded + deflated
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(deflated), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def deflate(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def zip_bomb(path: Path, template: Path, gigabytes: int = 2) -> Path:
    """A real workbook whose first sheet inflates to `gigabytes` of spaces (about 2 MB on disk)."""
    chunk = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # identical for every chunk after a full flush
    count = gigabytes * 1024
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    bomb = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    entries: list[tuple[str, bytes, int, int]] = []
    for name, data in parts_of(template).items():
        if name == "xl/worksheets/sheet1.xml":
            entries.append((name, bomb, crc, (count * len(chunk)) & 0xFFFFFFFF))
        else:
            entries.append((name, *deflate(data)))
    return write_raw_zip(path, entries)


SHEET = "xl/worksheets/sheet1.xml"


def with_sheet_xml(source: Path, path: Path, edit) -> Path:
    """A copy of the workbook `source` whose first sheet's XML is `edit(xml text)`."""
    parts = parts_of(source)
    parts[SHEET] = edit(parts[SHEET].decode("utf-8")).encode("utf-8")
    return write_parts(path, parts)


def _before_end(xml: str, block: str) -> str:
    """Insert a block of sheet elements after the merges (where hyperlinks, validations and
    conditional formats go), or before the page setup."""
    for anchor in ("</mergeCells>",):
        if anchor in xml:
            return xml.replace(anchor, anchor + block, 1)
    return xml.replace("</sheetData>", "</sheetData>" + block, 1)


def sheet_wide_merge(source: Path, path: Path, ref: str = "A30:XFD1048576") -> Path:
    """One merged range covering most of the sheet: openpyxl would make an object per cell."""
    return with_sheet_xml(source, path,
                          lambda xml: xml.replace("</mergeCells>", f'<mergeCell ref="{ref}"/></mergeCells>'))


def sheet_wide_hyperlink(source: Path, path: Path, ref: str = "A30:XFD1048576") -> Path:
    return with_sheet_xml(source, path, lambda xml: _before_end(
        xml, f'<hyperlinks><hyperlink ref="{ref}" location="\'自评表A\'!A1" display="x"/></hyperlinks>'))


def many_merges(source: Path, path: Path, count: int = 60_000) -> Path:
    merges = "".join(f'<mergeCell ref="K{r}:L{r}"/>' for r in range(100, 100 + count))
    return with_sheet_xml(source, path, lambda xml: xml.replace("</mergeCells>", merges + "</mergeCells>"))


def whole_column_validation(source: Path, path: Path) -> Path:
    """What budget systems legitimately carry: a list validation and a format on whole columns."""
    block = ('<conditionalFormatting sqref="H1:H1048576"><cfRule type="cellIs" dxfId="7" priority="1" '
             'operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>'
             '<dataValidations count="1"><dataValidation type="list" allowBlank="1" showErrorMessage="1" '
             'sqref="I1:I1048576 XFD1"><formula1>"达成年度指标,部分达成,未达成"</formula1>'
             '</dataValidation></dataValidations>')
    return with_sheet_xml(source, path, lambda xml: _before_end(xml, block))


def dense_sheet(source: Path, path: Path, megabytes: float = 9.8) -> Path:
    """The form followed by rows of text until the sheet XML is about `megabytes` (under the 10 MB
    part limit): a real, heavy sheet within the limits."""
    target = int(megabytes * 1024 * 1024)

    def edit(xml: str) -> str:
        rows = []
        size = len(xml.encode())
        r = 30
        while size < target:
            cells = "".join(f'<c r="{col}{r}" t="inlineStr"><is><t>数据{r}-{col}</t></is></c>' for col in "KLMNOPQRST")
            row = f'<row r="{r}">{cells}</row>'
            rows.append(row)
            size += len(row.encode())
            r += 1
        return xml.replace("</sheetData>", "".join(rows) + "</sheetData>", 1)
    return with_sheet_xml(source, path, edit)


def nan_cell(source: Path, path: Path, ref: str = "H12") -> Path:
    """A score cell holding NaN, as some exporters write a failed division."""
    def edit(xml: str) -> str:
        import re

        new, count = re.subn(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)', lambda m: f'<c r="{ref}"><v>NaN</v></c>', xml,
                             count=1, flags=re.S)
        assert count == 1
        return new
    return with_sheet_xml(source, path, edit)


def run_bounded(*args: str | os.PathLike, timeout: float = 60, address_space_mb: int | None = None
                ) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `python main.py ARGS` and return (result, seconds, peak memory in MB of the child).
    `address_space_mb` caps the child's address space (RLIMIT_AS): runaway memory fails fast."""
    limit = "" if address_space_mb is None else (
        f"resource.setrlimit(resource.RLIMIT_AS, ({address_space_mb << 20}, {address_space_mb << 20}))\n")
    code = (
        "import resource, runpy, sys\n"
        + limit +
        f"sys.argv = ['main.py'] + {list(map(str, args))!r}\n"
        "try:\n"
        f"    runpy.run_path({str(ROOT / 'main.py')!r}, run_name='__main__')\n"
        "finally:\n"
        # ru_maxrss survives fork+exec on Linux (it would report pytest's own peak); VmHWM does not.
        "    try:\n"
        "        peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "    except OSError:\n"
        "        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    print('MAXRSS_KB', peak, file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            cwd=ROOT, env=env, timeout=timeout)
    seconds = time.monotonic() - start
    lines = result.stderr.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("MAXRSS_KB")) / 1024
    result.stderr = "\n".join(line for line in lines if not line.startswith("MAXRSS_KB"))
    return result, seconds, peak


def run_python_bounded(code: str, timeout: float = 60, address_space_mb: int = 1024) -> subprocess.CompletedProcess:
    """Run a Python snippet in a child process from the repository root, under an address-space
    limit; a hang fails as a TimeoutExpired after `timeout` seconds."""
    prelude = ("import resource, sys\n"
               f"resource.setrlimit(resource.RLIMIT_AS, ({address_space_mb << 20}, {address_space_mb << 20}))\n"
               f"sys.path.insert(0, {str(ROOT)!r})\n")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, env=env, timeout=timeout)


LONG_TEXT_PDF = """
from pathlib import Path
from core.checks import evaluate
from core.fields import with_value
from core.pdf.writer import PdfOptions, render_pdf
from core.profile import default_profile
from tests.seeds import seed_form

def long_text_pdf(n: int, kind: str) -> bytes:
    text = {"url": ("https://example.invalid/" + "a1b2c3d4e5" * 4000)[:n], "digits": ("1234567890" * 4000)[:n]}[kind]
    form = with_value(seed_form("A"), "indicators[0].reason", text)
    if kind == "digits":
        form = with_value(with_value(form, "code", text), "fund_rows[0].executed", text)
    data, _ = render_pdf([evaluate(form, default_profile())], PdfOptions())
    return data
"""
