"""The 绩效自评结果汇总表 as an xlsx: the official look (宋体, thin borders, a grey header), codes as
text, numbers as numbers with their formats, print titles, A4 landscape fitted to the width.

Written through core.atomic_write and read back before it lands: every cell of the table is reopened
with openpyxl and compared with what was meant (numbers by value, text as text), so a file whose
numbers did not survive never takes the target's name.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter

from core.atomic_write import ExportError, VerifyError, write_atomically
from core.gc_pause import gc_paused
from core.layouts import FONT_NAME
from core.numbers import from_cell_number, plain
from core.summary.table import COLUMNS, LABEL_SPAN, NUMBER_KINDS, Summary, Value, footer_rows, row_values
from core.text import CELL_CHARS, ILLEGAL_XML, OOXML_ESCAPE
from core.xlsx.writer import display_width

if TYPE_CHECKING:
    from xlsxwriter.format import Format

SHEET_TITLE = "汇总表"
GREY = "#D9D9D9"
BORDER_COLOR = "#000000"
TITLE_ROW, SCOPE_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
UNIT_COL = len(COLUMNS) - 2  # "单位：元" across the last three columns of the scope line
BODY_SIZE = 10
LINE_HEIGHT = 13.5  # points per line at the body size
MIN_ROW_HEIGHT = 18.0
MAX_ROW_HEIGHT = 409.0
EXCEL_DIGITS = 15  # a spreadsheet keeps 15 significant digits of a number
MONEY_FORMATS = {"元": "#,##0.00", "万元": "#,##0.00####"}
NUMBER_FORMATS = {"index": "0", "rate": "0.00", "score": "0.00"}
ERRORS_FORMAT = '0" 张有错误"'


def _number_format(kind: str, unit: str) -> str:
    return MONEY_FORMATS[unit] if kind == "money" else NUMBER_FORMATS.get(kind, "General")


def _lines(text: str, width: float) -> int:
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def _height(lines: int) -> float:
    """A row's height in points for this many lines: at most 409, the most Excel and WPS allow."""
    return min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 4))


def _cell_value(value: Value) -> Value:
    """A number as the cell will hold it (positional, never "1E+2"), text without characters XML
    cannot carry."""
    if isinstance(value, Decimal):
        return Decimal(plain(value))
    if isinstance(value, str):
        return ILLEGAL_XML.sub("", value)
    return value


def expected_cells(summary: Summary) -> dict[tuple[int, int], Value]:
    """Every cell with content the sheet must hold, by (row, column), 1-based: the title, the scope
    and unit line (the unit says how every amount is read), the table's header, rows and totals,
    and the notes under it."""
    cells: dict[tuple[int, int], Value] = {(TITLE_ROW, 1): _cell_value(summary.title),
                                           (SCOPE_ROW, 1): _cell_value(summary.scope.describe()),
                                           (SCOPE_ROW, UNIT_COL): _cell_value(summary.unit_line)}
    for col, column in enumerate(COLUMNS, start=1):
        cells[(HEADER_ROW, col)] = column.header
    rows = [row_values(row, number) for number, row in enumerate(summary.rows, start=1)]
    table = [*rows, *footer_rows(summary)]
    for offset, values in enumerate(table):
        for col, value in enumerate(values, start=1):
            cells[(FIRST_ROW + offset, col)] = _cell_value(value)
    for offset, note in enumerate(summary.notes):
        cells[(FIRST_ROW + len(table) + offset, 1)] = _cell_value(f"说明：{note}")
    return cells


def _refuse_unwritable(target: Path, cells: dict[tuple[int, int], Value]) -> None:
    """A number with more digits than a spreadsheet keeps, or a text longer than a cell holds,
    would not read back: say so first."""
    for (row, col), value in cells.items():
        if isinstance(value, Decimal) and len(value.as_tuple().digits) > EXCEL_DIGITS and value != 0:
            raise ExportError(f"无法导出 {target}：{get_column_letter(col)}{row} 的数值 {plain(value)} "
                              "超过电子表格能精确保存的"
                              f" {EXCEL_DIGITS} 位有效数字", target)
        if isinstance(value, str) and len(value) > CELL_CHARS:
            raise ExportError(f"无法导出 {target}：{get_column_letter(col)}{row} 的文字“{_shown(value)}”超过电子表格"
                              f"单元格的上限 {CELL_CHARS} 个字符，请先在该表中删减", target)


