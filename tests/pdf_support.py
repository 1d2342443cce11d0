"""Forms and helpers shared by the PDF tests and scripts/render_pdf_pages.py: the seed and stress
forms, reading a PDF back (pdfplumber, pdffonts), and the rendering reference."""

from __future__ import annotations

import datetime
import re
import subprocess
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber

from core.arithmetic import Computed
from core.layouts import Role, cell_text, sheet_layout
from core.model import GROUPS, Form, Indicator
from core.xlsx.reader import read_workbook
from tests.seeds import seed_workbook

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "pdf_seed_a_page1.png"
REFERENCE_DPI = 40
# The rendering reference is drawn with one pinned font (CI installs fonts-arphic-uming).
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
FIXED_DATE = datetime.date(2025, 3, 1)


def seed_form(layout: str) -> Form:
    """Seed A or B as the reader gives it back from the seed workbook."""
    with tempfile.TemporaryDirectory() as folder:
        path = seed_workbook(Path(folder) / f"seed_{layout}.xlsx", layout)
        return read_workbook(path).forms[0].form


def long_goal(length: int = 2000) -> str:
    """A goal of about `length` characters whose sentences are all different, so a lost or
    repeated piece shows in a comparison."""
    parts: list[str] = []
    i = 1
    while sum(map(len, parts)) < length:
        parts.append(f"第{i}项：完善第{i}批政务数据归集与共享，开展第{i}轮数据质量核查，"
                     f"确保数据准确率达到{90 + i % 10}%以上。")
        i += 1
    return "".join(parts)[:length]


def long_form(indicators: int = 60, goal_length: int = 2000) -> Form:
    """Seed A with `indicators` indicator rows (some with long reasons) and a long goal."""
    base = seed_form("A")
    level1s = [(name, level2s) for name, level2s in GROUPS]
    rows = []
    for i in range(indicators):
        group = 0 if i < indicators * 5 // 10 else 1 if i < indicators * 8 // 10 else 2
        name, level2s = level1s[group]
        reason = ""
        if i % 7 == 3:
            reason = (f"第{i + 1}个指标偏差原因：受疫情后业务量波动影响，实际完成值低于年度指标值，"
                      f"已制定第{i + 1}号整改措施并按月跟踪。") * 2
        rows.append(Indicator(
            level1=name, level2=level2s[i % len(level2s)], level3=f"第{i + 1}个三级指标名称",
            target=f"≥{100 + i}个", actual=f"{101 + i}个", points=Decimal("1.50"), score=Decimal("1.50"),
            reason=reason,
        ))
    return replace(base, indicators=tuple(rows), goal_expected=long_goal(goal_length))


def render_first_page(pdf: Path, png: Path, dpi: int = REFERENCE_DPI) -> Path:
    """Page 1 of `pdf` as a grey PNG at `dpi` (pdftoppm)."""
    prefix = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(prefix)], check=True, capture_output=True)
    return prefix.with_suffix(".png")


def reference_pdf(path: Path) -> Path:
    """Seed A's PDF exactly as the rendering test draws it: pinned font, date and signers."""
    from core.checks import evaluate
    from core.pdf.writer import PdfOptions, write_pdf
    from core.profile import default_profile

    options = PdfOptions(preparer="张三", phone="0755-12345678", date=FIXED_DATE, font_file=UMING,
                         overwrite=True)
    write_pdf(path, [evaluate(seed_form("A"), default_profile())], options)
    return path


def write_reference() -> Path:
    """Regenerate tests/data/pdf_seed_a_page1.png (after an intended change of the PDF's look)."""
    DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pdf = reference_pdf(Path(folder) / "seed_a.pdf")
        rendered = render_first_page(pdf, Path(folder) / "page.png")
        REFERENCE.write_bytes(rendered.read_bytes())
    return REFERENCE


# --- reading a PDF back ---------------------------------------------------------------------------

def squeeze(text: str | None) -> str:
    """Text with all whitespace removed: wrapped cells break lines where the form has none."""
    return "".join((text or "").split())


