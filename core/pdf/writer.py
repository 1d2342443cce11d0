"""The printable PDF of one or more forms, for leaders to sign and stamp (SPEC §6).

Drawn with reportlab's canvas from the layout (core.layouts via core.pdf.pages), not with platypus
tables: the layouts merge cells over many rows (年度绩效指标 spans the whole indicator table), and a
table that must break inside such merges, repeat its heading and split a row taller than a page is
simpler and more predictable to place by hand than to coax out of Table.split.

Each form starts on a new page and numbers its own pages ("第 N 页 共 M 页"); a form that fits on one
page at 85 % or more is drawn shrunk onto one page (core.pdf.pages.fit_pages). The file is built in
memory, written to a temporary file beside the target and renamed, so a failed export never leaves
half a PDF behind.
"""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from core import APP_NAME, __version__
from core.atomic_write import ExportError, ExportExistsError, check_target, write_atomically
from core.checks import Evaluation
from core.identity import uses_code
from core.layout_files import layout_spec
from core.layouts import TITLE, UnknownLayoutError, cell_text, sheet_layout
from core.model import Form
from core.pdf.fonts import FontSearch, PdfFont, resolve_font
from core.pdf.lines import truncate
from core.pdf.pages import GRID, SIGNATURE, Page, Paper, Piece, Sheet, fit_pages

GREY = colors.HexColor("#D9D9D9")  # the template's 置灰 (Excel "white, background 1, darker 15%")
BORDER_WIDTH = 0.6
FAKE_BOLD_STROKE = 0.3
WATERMARK = "草稿"
FOOTER_SIZE = 8
SIGNATURE_SIZE = 10
SIGNATURE_LABELS = ("单位负责人（签字）：", "财务负责人（签字）：", "（单位盖章）")


# The PDF's errors are the shared export errors (core.atomic_write), under the names callers know.
PdfError = ExportError
PdfExistsError = ExportExistsError


@dataclass(frozen=True)
class PdfOptions:
    """What the clerk decides for an export. `preparer` (填表人) and `phone` (联系电话) come from the
    unit's settings and may be edited per form; `date` (填报日期) is the export date when None.
    `font_file` is the font chosen in settings (None: look for one); `font_search` replaces the
    system's font folders (tests pass an empty FontSearch to exercise the fallback)."""

    preparer: str = ""
    phone: str = ""
    unit_leader: str = ""  # 单位负责人 and 财务负责人: printed small under their signature lines
    finance_leader: str = ""
    date: datetime.date | None = None
    watermark: bool = True  # 草稿 on forms that still have error-level findings
    overwrite: bool = False
    font_file: str | os.PathLike | None = None
    font_search: FontSearch | None = None


def write_pdf(path: str | os.PathLike, evaluations: Sequence[Evaluation],
              options: PdfOptions = PdfOptions()) -> list[str]:
    """Write the forms (usually one) into the PDF file `path`; return warnings in Chinese for the
    clerk (a font that is not embedded, characters the font lacks, forms marked 草稿).

    Raises PdfExistsError when `path` exists and options.overwrite is false, PdfError when it cannot
    be written. Nothing is left at `path` (or beside it) when writing fails.
    """
    target = Path(path)
    check_target(target, overwrite=options.overwrite)  # fail before drawing
    for evaluation in evaluations:
        if layout_spec(evaluation.form.layout) is None:
            raise ExportError(f"无法导出 {target}：{UnknownLayoutError(evaluation.form.layout)}", target)
    data, warnings = render_pdf(evaluations, options)
    write_atomically(target, data, overwrite=options.overwrite)
    return warnings


def render_pdf(evaluations: Sequence[Evaluation],
               options: PdfOptions = PdfOptions()) -> tuple[bytes, list[str]]:
    """The PDF's bytes and the warnings, without touching the disk."""
    if not evaluations:
        raise ValueError("render_pdf needs at least one form")
    font = resolve_font(options.font_file, options.font_search)
    date = options.date or datetime.date.today()
    warnings = list(font.warnings)
    paper = Paper()
    buffer = io.BytesIO()
    # The initial font is the CJK one, so no unembedded Helvetica is ever referenced.
    canvas = Canvas(buffer, pagesize=(paper.width, paper.height), pageCompression=1,
                    initialFontName=font.name, initialFontSize=paper.font_size)
    _metadata(canvas, evaluations)
    for evaluation in evaluations:
        form = evaluation.form
        draft = options.watermark and bool(evaluation.errors)
        if draft:
            warnings.append(f"“{_form_label(form)}”还有 {len(evaluation.errors)} 个错误未改正，"
                            "PDF 加了“草稿”水印。")
        missing = font.missing(_all_text(evaluation, options, date))
        if missing:
            warnings.append(f"“{_form_label(form)}”中有字体“{_font_label(font)}”缺少的字符，"
                            f"打印时会显示为空白或方框：{' '.join(missing)}。请在设置中换一个字体。")
        layout = fit_pages(form, evaluation.computed, font.name, paper)
        sheet, pages = layout.sheet, layout.pages
        for number, page in enumerate(pages, start=1):
            canvas.saveState()
            canvas.scale(layout.scale, layout.scale)  # a form shrunk onto one page (core.pdf.pages)
            _draw_page(canvas, sheet, page, font)
            _draw_signature(canvas, sheet, page, font, options, date)
            canvas.restoreState()
            if draft:
                _draw_watermark(canvas, paper, font)
            _draw_footer(canvas, paper, font, form, number, len(pages))
            canvas.showPage()
    canvas.save()
    return buffer.getvalue(), warnings


