"""The 汇总表 as a PDF for leaders to sign and stamp: A4 landscape, the column header repeated on every
page of the table, the totals kept together, the notes, the signature block (单位负责人, 财务负责人,
填表人, 联系电话, 填报日期, 单位盖章), a chart page (等级 counts and the 总得分 distribution), and
"第 N 页 共 M 页" on every page.

The table is placed by hand on reportlab's canvas, as the form's PDF is (core.pdf.writer): each
row is measured (core.pdf.lines wraps its cells), rows are cut into pages, and a row taller than a
page is split line by line so no text is ever cut off. The font is the form PDF's (core.pdf.fonts).
"""

from __future__ import annotations

import datetime
import io
import os
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from core import APP_NAME, __version__
from core.atomic_write import check_target, write_atomically
from core.gc_pause import gc_paused
from core.pdf.fonts import PdfFont, resolve_font
from core.pdf.lines import break_lines
from core.pdf.pages import Paper
from core.pdf.writer import (
    BORDER_WIDTH,
    FAKE_BOLD_STROKE,
    GREY,
    PdfOptions,
    draw_page_footer,
    draw_signature_block,
    signature_texts,
)
from core.summary.chart import GRADE_BARS, bar_chart
from core.summary.table import (
    COLUMNS,
    LABEL_SPAN,
    NUMBER_KINDS,
    Summary,
    cell_text,
    footer_rows,
    row_values,
    score_bins,
)

SIZE = 8  # table text
LEADING = SIZE * 1.25
PAD_X, PAD_Y = 2.5, 2.0
TITLE_SIZE = 15
LINE_SIZE = 9  # the scope and unit line, the notes
TITLE_BLOCK = TITLE_SIZE * 1.6 + LINE_SIZE * 1.25 + 6
CONTINUED_BLOCK = LINE_SIZE * 1.25 + 6
SIGNATURE_HEIGHT = 80
CHART_TITLE = "等级分布与总得分分布"
BINS_NOTE = "总得分分段含下限、不含上限；“95–100”含 100 分。"


@dataclass
class _Cell:
    col: int
    span: int
    lines: tuple[str, ...]
    align: str  # left, right, center


@dataclass
class _Row:
    kind: str  # header, body, footer
    cells: list[_Cell]
    height: float


def _align(kind: str) -> str:
    return "left" if kind == "text" else "right" if kind in NUMBER_KINDS else "center"


class _Table:
    """The summary's rows measured at the page's width."""

    def __init__(self, summary: Summary, font: str, paper: Paper):
        total = sum(c.width for c in COLUMNS)
        widths = [paper.body_width * c.width / total for c in COLUMNS]
        self.col_x = [sum(widths[:i]) for i in range(len(widths) + 1)]
        self.font = font
        self.header = self.row("header", [(i, 1, c.header, "center") for i, c in enumerate(COLUMNS)])
        self.body = [self.row("body", [(i, 1, cell_text(v, c), _align(c.kind))
                                       for i, (v, c) in enumerate(zip(row_values(r, n), COLUMNS, strict=False))])
                     for n, r in enumerate(summary.rows, start=1)]
        self.footer = []
        for values in footer_rows(summary):
            cells = [(0, LABEL_SPAN, cell_text(values[0], COLUMNS[0], footer=True), "center")]
            cells += [(i, 1, cell_text(v, c, footer=True), _align(c.kind))
                      for i, (v, c) in enumerate(zip(values, COLUMNS, strict=False)) if i >= LABEL_SPAN]
            self.footer.append(self.row("footer", cells))

    def width(self, col: int, span: int) -> float:
        return self.col_x[col + span] - self.col_x[col]

    def row(self, kind: str, cells: list[tuple[int, int, str, str]]) -> _Row:
        # A number is never broken ("987,654,321,01" over "2.34"): one line, narrowed to fit when drawn.
        made = [_Cell(col, span, (text,) if align == "right" and text else
                      tuple(break_lines(text, self.width(col, span) - 2 * PAD_X, self.font, SIZE)), align)
                for col, span, text, align in cells]
        return _Row(kind, made, _height(made))


def _height(cells: list[_Cell]) -> float:
    return max(len(c.lines) for c in cells) * LEADING + 2 * PAD_Y if cells else LEADING + 2 * PAD_Y


