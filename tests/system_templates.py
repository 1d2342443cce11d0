"""Blank import templates as budget systems send them (system cells filled and grey, clerk cells
empty but styled), written by several programs: openpyxl, XlsxWriter, LibreOffice, and three
hand-made serialisations real writers produce (namespace prefixes, rows and cells without r=,
lower-case references). The export must patch every one of them correctly.

The template's content comes from the seeds (tests/seeds.py) with the clerk's cells emptied.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Border, PatternFill, Side

from tests.seeds import SEED_A, SEED_B, write_seed_a, write_seed_b

# The clerk's cells of each layout on the seed sheets: the goal's 实际完成情况 and, per indicator
# row, 实际完成值 | 分值/权重 | 得分 | 偏差原因 (the last one ends its row).
CLERK: dict[str, dict[str, Any]] = {
    "A": {"goal": "F9", "rows": range(11, 21), "columns": "FGHI", "last": "I", "width": 9},
    "B": {"goal": "G12", "rows": range(14, 27), "columns": "GHIJ", "last": "J", "width": 10},
}
WRITERS = ("openpyxl", "xlsxwriter", "libreoffice", "prefixed", "no-r", "lowercase")
GREY = "D9D9D9"


def blank_seed(layout: str) -> dict:
    seed = SEED_A if layout == "A" else SEED_B
    if layout == "A":
        rows = [(*row[:4], "", None, None) for row in seed["indicators"]]
    else:
        rows = [(*row[:5], "", None, None) for row in seed["indicators"]]
    return dict(seed, goal_actual="", indicators=rows)


def _openpyxl_template(path: Path, layout: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    (write_seed_a if layout == "A" else write_seed_b)(ws, blank_seed(layout))
    clerk = CLERK[layout]
    total = max(clerk["rows"]) + 1
    thin = Side(style="thin")
    grey = PatternFill("solid", start_color=GREY, end_color=GREY)
    white = PatternFill("solid", start_color="FFFFFF", end_color="FFFFFF")
    clerk_refs = {clerk["goal"]} | {f"{c}{r}" for r in clerk["rows"] for c in clerk["columns"]}
    for row in range(2, total + 1):
        for col in range(1, clerk["width"] + 1):
            cell = ws.cell(row=row, column=col)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.fill = white if cell.coordinate in clerk_refs else grey
    # The system prints totals of its own; a blank template has none yet.
    for letter in ("G", "H") if layout == "A" else ("H", "I"):
        ws[f"{letter}{total}"] = None
    ids = wb.create_sheet("ids")
    for r in clerk["rows"]:
        ids[f"A{r}"] = f"IND-{r:04d}"
    ids.sheet_state = "hidden"
    wb.save(path)
    return path


def _sheet_cells(path: Path):
    """Values, merges and which cells are clerk cells, to replay the template with XlsxWriter."""
    ws = openpyxl.load_workbook(path)["自评表"]
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.has_style or cell.value is not None:
                cells[(cell.row - 1, cell.column - 1)] = (cell.value, cell.fill.fgColor.rgb if cell.fill else None)
    return cells, [str(m) for m in ws.merged_cells.ranges]


def _xlsxwriter_template(path: Path, layout: str, scratch: Path) -> Path:
    import xlsxwriter

    source = _openpyxl_template(scratch / f"for-xlsxwriter-{layout}.xlsx", layout)
    cells, merges = _sheet_cells(source)
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("自评表")
    grey = book.add_format({"border": 1, "bg_color": "#" + GREY, "text_wrap": True})
    white = book.add_format({"border": 1, "bg_color": "#FFFFFF", "text_wrap": True})
    plain = book.add_format({})
    covered = set()
    for merge in merges:
        (r0, c0), (r1, c1) = (_rc(part) for part in merge.split(":"))
        value, rgb = cells.get((r0, c0), (None, None))
        fmt = white if rgb and rgb.endswith("FFFFFF") else grey
        ws.merge_range(r0, c0, r1, c1, "" if value is None else value, fmt)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for (r, c), (value, rgb) in cells.items():
        if (r, c) in covered:
            continue
        fmt = white if rgb and rgb.endswith("FFFFFF") else grey if rgb and rgb.endswith(GREY) else plain
        if value is None:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        else:
            ws.write_string(r, c, str(value), fmt)
    ids = book.add_worksheet("ids")
    for r in CLERK[layout]["rows"]:
        ids.write_string(r - 1, 0, f"IND-{r:04d}")
    ids.hide()
    book.close()
    return path


def _rc(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(ref)
    return row - 1, column_index_from_string(letters) - 1


# LibreOffice ignores fullCalcOnLoad: its GUI asks whether to recalculate an xlsx on load, and a
# headless run cannot ask. This profile setting ("always recalculate") stands in for the clerk's Yes.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def libreoffice_convert(files: list[Path], outdir: Path, to: str = "xlsx", recalculate: bool = False) -> list[Path]:
    """LibreOffice's own re-save (or conversion) of `files`, in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    if recalculate:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=300)
    return [outdir / f"{f.stem}.{to.split(':')[0]}" for f in files]