def signature_texts(options: PdfOptions, date: datetime.date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The signature block's two lines of three columns, as printed."""
    return (
        SIGNATURE_LABELS,
        (f"填表人：{options.preparer.strip()}", f"联系电话：{options.phone.strip()}",
         f"填报日期：{date.year}年{date.month}月{date.day}日"),
    )


# --- drawing -------------------------------------------------------------------------------------

def _metadata(canvas: Canvas, evaluations: Sequence[Evaluation]) -> None:
    forms = [e.form for e in evaluations]
    title = (forms[0].name.strip() or TITLE) if len(forms) == 1 else f"{TITLE}（{len(forms)} 个项目）"
    years = list(dict.fromkeys(f.year.strip() for f in forms if f.year.strip()))
    canvas.setTitle(title)
    canvas.setSubject(f"绩效自评表 {'、'.join(years)}".strip())
    canvas.setCreator(f"{APP_NAME} {__version__}")
    canvas.setAuthor(forms[0].implementing_unit.strip())


EM_ASCENT = 0.88  # a CJK glyph's em box sits 0.88 em above the baseline and 0.12 below


def _draw_piece_text(canvas: Canvas, piece: Piece, font: PdfFont, x: float, top: float, height: float,
                     paper: Paper, from_top: bool) -> None:
    """The piece's lines, centred vertically as in the template, or from the top when the text
    flows on from or to another page."""
    if not piece.lines:
        return
    y = top - paper.pad_y if from_top else top - (height - piece.content_height) / 2
    canvas.saveState()  # the render mode and line width of a bold cell end with it
    text = canvas.beginText()
    text.setFont(font.name, piece.size, piece.leading)
    if piece.cell.bold:
        # Fill and stroke the glyphs: the faux bold Excel and Word print for fonts without a bold
        # face, such as SimSun.
        canvas.setLineWidth(FAKE_BOLD_STROKE)
        text.setTextRenderMode(2)
    for k, line in enumerate(piece.lines):
        baseline = y - k * piece.leading - (piece.leading - piece.size) / 2 - EM_ASCENT * piece.size
        width = stringWidth(line, font.name, piece.size)
        left = x + paper.pad_x if piece.cell.align == "left" else x + (piece.width - width) / 2
        text.setTextOrigin(left, baseline)
        text.textOut(line)
    canvas.drawText(text)
    canvas.restoreState()


def _draw_page(canvas: Canvas, sheet: Sheet, page: Page, font: PdfFont) -> None:
    paper = sheet.paper
    left = paper.margin_x
    tops = [paper.height - paper.margin_top - sum(page.heights[:k]) for k in range(len(page.rows) + 1)]
    # piece, x, top, height, ruled, text from the top
    boxes: list[tuple[Piece, float, float, float, bool, bool]] = []
    for k, row in enumerate(page.rows):
        for piece in row.pieces:
            boxes.append((piece, left + sheet.col_x[piece.col], tops[k], page.heights[k], row.kind == GRID,
                          row.broken))
    for span, a, b in page.spans:
        boxes.append((span.piece, left + sheet.col_x[span.piece.col], tops[a], tops[a] - tops[b + 1], True,
                      False))

    for piece, x, top, height, ruled, _ in boxes:
        if ruled:
            canvas.setFillColor(GREY if piece.cell.role.grey else colors.white)
            canvas.rect(x, top - height, piece.width, height, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    for piece, x, top, height, _, from_top in boxes:
        _draw_piece_text(canvas, piece, font, x, top, height, paper, from_top)
    canvas.setLineWidth(BORDER_WIDTH)
    for piece, x, top, height, ruled, _ in boxes:
        if ruled:
            canvas.rect(x, top - height, piece.width, height, stroke=1, fill=0)


def _draw_signature(canvas: Canvas, sheet: Sheet, page: Page, font: PdfFont, options: PdfOptions,
                    date: datetime.date) -> None:
    paper = sheet.paper
    rows = [k for k, row in enumerate(page.rows) if row.kind == SIGNATURE]
    if not rows:
        return
    k = rows[0]
    top = paper.height - paper.margin_top - sum(page.heights[:k])
    draw_signature_block(canvas, font, options, date, paper.margin_x, paper.body_width, top, page.heights[k])


def draw_signature_block(canvas: Canvas, font: PdfFont, options: PdfOptions, date: datetime.date, left: float,
                         width: float, top: float, height: float) -> None:
    """Signature block in the box (left, top, width, height): two signature lines with room above
    them, 填表人 and 联系电话 below, and the stamp area over 填报日期 on the right, where a unit's seal
    is customarily pressed."""
    column = width / 3
    first, second = signature_texts(options, date)
    first_y = top - height * 0.38
    second_y = top - height * 0.85
    canvas.setFont(font.name, SIGNATURE_SIZE)
    canvas.setFillColor(colors.black)
    canvas.setLineWidth(0.5)
    for i, (upper, lower) in enumerate(zip(first, second, strict=False)):
        x = left + i * column + 6
        end = left + (i + 1) * column - 24
        if i == 2:  # the stamp column: its label over the date, both centred
            canvas.drawCentredString((x + end) / 2, first_y, upper)
            canvas.drawCentredString((x + end) / 2, second_y, lower)
            continue
        canvas.drawString(x, first_y, upper)
        start = x + stringWidth(upper, font.name, SIGNATURE_SIZE)
        canvas.line(start, first_y - 3, end, first_y - 3)
        name = (options.unit_leader, options.finance_leader)[i].strip()
        if name:  # the printed name under the line the leader signs on
            canvas.setFont(font.name, SIGNATURE_SIZE - 2)
            canvas.drawCentredString((start + end) / 2, first_y - 3 - SIGNATURE_SIZE, name)
            canvas.setFont(font.name, SIGNATURE_SIZE)
        canvas.drawString(x, second_y, lower)
        if lower.endswith("："):  # nothing filled in: a line to write on
            canvas.line(x + stringWidth(lower, font.name, SIGNATURE_SIZE), second_y - 3, end, second_y - 3)


def _draw_watermark(canvas: Canvas, paper: Paper, font: PdfFont) -> None:
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.55, 0.55, 0.55), alpha=0.22)
    canvas.translate(paper.width / 2, paper.height / 2)
    canvas.rotate(30)
    canvas.setFont(font.name, 200)
    canvas.drawCentredString(0, -70, WATERMARK)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, paper: Paper, font: PdfFont, form: Form, number: int, count: int) -> None:
    """Each page names its form: by 项目编码, or by 实施单位 where the layout has no code."""
    name = f"项目名称：{' '.join(form.name.split())}"
    if uses_code(form.layout):
        text = f"项目编码：{form.code.strip()}　{name}"
    else:
        text = f"{name}　实施单位：{' '.join(form.implementing_unit.split())}"
    draw_page_footer(canvas, paper, font, text, number, count)