def _split(row: _Row, room: float) -> list[_Row]:
    """A row taller than `room` as several rows, each cell's lines divided among them."""
    per = max(1, int((room - 2 * PAD_Y) // LEADING))
    count = max(len(c.lines) for c in row.cells)
    parts = []
    for start in range(0, count, per):
        cells = [replace(c, lines=c.lines[start:start + per]) for c in row.cells]
        parts.append(_Row(row.kind, cells, _height(cells)))
    return parts


@dataclass
class _Page:
    rows: list[_Row]
    notes: list[str]
    signature: bool = False
    chart: bool = False


def paginate(table: _Table, note_lines: list[str], paper: Paper) -> list[_Page]:
    """The table's rows (header repeated), then the notes, then the signature block, then the chart."""
    room_first = paper.body_height - TITLE_BLOCK
    room_next = paper.body_height - CONTINUED_BLOCK
    body: list[list[_Row]] = []  # units that stay together: one row (or part), or the three totals rows
    limit = min(room_first, room_next) - table.header.height  # a part fits under the header on any page
    for row in table.body:
        body.extend([part] for part in (_split(row, limit) if row.height > limit else [row]))
    body.append(table.footer)
    pages: list[_Page] = []
    page = _Page([table.header], [])
    room = room_first
    used = table.header.height
    for unit in body:
        height = sum(r.height for r in unit)
        if used + height > room and len(page.rows) > 1:
            pages.append(page)
            page, room, used = _Page([table.header], []), room_next, table.header.height
        page.rows.extend(unit)
        used += height
    note_height = LINE_SIZE * 1.3
    if note_lines:
        used += 4
    for line in note_lines:
        if used + note_height > room:
            pages.append(page)
            page, room, used = _Page([], []), room_next, 0.0
        page.notes.append(line)
        used += note_height
    if used + SIGNATURE_HEIGHT > room:
        pages.append(page)
        page = _Page([], [])
    page.signature = True
    pages.append(page)
    pages.append(_Page([], [], chart=True))
    return pages


def write_summary_pdf(path: str | os.PathLike, summary: Summary, options: PdfOptions = PdfOptions()) -> list[str]:
    """Write the summary's PDF to `path`; return warnings in Chinese (a font not embedded,
    characters the font lacks). Raises ExportExistsError / ExportError; nothing is left behind
    when writing fails."""
    target = Path(path)
    check_target(target, overwrite=options.overwrite)
    with gc_paused():
        data, warnings = render_summary_pdf(summary, options)
    write_atomically(target, data, overwrite=options.overwrite)
    return warnings


def render_summary_pdf(summary: Summary, options: PdfOptions = PdfOptions()) -> tuple[bytes, list[str]]:
    font = resolve_font(options.font_file, options.font_search)
    date = options.date or datetime.date.today()
    paper = Paper()
    warnings = list(font.warnings)
    table = _Table(summary, font.name, paper)
    note_lines = [line for note in summary.notes
                  for line in break_lines(f"说明：{note}", paper.body_width, font.name, LINE_SIZE)]
    missing = font.missing(_all_text(summary, options, date))
    if missing:
        warnings.append(f"汇总表中有字体“{font.path.name if font.path else font.name}”缺少的字符，"
                        "打印时会显示为空白或方框："
                        f"{' '.join(missing)}。请在设置中换一个字体。")
    pages = paginate(table, note_lines, paper)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(paper.width, paper.height), pageCompression=1, initialFontName=font.name,
                    initialFontSize=SIZE)
    canvas.setTitle(summary.title)
    canvas.setSubject(f"{summary.scope.describe()}　{summary.unit_line}")
    canvas.setCreator(f"{APP_NAME} {__version__}")
    canvas.setAuthor(summary.scope.implementing_unit or summary.scope.supervisor)
    for number, page in enumerate(pages, start=1):
        _draw_page(canvas, summary, table, page, number == 1, font, paper, options, date)
        draw_page_footer(canvas, paper, font, f"{summary.title}　{summary.unit_line}", number, len(pages))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue(), warnings


def _draw_page(canvas: Canvas, summary: Summary, table: _Table, page: _Page, first: bool, font: PdfFont,
               paper: Paper, options: PdfOptions, date: datetime.date) -> None:
    top = paper.height - paper.margin_top
    left, right = paper.margin_x, paper.width - paper.margin_x
    canvas.setFillColor(colors.black)
    if page.chart:
        _draw_charts(canvas, summary, font, paper, top)
        return
    if first:
        canvas.setFont(font.name, TITLE_SIZE)
        canvas.drawCentredString(paper.width / 2, top - TITLE_SIZE, summary.title)
        top -= TITLE_SIZE * 1.6
        top = _line(canvas, font, left, right, top, summary.scope.describe(), summary.unit_line)
    else:  # every later page says what it continues, and in which unit
        top = _line(canvas, font, left, right, top, f"{summary.title}（续）", summary.unit_line)
    for row in page.rows:
        _draw_row(canvas, table, row, font, left, top)
        top -= row.height
    if page.notes:
        top -= 4
        canvas.setFont(font.name, LINE_SIZE)
        for line in page.notes:
            canvas.drawString(left, top - LINE_SIZE, line)
            top -= LINE_SIZE * 1.3
    if page.signature:
        draw_signature_block(canvas, font, options, date, left, paper.body_width, top - 4, SIGNATURE_HEIGHT)


def _line(canvas: Canvas, font: PdfFont, left: float, right: float, top: float, text: str, unit: str) -> float:
    """The line above the table: scope (or 续) on the left, 单位 on the right."""
    canvas.setFont(font.name, LINE_SIZE)
    baseline = top - LINE_SIZE
    canvas.drawString(left, baseline, text)
    canvas.drawRightString(right, baseline, unit)
    return top - CONTINUED_BLOCK


def _draw_row(canvas: Canvas, table: _Table, row: _Row, font: PdfFont, left: float, top: float) -> None:
    canvas.saveState()  # the cells' white fill must not become the colour of what is drawn next
    _draw_cells(canvas, table, row, font, left, top)
    canvas.restoreState()


def _draw_cells(canvas: Canvas, table: _Table, row: _Row, font: PdfFont, left: float, top: float) -> None:
    bold = row.kind != "body"
    canvas.setLineWidth(BORDER_WIDTH)
    for cell in row.cells:
        x = left + table.col_x[cell.col]
        width = table.width(cell.col, cell.span)
        canvas.setFillColor(GREY if row.kind == "header" else colors.white)
        canvas.rect(x, top - row.height, width, row.height, stroke=1, fill=1)
        if not cell.lines:
            continue
        canvas.saveState()
        canvas.setFillColor(colors.black)
        text = canvas.beginText()
        text.setFont(font.name, SIZE, LEADING)
        if bold:  # the faux bold of a font without a bold face (as the form's PDF does it)
            canvas.setLineWidth(FAKE_BOLD_STROKE)
            text.setTextRenderMode(2)
        y = top - (row.height - len(cell.lines) * LEADING) / 2
        for k, line in enumerate(cell.lines):
            baseline = y - k * LEADING - (LEADING - SIZE) / 2 - 0.88 * SIZE
            line_width = stringWidth(line, font.name, SIZE)
            room = width - 2 * PAD_X
            if cell.align == "left":
                start = x + PAD_X
            elif cell.align == "right":
                if line_width > room:  # a number wider than its column: narrowed, not broken
                    text.setHorizScale(100 * room / line_width)
                    line_width = room
                start = x + width - PAD_X - line_width
            else:
                start = x + (width - line_width) / 2
            text.setTextOrigin(start, baseline)
            text.textOut(line)
        canvas.drawText(text)
        canvas.restoreState()


def _draw_charts(canvas: Canvas, summary: Summary, font: PdfFont, paper: Paper, top: float) -> None:
    canvas.setFont(font.name, TITLE_SIZE)
    canvas.drawCentredString(paper.width / 2, top - TITLE_SIZE, f"{summary.title}：{CHART_TITLE}")
    canvas.setFont(font.name, LINE_SIZE)
    canvas.drawCentredString(paper.width / 2, top - TITLE_SIZE - LINE_SIZE * 2,
                             f"{summary.scope.describe()}　共 {summary.totals.count} 张表")
    gap = 24
    width = (paper.body_width - gap) / 2
    height = min(330.0, paper.body_height - TITLE_SIZE - LINE_SIZE * 4 - 40)
    bottom = top - TITLE_SIZE - LINE_SIZE * 3 - 16 - height
    grades = bar_chart(summary.totals.grade_counts, "各等级项目数（张）", font.name, width, height, GRADE_BARS)
    scores = bar_chart(score_bins(summary.rows), "总得分分布（张）", font.name, width, height)
    renderPDF.draw(grades, canvas, paper.margin_x, bottom)
    renderPDF.draw(scores, canvas, paper.margin_x + width + gap, bottom)
    canvas.setFont(font.name, LINE_SIZE)
    canvas.drawString(paper.margin_x + width + gap + 36, bottom - LINE_SIZE * 1.5, BINS_NOTE)
    canvas.drawString(paper.margin_x + 36, bottom - LINE_SIZE * 1.5, "等级：" + "，".join(
        f"{name} {count} 张" for name, count in summary.totals.grade_counts) + "。")


def _all_text(summary: Summary, options: PdfOptions, date: datetime.date) -> str:
    parts = [summary.title, summary.scope.describe(), summary.unit_line, CHART_TITLE, BINS_NOTE, *summary.notes,
             options.unit_leader, options.finance_leader]
    for number, row in enumerate(summary.rows, start=1):
        parts.extend(cell_text(v, c) for v, c in zip(row_values(row, number), COLUMNS, strict=False))
    for values in footer_rows(summary):
        parts.extend(cell_text(v, c, footer=True) for v, c in zip(values, COLUMNS, strict=False))
    first, second = signature_texts(options, date)
    return "".join(parts) + "".join(first + second)
