"""The 绩效自评结果汇总表 as an xlsx: the official look (宋体, thin borders, a grey header), codes as
text, numbers as numbers with their formats, print titles, A4 landscape fitted to the width.

Written through core.atomic_write and read back before it lands: every cell of the table is reopened
with openpyxl and compared with what was meant (numbers by value, text as text), so a file whose
numbers did not survive never takes the target's name.
"""

from __future__ import annotations

import io
import math
from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from core.atomic_write import ExportError, VerifyError, write_atomically
from core.gc_pause import gc_paused
from core.layouts import FONT_NAME
from core.numbers import from_cell_number, plain
from core.summary.table import COLUMNS, LABEL_SPAN, Summary, Value, footer_rows, row_values
from core.text import ILLEGAL_XML
from core.xlsx.writer import display_width

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

SHEET_TITLE = "汇总表"
GREY = "D9D9D9"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROW, SCOPE_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
BODY_SIZE = 10
LINE_HEIGHT = 13.5  # points per line at the body size
MIN_ROW_HEIGHT = 18.0
EXCEL_DIGITS = 15  # a spreadsheet keeps 15 significant digits of a number
MONEY_FORMATS = {"元": "#,##0.00", "万元": "#,##0.00####"}
NUMBER_FORMATS = {"index": "0", "rate": "0.00", "score": "0.00"}
ERRORS_FORMAT = '0" 张有错误"'


def _number_format(kind: str, unit: str) -> str:
    return MONEY_FORMATS[unit] if kind == "money" else NUMBER_FORMATS.get(kind, "General")


def _lines(text: str, width: float) -> int:
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def _cell_value(value: Value) -> Value:
    """A number as the cell will hold it (positional, never "1E+2"), text without characters XML
    cannot carry."""
    if isinstance(value, Decimal):
        return Decimal(plain(value))
    if isinstance(value, str):
        return ILLEGAL_XML.sub("", value)
    return value


def expected_cells(summary: Summary) -> dict[tuple[int, int], Value]:
    """Every table cell the sheet must hold, by (row, column), 1-based: header, rows, totals."""
    cells: dict[tuple[int, int], Value] = {}
    for col, column in enumerate(COLUMNS, start=1):
        cells[(HEADER_ROW, col)] = column.header
    rows = [row_values(row, number) for number, row in enumerate(summary.rows, start=1)]
    for offset, values in enumerate([*rows, *footer_rows(summary)]):
        for col, value in enumerate(values, start=1):
            cells[(FIRST_ROW + offset, col)] = _cell_value(value)
    return cells


def _refuse_imprecise(target: Path, cells: dict[tuple[int, int], Value]) -> None:
    """A number with more digits than a spreadsheet keeps would not read back: say so first."""
    for (row, col), value in cells.items():
        if isinstance(value, Decimal) and len(value.as_tuple().digits) > EXCEL_DIGITS and value != 0:
            raise ExportError(f"无法导出 {target}：{get_column_letter(col)}{row} 的数值 {plain(value)} "
                              "超过电子表格能精确保存的"
                              f" {EXCEL_DIGITS} 位有效数字", target)