def draw_page_footer(canvas: Canvas, paper: Paper, font: PdfFont, left_text: str, number: int, count: int) -> None:
    """The footer in the bottom margin: `left_text` (cut to fit) and "第 N 页 共 M 页" on the right."""
    y = paper.margin_bottom / 2
    right = f"第 {number} 页 共 {count} 页"
    canvas.setFont(font.name, FOOTER_SIZE)
    canvas.setFillColor(colors.black)
    canvas.drawRightString(paper.width - paper.margin_x, y, right)
    room = paper.body_width - stringWidth(right, font.name, FOOTER_SIZE) - 24
    canvas.drawString(paper.margin_x, y, truncate(left_text, room, font.name, FOOTER_SIZE))


def _all_text(evaluation: Evaluation, options: PdfOptions, date: datetime.date) -> str:
    form = evaluation.form
    cells = "".join(cell_text(c, form, evaluation.computed) for c in sheet_layout(form).cells)
    lines = signature_texts(options, date)
    return cells + "".join(lines[0] + lines[1]) + form.code + form.name + options.unit_leader + options.finance_leader


def _form_label(form: Form) -> str:
    return form.name.strip() or form.code.strip() or "未命名项目"


def _font_label(font: PdfFont) -> str:
    return font.path.name if font.path else font.name