def workbook_bytes(summary: Summary, cells: dict[tuple[int, int], Value] | None = None) -> bytes:
    """The summary's workbook as the bytes of an .xlsx; `cells` are its expected_cells() when the
    caller has them. Written with XlsxWriter, which streams a large sheet some three times faster
    than openpyxl builds and saves it (bench/README.md), and read back with openpyxl: the check is
    made by another program's reader than the one that wrote."""
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    ws = workbook.add_worksheet(SHEET_TITLE)
    last = len(COLUMNS) - 1  # 0-based from here on: XlsxWriter counts rows and columns from 0
    widths = [c.width for c in COLUMNS]
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)

    formats: dict[tuple, Format] = {}

    def style(number_format: str, *, align: str = "center", bold: bool = False, fill: bool = False,
              size: int = BODY_SIZE, border: bool = True, wrap: bool = True) -> Format:
        """One format per kind of cell, made once."""
        key = (number_format, align, bold, fill, size, border, wrap)
        if key not in formats:
            properties: dict[str, object] = {"font_name": FONT_NAME, "font_size": size, "bold": bold,
                                             "align": align, "valign": "vcenter", "text_wrap": wrap,
                                             "num_format": number_format}
            if border:
                properties.update(border=1, border_color=BORDER_COLOR)
            if fill:
                properties.update(pattern=1, bg_color=GREY)
            formats[key] = workbook.add_format(properties)
        return formats[key]

    def put(row: int, col: int, value: Value, cell_format: Format) -> None:
        if isinstance(value, str) and value.startswith("<r>") and value.endswith("</r>"):
            # XlsxWriter takes such a text for its own rich-text markup and writes it unescaped:
            # written as two runs in the cell's font, it is escaped and reads back as typed.
            ws.write_rich_string(row, col, cell_format, value[:1], cell_format, value[1:], cell_format)
        elif isinstance(value, str) and value:
            ws.write_string(row, col, value, cell_format)  # "=..." or a code of digits stays text
        elif value in (None, ""):  # a blank cell, not an empty text (ISBLANK, COUNTA)
            ws.write_blank(row, col, None, cell_format)
        else:
            ws.write_number(row, col, value, cell_format)  # a Decimal: written with its digits as they are

    cells = cells if cells is not None else expected_cells(summary)
    ws.merge_range(TITLE_ROW - 1, 0, TITLE_ROW - 1, last, cells[(TITLE_ROW, 1)],
                   style("General", bold=True, size=16, border=False, wrap=False))
    ws.set_row(TITLE_ROW - 1, 30)
    ws.merge_range(SCOPE_ROW - 1, 0, SCOPE_ROW - 1, UNIT_COL - 2, cells[(SCOPE_ROW, 1)],
                   style("General", align="left", border=False, wrap=False))
    ws.merge_range(SCOPE_ROW - 1, UNIT_COL - 1, SCOPE_ROW - 1, last, cells[(SCOPE_ROW, UNIT_COL)],
                   style("General", align="right", border=False, wrap=False))
    ws.set_row(SCOPE_ROW - 1, 20)

    header = style("@", bold=True, fill=True)
    for col, column in enumerate(COLUMNS):
        put(HEADER_ROW - 1, col, column.header, header)
    ws.set_row(HEADER_ROW - 1, 30)

    footer_first = FIRST_ROW + len(summary.rows)
    last_row = footer_first + 2
    for row in range(FIRST_ROW, last_row + 1):
        footer = row >= footer_first
        lines = 1
        for col, column in enumerate(COLUMNS, start=1):
            value = cells[(row, col)]
            if footer and 1 < col <= LABEL_SPAN:
                continue  # merged into the label's cell below
            if isinstance(value, str):
                align = "left" if column.kind == "text" and not footer else "center"
                cell_format = style("@", align=align, bold=footer)
                width = sum(widths[:LABEL_SPAN]) if footer and col == 1 else widths[col - 1]
                lines = max(lines, _lines(value, width))
            else:
                number_format = ERRORS_FORMAT if footer and column.key == "findings" else \
                    _number_format(column.kind, summary.money_unit)
                align = "right" if column.kind in NUMBER_KINDS else "center"
                cell_format = style(number_format, align=align, bold=footer)
            if footer and col == 1:
                ws.merge_range(row - 1, 0, row - 1, LABEL_SPAN - 1, value, cell_format)
            else:
                put(row - 1, col - 1, value, cell_format)
        ws.set_row(row - 1, _height(lines))

    note_format = style("General", align="left", border=False)
    for offset in range(len(summary.notes)):
        note = cells[(last_row + 1 + offset, 1)]
        assert isinstance(note, str)
        row = last_row + offset  # 0-based: the row after the table
        ws.merge_range(row, 0, row, last, note, note_format)
        ws.set_row(row, _height(_lines(note, sum(widths))))

    ws.freeze_panes(FIRST_ROW - 1, 0)
    ws.repeat_rows(SCOPE_ROW - 1, HEADER_ROW - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # the width on one page, as many pages down as it takes
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer(f'&C&"{FONT_NAME},Regular"第 &P 页 共 &N 页')  # 0.3 in from the edge, as Excel's default
    workbook.close()
    return stream.getvalue()


def _as_openpyxl_reads(text: str) -> str:
    """`text` as openpyxl returns it from a shared string XlsxWriter wrote: XlsxWriter escapes a
    literal "_xHHHH_" as "_x005F_xHHHH_", and openpyxl's reader removes every "x005F_" — also one
    the clerk typed ("文件x005F_名"), which Excel and WPS show as typed."""
    return OOXML_ESCAPE.sub(r"_x005F\g<0>", text).replace("x005F_", "")


def _shown(value: object) -> str:
    """A cell's value as a message quotes it: at most 40 characters."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}…（共 {len(text)} 个字符）"


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
        sheet = workbook[SHEET_TITLE]
        rows = sheet.iter_rows(min_row=TITLE_ROW, max_row=last_row, max_col=len(COLUMNS),
                               values_only=True)  # values alone: a fifth faster than cells
        for row_number, values in enumerate(rows, start=TITLE_ROW):
            for col, value in enumerate(values, start=1):
                got[(row_number, col)] = value
        for (row, col), want in expected.items():
            have = got.get((row, col))
            where = f"{get_column_letter(col)}{row}"
            if isinstance(want, (Decimal, int)):
                if isinstance(have, bool) or not isinstance(have, (int, float)):
                    raise VerifyError(f"单元格 {where} 应为数值 {want}，读回为“{_shown(have)}”")
                if from_cell_number(have) != want:
                    raise VerifyError(f"单元格 {where} 应为 {plain(Decimal(want))}，读回为 {have!r}")
            elif want in (None, ""):
                if have not in (None, ""):
                    raise VerifyError(f"单元格 {where} 应为空，读回为“{_shown(have)}”")
            elif have != want and have != _as_openpyxl_reads(want):
                raise VerifyError(f"单元格 {where} 应为文字“{_shown(want)}”，读回为“{_shown(have)}”")
        if summary.rows:  # the formats say how the numbers print: those of the first row, as a sample
            for cell in next(sheet.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW, max_col=len(COLUMNS))):
                kind = COLUMNS[cell.column - 1].kind
                wanted = _number_format(kind, summary.money_unit)
                if kind in NUMBER_KINDS and isinstance(cell.value, (int, float)) and cell.number_format != wanted:
                    raise VerifyError(f"单元格 {cell.coordinate} 的数字格式应为“{wanted}”，"
                                      f"读回为“{cell.number_format}”")
    finally:
        workbook.close()


def write_summary_xlsx(path: str | Path, summary: Summary, *, force: bool = False) -> None:
    """Write the summary to `path`, read back before it replaces anything. Raises ExportError
    (ExportExistsError when `path` exists and `force` is false)."""
    target = Path(path)
    with gc_paused():
        cells = expected_cells(summary)
        _refuse_unwritable(target, cells)
        write_atomically(target, workbook_bytes(summary, cells), overwrite=force,
                         verify=lambda temp: verify_summary_xlsx(temp, summary, cells))