def build_workbook(summary: Summary, cells: dict[tuple[int, int], Value] | None = None) -> Workbook:
    """The summary's workbook; `cells` are its expected_cells() when the caller has them."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = SHEET_TITLE
    last_col = len(COLUMNS)
    last_letter = get_column_letter(last_col)
    widths = [c.width for c in COLUMNS]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    body = Font(name=FONT_NAME, size=BODY_SIZE)
    bold = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
    grey = PatternFill("solid", start_color=GREY, end_color=GREY)

    title = ws.cell(TITLE_ROW, 1, summary.title)
    title.font = Font(name=FONT_NAME, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{TITLE_ROW}:{last_letter}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 30
    scope = ws.cell(SCOPE_ROW, 1, summary.scope.describe())
    scope.font = body
    scope.alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells(f"A{SCOPE_ROW}:{get_column_letter(last_col - 3)}{SCOPE_ROW}")
    unit = ws.cell(SCOPE_ROW, last_col - 2, summary.unit_line)
    unit.font = body
    unit.alignment = Alignment(horizontal="right", vertical="center")
    ws.merge_cells(f"{get_column_letter(last_col - 2)}{SCOPE_ROW}:{last_letter}{SCOPE_ROW}")
    ws.row_dimensions[SCOPE_ROW].height = 20

    # One style per kind of cell, copied onto each cell: openpyxl hashes every style assignment.
    styles: dict[tuple, object] = {}

    def put(row: int, col: int, value: Value, number_format: str, *, align: str = "center", is_bold: bool = False,
            fill: bool = False) -> None:
        cell = ws.cell(row, col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # "=..." or a code of digits stays text
        key = (number_format, align, is_bold, fill)
        if key not in styles:
            cell.font = bold if is_bold else body
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            cell.border = BORDER
            cell.number_format = number_format
            if fill:
                cell.fill = grey
            styles[key] = copy(cell._style)
        else:
            cell._style = copy(styles[key])

    for col, column in enumerate(COLUMNS, start=1):
        put(HEADER_ROW, col, column.header, "@", is_bold=True, fill=True)
    ws.row_dimensions[HEADER_ROW].height = 30

    cells = cells if cells is not None else expected_cells(summary)
    footer_first = FIRST_ROW + len(summary.rows)
    last_row = footer_first + 2
    for row in range(FIRST_ROW, last_row + 1):
        footer = row >= footer_first
        lines = 1
        for col, column in enumerate(COLUMNS, start=1):
            value = cells[(row, col)]
            if footer and 1 < col <= LABEL_SPAN:
                put(row, col, None, "@", is_bold=True)
                continue
            if isinstance(value, str):
                align = "left" if column.kind == "text" and not footer else "center"
                put(row, col, value, "@", align=align, is_bold=footer)
                width = sum(widths[:LABEL_SPAN]) if footer and col == 1 else widths[col - 1]
                lines = max(lines, _lines(value, width))
            else:
                fmt = ERRORS_FORMAT if footer and column.key == "findings" else _number_format(column.kind,
                                                                                               summary.money_unit)
                align = "right" if column.kind in ("money", "rate", "score") else "center"
                put(row, col, value, fmt, align=align, is_bold=footer)
        if footer:
            ws.merge_cells(f"A{row}:{get_column_letter(LABEL_SPAN)}{row}")
        ws.row_dimensions[row].height = max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 4)

    note_row = last_row + 1
    for note in (f"说明：{n}" for n in summary.notes):
        cell = ws.cell(note_row, 1, ILLEGAL_XML.sub("", note))
        cell.data_type = "s"
        cell.font = body
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.merge_cells(f"A{note_row}:{last_letter}{note_row}")
        ws.row_dimensions[note_row].height = max(MIN_ROW_HEIGHT, _lines(note, sum(widths)) * LINE_HEIGHT + 4)
        note_row += 1

    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{SCOPE_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    return workbook


def verify_summary_xlsx(path: Path, summary: Summary, cells: dict[tuple[int, int], Value] | None = None) -> None:
    """Raise VerifyError unless the file holds every table cell of `summary` (its expected_cells(),
    passed as `cells` when at hand): numbers equal by value, text equal and stored as text."""
    try:
        # From the bytes: the temporary file's name ends in .part, which openpyxl refuses.
        workbook = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl raises, the file is not what we meant
        raise VerifyError(f"文件无法作为 xlsx 打开（{exc}）") from None
    try:
        if SHEET_TITLE not in workbook.sheetnames:
            raise VerifyError(f"没有工作表“{SHEET_TITLE}”")
        expected = cells if cells is not None else expected_cells(summary)
        last_row = max(row for row, _ in expected)
        got: dict[tuple[int, int], object] = {}
        for row in workbook[SHEET_TITLE].iter_rows(min_row=HEADER_ROW, max_row=last_row, max_col=len(COLUMNS)):
            for cell in row:
                if hasattr(cell, "column"):
                    got[(cell.row, cell.column)] = cell.value
        for (row, col), want in expected.items():
            have = got.get((row, col))
            where = f"{get_column_letter(col)}{row}"
            if isinstance(want, (Decimal, int)):
                if isinstance(have, bool) or not isinstance(have, (int, float)):
                    raise VerifyError(f"单元格 {where} 应为数值 {want}，读回为“{have}”")
                if from_cell_number(have) != want:
                    raise VerifyError(f"单元格 {where} 应为 {plain(Decimal(want))}，读回为 {have!r}")
            elif want in (None, ""):
                if have not in (None, ""):
                    raise VerifyError(f"单元格 {where} 应为空，读回为“{have}”")
            elif have != want:
                raise VerifyError(f"单元格 {where} 应为文字“{want}”，读回为“{have}”")
    finally:
        workbook.close()


def write_summary_xlsx(path: str | Path, summary: Summary, *, force: bool = False) -> None:
    """Write the summary to `path`, read back before it replaces anything. Raises ExportError
    (ExportExistsError when `path` exists and `force` is false)."""
    target = Path(path)
    with gc_paused():
        cells = expected_cells(summary)
        _refuse_imprecise(target, cells)
        workbook = build_workbook(summary, cells)
        write_atomically(target, lambda temp: workbook.save(temp), overwrite=force,
                         verify=lambda temp: verify_summary_xlsx(temp, summary, cells))