def table_rows(pdf: Path) -> list[list[list[str]]]:
    """Per page, the ruled table's rows as pdfplumber finds them from the drawn cell borders; per
    row, the texts of the cells that start in it, left to right, whitespace removed."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            rows = []
            for table in page.find_tables():
                for row in table.extract():
                    rows.append([squeeze(cell) for cell in row if cell is not None])
            pages.append(rows)
    return pages


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [page.extract_text() or "" for page in document.pages]


def large_text(pdf: Path, min_size: float = 72) -> list[str]:
    """Per page, the characters drawn at least `min_size` points tall (a watermark), in order."""
    with pdfplumber.open(pdf) as document:
        return ["".join(c["text"] for c in page.chars if c["size"] >= min_size) for page in document.pages]


def metadata(pdf: Path) -> dict:
    with pdfplumber.open(pdf) as document:
        return dict(document.metadata)


def pdffonts(pdf: Path) -> list[dict]:
    """pdffonts' table: name, type, emb, sub per font."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        match = re.match(r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        if match:
            fonts.append({"name": match[1], "type": match[2], "emb": match[4], "sub": match[5]})
    return fonts


def fonts_in(pdf: Path) -> dict[str, bool]:
    """Base font name -> embedded, read from the font dictionaries (works where poppler lacks the
    Adobe-GB1 language pack and cannot show a CID font)."""
    from pdfminer.pdftypes import resolve1

    found: dict[str, bool] = {}
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for ref in resolve1(resolve1(page.page_obj.resources.get("Font")) or {}).values():
                font = resolve1(ref)
                name = str(resolve1(font.get("BaseFont"))).strip("/'")
                descriptors = [resolve1(font.get("FontDescriptor"))]
                for descendant in resolve1(font.get("DescendantFonts")) or []:
                    descriptors.append(resolve1(resolve1(descendant).get("FontDescriptor")))
                embedded = any(d and any(k in d for k in ("FontFile", "FontFile2", "FontFile3"))
                               for d in descriptors)
                found[name] = embedded
    return found


# --- what the table must show ----------------------------------------------------------------------

def expected_rows(form: Form, computed: Computed) -> list[tuple[int, list[str]]]:
    """Each ruled sheet row with the texts of the cells that start in it, left to right."""
    layout = sheet_layout(form)
    rows: dict[int, list] = {}
    for cell in layout.cells:
        if cell.role not in (Role.TITLE, Role.NOTE):
            rows.setdefault(cell.row, []).append(cell)
    return [(r, [squeeze(cell_text(c, form, computed)) for c in sorted(rows[r], key=lambda c: c.col)])
            for r in sorted(rows)]


def span_texts(form: Form, computed: Computed) -> set[str]:
    """Texts of cells merged over several rows: a page break repeats them on the next page."""
    return {squeeze(cell_text(c, form, computed)) for c in sheet_layout(form).cells if c.rowspan > 1}


def match_rows(pages: list[list[list[str]]], expected: list[tuple[int, list[str]]],
               repeatable: set[str]) -> list[list[int]]:
    """Walk the PDF's table rows against the expected sheet rows, in reading order, and return per
    page the sheet rows placed on it. Allowed, and only these: a heading row repeated at the top
    of a page; a merged cell's text repeated where it continues on a new page; and a row split
    across pages, whose cells' texts then join up exactly. Anything missing, extra, reordered or
    changed fails with the row it concerns."""
    placed: list[list[int]] = []
    j = 0
    pending: list[str] | None = None
    for p, rows in enumerate(pages):
        on_page: list[int] = []
        for k, row in enumerate(rows):
            if k == 0 and p > 0:
                done = [cells for _, cells in expected[:j]]
                if row in done:  # a repeated heading
                    on_page.append(expected[done.index(row)][0])
                    continue
            assert j < len(expected), f"page {p + 1}: an extra row {row}"
            sheet_row, cells = expected[j]
            trimmed = list(row)
            while len(trimmed) > len(cells) and trimmed[0] in repeatable:
                trimmed.pop(0)
            assert len(trimmed) == len(cells), f"page {p + 1}, sheet row {sheet_row}: {row} != {cells}"
            joined = trimmed if pending is None else [a + b for a, b in zip(pending, trimmed, strict=True)]
            on_page.append(sheet_row)
            if joined == cells:
                pending = None
                j += 1
            elif all(want.startswith(got) for got, want in zip(joined, cells, strict=True)):
                pending = joined  # the row goes on on the next page
            else:
                raise AssertionError(f"page {p + 1}, sheet row {sheet_row}: {joined} != {cells}")
        placed.append(on_page)
    assert pending is None, "a split row never finished"
    assert j == len(expected), f"missing rows from sheet row {expected[j][0]}"
    return placed
