"""Write forms as the official import-template xlsx, drawn from the layout description.

Every cell, merge, fill, number format and width comes from core.layouts, so the file matches the
screen and the PDF. Text is always written as text (a value such as "=HYPERLINK(...)" stays a
string), codes are text cells, and system-owned cells are grey and locked while clerk cells are
white and unlocked. Forms imported from a workbook are instead written into a copy of that
workbook (core.xlsx.patch), so nothing the budget system hid there is lost.
"""

from __future__ import annotations

import math
import re
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from core.arithmetic import Computed
from core.atomic_write import write_atomically
from core.checks import Evaluation
from core.layouts import FONT_NAME, Role, SheetLayout, cell_value, sheet_layout
from core.model import Form
from core.text import ILLEGAL_XML, display_width, escape_cell_text

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as XlsxCell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

GREY = "D9D9D9"
FONT_SIZES = {Role.TITLE: 18}
BODY_SIZE = 11
LINE_HEIGHT = 15.0  # points per text line at the body size
MIN_ROW_HEIGHT = 21.0
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class XlsxOptions:
    protect_sheet: bool = False  # lock the grey cells so Excel/WPS only lets the clerk type where allowed


def _lines(text: str, width_chars: float) -> int:
    usable = max(1.0, width_chars - 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def safe_sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters, not blank, not 'History'."""
    base = INVALID_SHEET_CHARS.sub("_", ILLEGAL_XML.sub("", wanted)).strip().strip("'") or "自评表"
    if base.casefold() == "history":
        base = "自评表"
    base = base[:31]
    name, n = base, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _set(cell: XlsxCell, value: object, number_format: str) -> None:
    """Numbers as numbers, everything else as a string — never a formula."""
    if isinstance(value, Decimal):
        # A percentage format shows a fraction: 执行率 86.20 is stored as 0.862 to show "86.20%".
        cell.value = value / 100 if number_format.endswith("%") else value
        cell.number_format = number_format if number_format != "@" else "General"
    elif value is None or value == "":
        cell.value = None
        cell.number_format = number_format
    else:
        cell.value = escape_cell_text(ILLEGAL_XML.sub("", str(value)))  # openpyxl writes "_x000D_" as is
        cell.data_type = "s"  # openpyxl would otherwise take "=..." for a formula
        cell.number_format = "@" if number_format in ("@", "General") else number_format


def draw_sheet(ws: Worksheet, form: Form, computed: Computed, options: XlsxOptions = XlsxOptions()) -> SheetLayout:
    """Draw one form on an empty worksheet, exactly as its layout describes."""
    layout = sheet_layout(form)
    widths = layout.column_widths
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    heights: dict[int, float] = {}
    grey = PatternFill("solid", start_color=GREY, end_color=GREY)
    styles: dict[tuple, object] = {}  # one style per kind of cell, copied: openpyxl hashes each assignment
    for spec in layout.cells:
        cell = ws.cell(row=spec.row, column=spec.col)
        value = cell_value(spec, form, computed)
        _set(cell, value, spec.number_format)
        size = FONT_SIZES.get(spec.role, BODY_SIZE)
        key = (spec.role, spec.bold, spec.align, cell.number_format)
        if key in styles:
            cell._style = copy(styles[key])
        else:
            cell.font = Font(name=FONT_NAME, size=size, bold=spec.bold or spec.role in (Role.TITLE, Role.SECTION))
            cell.alignment = Alignment(horizontal=spec.align, vertical="center", wrap_text=True)
            cell.protection = Protection(locked=spec.role is not Role.CLERK)
            if spec.role.grey:
                cell.fill = grey
            if spec.role not in (Role.TITLE, Role.NOTE):
                cell.border = BORDER
            styles[key] = copy(cell._style)
        for r in range(spec.row, spec.last_row + 1):  # the cells a merge covers carry its borders and fill
            for c in range(spec.col, spec.last_col + 1):
                if (r, c) != (spec.row, spec.col):
                    ws.cell(row=r, column=c)._style = copy(cell._style)
        if spec.merged:
            ws.merge_cells(spec.range_ref)
        # Row height that fits the text, spread over the rows the cell spans.
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        span_width = sum(widths[c - 1] for c in range(spec.col, spec.last_col + 1))
        line_height = LINE_HEIGHT * size / BODY_SIZE
        needed = max(MIN_ROW_HEIGHT, _lines(text, span_width) * line_height + 6) / spec.rowspan
        for r in range(spec.row, spec.last_row + 1):
            heights[r] = max(heights.get(r, MIN_ROW_HEIGHT), needed)
    for row, height in heights.items():
        ws.row_dimensions[row].height = min(409.0, round(height, 1))  # 409 pt is Excel's maximum

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = f"{layout.indicator_header_row}:{layout.indicator_header_row}"
    ws.protection.sheet = options.protect_sheet
    return layout


def build_workbook(items: list[tuple[Evaluation, str]],
                   options: XlsxOptions = XlsxOptions()) -> tuple[Workbook, list[str]]:
    """A new workbook with one sheet per (evaluation, wanted sheet name), and the names given."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    names: list[str] = []
    for evaluation, wanted in items:
        ws = workbook.create_sheet(safe_sheet_name(wanted, taken))
        names.append(ws.title)
        draw_sheet(ws, evaluation.form, evaluation.computed, options)
    return workbook, names


def sheet_title_for(form: Form) -> str:
    return form.name.strip() or form.code.strip() or "自评表"


def write_xlsx(path: Path, items: list[tuple[Evaluation, str]], *, force: bool = False,
               options: XlsxOptions = XlsxOptions()) -> list[str]:
    """Draw the forms on fresh sheets and write them to `path`, read back before it lands.
    Returns the sheet names used."""
    from core.xlsx.verify import refuse_too_long, verify_xlsx

    refuse_too_long(path, [evaluation.form for evaluation, _ in items])
    workbook, names = build_workbook(items, options)
    expected = {name: evaluation.form for name, (evaluation, _) in zip(names, items, strict=True)}
    write_atomically(path, lambda temp: workbook.save(temp), overwrite=force,
                     verify=lambda temp: verify_xlsx(temp, expected))
    return names