def rewrite_parts(path: Path, edit, which) -> Path:
    """Apply `edit(text) -> text` to the package parts `which(name)` selects, in place."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info.filename) for info in infos}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            data = parts[info.filename]
            if which(info.filename):
                data = edit(data.decode("utf-8")).encode("utf-8")
            archive.writestr(info.filename, data)
    return path


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")


NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _prefixed(text: str) -> str:
    """Every element of the main namespace written with an "x:" prefix, as the .NET SDK does."""
    text = text.replace(f'xmlns="{NS_MAIN}"', f'xmlns:x="{NS_MAIN}"', 1)
    return re.sub(r"<(/?)([A-Za-z][\w.-]*)(?=[\s/>])", lambda m: f"<{m.group(1)}x:{m.group(2)}", text)


def _without_r(text: str) -> str:
    """Rows and cells that directly follow the previous one lose their r= (it is implied)."""
    last_row = 0

    def row(match: re.Match) -> str:
        nonlocal last_row
        number = int(match.group(2))
        implied = number == last_row + 1
        last_row = number
        return match.group(1) + ("" if implied else match.group(0)[len(match.group(1)):])

    text = re.sub(r'(<row)\s+r="(\d+)"', row, text)
    pieces = re.split(r"(<row\b[^>]*?/?>)", text)
    for i in range(2, len(pieces), 2):  # the text after each row start tag, up to the next row
        last_col = 0

        def cell(match: re.Match) -> str:
            nonlocal last_col
            col = _rc(match.group(2))[1] + 1
            implied = col == last_col + 1
            last_col = col
            return match.group(1) if implied else match.group(0)

        pieces[i] = re.sub(r'(<c)\s+r="([A-Z]+\d+)"', cell, pieces[i])
    return "".join(pieces)


def _lowercase(text: str) -> str:
    return re.sub(r'(<c\b[^>]*?\sr=")([A-Z]+)(\d+")', lambda m: m.group(1) + m.group(2).lower() + m.group(3), text)


def system_template(writer: str, layout: str, folder: Path) -> Path:
    """The blank template of `layout` as `writer` writes it, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"template-{layout}-{writer}.xlsx"
    if writer == "xlsxwriter":
        return _xlsxwriter_template(path, layout, folder)
    if writer == "libreoffice":
        source = _openpyxl_template(folder / f"for-lo-{layout}.xlsx", layout)
        (converted,) = libreoffice_convert([source], folder / "lo")
        shutil.move(converted, path)
        return path
    _openpyxl_template(path, layout)
    if writer == "prefixed":
        rewrite_parts(path, _prefixed, lambda n: _is_sheet(n) or n == "xl/workbook.xml")
    elif writer == "no-r":
        rewrite_parts(path, _without_r, _is_sheet)
    elif writer == "lowercase":
        rewrite_parts(path, _lowercase, _is_sheet)
    return path
