"""The 自评报告 as a Word document (.docx, python-docx), in the look of a Chinese official document
(GB/T 9704-2012): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体
二号; first-level headings 黑体 三号, second-level 楷体_GB2312 三号; body 仿宋_GB2312 三号 on an exact
28-point line with a two-character first-line indent; "— 1 —" page numbers centred at the bottom.

Fonts are set by name for East Asian text too (w:rFonts w:eastAsia; python-docx's font.name sets only
the Latin names). The fonts are not shipped: Word or WPS on the clerk's PC has them or substitutes.

A report is written through a temporary file and read back before it takes its name: it must reopen,
say exactly what was meant, and hold no number that is not on the form. An existing file (a report the
clerk may have edited) is only replaced when the caller allows it.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.parfmt import ParagraphFormat
from docx.text.run import Run

from core import APP_NAME, __version__
from core.atomic_write import VerifyError, check_target, write_atomically
from core.checks import Evaluation
from core.self_report.facts import ReportFacts, fact_texts, report_facts
from core.self_report.outline import (
    HEADING1,
    HEADING2,
    PARAGRAPH,
    SIGNATURE,
    TABLE,
    TITLE,
    Block,
    outline,
)
from core.self_report.template import GAP_PATTERN, Template

TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters in the body, as official documents set them

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号 (headings too)
TABLE_SIZE = Pt(10.5)  # 五号: an eight-column table must fit the 156 mm type area
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28)  # exact line pitch: 22 lines on the 225 mm type area
TITLE_LINE = Pt(36)
TABLE_GAP = Pt(8)  # between a table and the text after it
TABLE_CELL_PADDING = Pt(2)  # above and below a cell's text
SIGNATURE_GAP = LINE  # a blank line above the unit's name

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26
# The page number's top sits 7 mm below the type area (GB/T 9704 §7.5); the footer is measured to its foot.
FOOTER_DISTANCE = Mm(21)

# Paragraph styles, by the block kind they carry (the built-in headings keep Word's outline levels).
STYLE_OF = {TITLE: "报告标题", HEADING1: "Heading 1", HEADING2: "Heading 2", PARAGRAPH: "Normal",
            SIGNATURE: "落款"}
KIND_OF_STYLE = {style: kind for kind, style in STYLE_OF.items()}
TABLE_TEXT, TABLE_HEADER = "表格文字", "表格标题"

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def write_report(path: str | Path, evaluation: Evaluation, template: Template, *, overwrite: bool = False) -> list[str]:
    """Write the report of one evaluated form to `path` (.docx); return warnings for the clerk (Chinese).

    Raises ExportExistsError when `path` exists and `overwrite` is false, ExportError when it cannot be
    written or does not read back as meant (then nothing is left under `path`)."""
    target = Path(path)
    check_target(target, overwrite=overwrite)  # before any work
    facts = report_facts(evaluation)
    blocks = outline(facts, template)
    document = build_document(blocks, facts)
    write_atomically(target, lambda temp: document.save(str(temp)), overwrite=overwrite,
                     verify=lambda temp: verify_report(temp, blocks, facts))
    warnings = []
    gaps = sum(len(GAP_PATTERN.findall(text)) for block in blocks for text in _texts(block))
    if gaps:
        warnings.append(f"{target}：报告中有 {gaps} 处“【请补充：…】”，请在 Word/WPS 中补充后再报送")
    if evaluation.errors:
        warnings.append(f"{target}：自评表还有 {len(evaluation.errors)} 个审核错误，报告按表中现有内容起草；"
                        "改正后请重新生成报告")
    return warnings


# -- the document -------------------------------------------------------------------------------


def build_document(blocks: tuple[Block, ...], facts: ReportFacts) -> DocxDocument:
    document = Document()
    _page_setup(document)
    _styles(document)
    _page_numbers(document)
    previous = None
    for index, block in enumerate(blocks):
        if block.kind == TABLE:
            _table(document, block)
        else:
            paragraph = document.add_paragraph(style=STYLE_OF[block.kind])
            _add_text(paragraph, block.text)
            following = blocks[index + 1].kind if index + 1 < len(blocks) else None
            if following in (TABLE, SIGNATURE):
                # a table's lead line stays with it; the signature never stands alone on a page
                paragraph.paragraph_format.keep_with_next = True
            if previous is not None and previous.kind == TABLE:
                paragraph.paragraph_format.space_before = TABLE_GAP
            if block.kind == SIGNATURE and (previous is None or previous.kind != SIGNATURE):
                paragraph.paragraph_format.space_before = SIGNATURE_GAP
        previous = block
    properties = document.core_properties
    properties.title = blocks[0].text.replace("\n", "") if blocks else ""
    properties.subject = "项目支出绩效自评报告"
    properties.author = facts.implementing_unit
    properties.last_modified_by = properties.author
    properties.comments = f"{APP_NAME} {__version__} 根据自评表起草"
    properties.keywords = ""
    properties.revision = 1
    now = datetime.datetime.now().replace(microsecond=0)
    properties.created = properties.modified = now
    return document


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Mm(15)


def set_fonts(rpr: CT_RPr, east_asia: str, latin: str) -> None:
    """Name the fonts of a run or style for every script: w:eastAsia for Chinese (python-docx's
    font.name sets only w:ascii and w:hAnsi), and no theme fonts, which would win over the names."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes shared by both scripts take the Chinese font


def _indent_chars(paragraph_format: ParagraphFormat, first_line_chars: int = 0, right_chars: int = 0,
                  size: Length = BODY_SIZE) -> None:
    """Indents in characters (w:firstLineChars, w:rightChars: Word and WPS keep them in characters as
    the size changes), with the same amount in points for readers that ignore the character units."""
    paragraph_format.first_line_indent = Pt(size.pt * first_line_chars)
    paragraph_format.right_indent = Pt(size.pt * right_chars) if right_chars else None
    ind = paragraph_format._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    if right_chars:
        ind.set(qn("w:rightChars"), str(right_chars * 100))


def _paragraph_style(style: ParagraphStyle, *, font: str, size: Length, latin: str = LATIN_FONT,
                     align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars: int = 2,
                     line: Length | None = LINE, rule: WD_LINE_SPACING = WD_LINE_SPACING.EXACTLY,
                     right_chars: int = 0) -> None:
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, font, latin)
    rpr._remove_color()
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = rule
    if line is not None:
        fmt.line_spacing = line
    fmt.widow_control = False  # official documents fill every line of the page
    _indent_chars(fmt, first_line_chars, right_chars, size)


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT, LATIN_FONT)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")

    _paragraph_style(styles["Normal"], font=BODY_FONT, size=BODY_SIZE)
    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        style = styles[name]
        _paragraph_style(style, font=font, size=BODY_SIZE, latin=font)
        style.paragraph_format.keep_with_next = True
        style.font.bold = False
    title = styles.add_style(STYLE_OF[TITLE], WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = styles["Normal"]
    _paragraph_style(title, font=TITLE_FONT, size=TITLE_SIZE, latin=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
                     first_line_chars=0, line=TITLE_LINE)
    title.paragraph_format.space_after = LINE  # a blank line between the title and the text
    signature = styles.add_style(STYLE_OF[SIGNATURE], WD_STYLE_TYPE.PARAGRAPH)
    signature.base_style = styles["Normal"]
    _paragraph_style(signature, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=0,
                     right_chars=4)
    for name, font in ((TABLE_TEXT, BODY_FONT), (TABLE_HEADER, HEADING1_FONT)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _paragraph_style(style, font=font, size=TABLE_SIZE, latin=LATIN_FONT if font == BODY_FONT else font,
                         align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=0, line=None, rule=WD_LINE_SPACING.SINGLE)
        style.paragraph_format.space_before = style.paragraph_format.space_after = TABLE_CELL_PADDING


def _page_numbers(document: DocxDocument) -> None:
    """"— 1 —" centred in the footer: a PAGE field between two dashes."""
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)

    def run(text: str = "") -> Run:
        r = paragraph.add_run(text)
        set_fonts(r._r.get_or_add_rPr(), PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)
        r.font.size = PAGE_NUMBER_SIZE
        return r

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._r.append(instruction)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")


def _add_text(paragraph: Paragraph, text: str) -> None:
    """The text in runs; a gap the clerk must fill (【请补充：…】) is highlighted."""
    position = 0
    for match in GAP_PATTERN.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position:match.start()])
        paragraph.add_run(match.group()).font.highlight_color = WD_COLOR_INDEX.YELLOW
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def _table(document: DocxDocument, block: Block) -> None:
    rows, columns = len(block.rows), len(block.rows[0])
    table = document.add_table(rows=rows, cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(block.widths) or columns
    widths = [Mm(TEXT_WIDTH_MM * (w or 1) / total) for w in (block.widths or (1,) * columns)]
    for index, width in enumerate(widths):
        table.columns[index].width = width
    for r, (row, values) in enumerate(zip(table.rows, block.rows, strict=False)):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if r == 0:
            properties.append(OxmlElement("w:tblHeader"))  # the header row repeats on every page
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[TABLE_HEADER if r == 0 else TABLE_TEXT]
            if r and block.aligns and block.aligns[c] == "left":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            if r < rows - 1:
                paragraph.paragraph_format.keep_with_next = True  # a short table stays on one page
            _add_text(paragraph, value)


# -- reading it back ------------------------------------------------------------------------------


def read_blocks(path: str | Path) -> list[Block]:
    """The document's body as blocks: each paragraph by its style, each table as rows of cell texts."""
    document = Document(str(path))
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            style = paragraph.style.name if paragraph.style is not None else ""
            blocks.append(Block(KIND_OF_STYLE.get(style or "", PARAGRAPH), paragraph.text))
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            blocks.append(Block(TABLE, rows=tuple(tuple(cell.text for cell in row.cells) for row in table.rows)))
    return blocks


def _texts(block: Block) -> Iterator[str]:
    if block.kind == TABLE:
        for row in block.rows:
            yield from row
    else:
        yield block.text


def numbers_in(text: str) -> list[str]:
    """The numbers written in a text, as written ("98.2800", "15534"); full-width digits count."""
    return _NUMBER.findall(unicodedata.normalize("NFKC", text))


def verify_report(path: str | Path, blocks: tuple[Block, ...], facts: ReportFacts) -> None:
    """Raise VerifyError unless the file reopens as exactly `blocks` and every number in it is one
    the form's facts print."""
    try:
        read = read_blocks(path)
    except Exception as exc:  # a file python-docx cannot open is exactly what this guards against
        raise VerifyError(f"无法重新打开（{type(exc).__name__}：{exc}）") from exc
    for index, (meant, got) in enumerate(zip(blocks, read, strict=False)):
        if meant != got:
            raise VerifyError(f"第 {index + 1} 段应为“{_describe(meant)}”，读回为“{_describe(got)}”")
    if len(read) != len(blocks):
        raise VerifyError(f"应有 {len(blocks)} 段，读回 {len(read)} 段")
    allowed = {number for text in fact_texts(facts) for number in numbers_in(text)}
    for block in read:
        for text in _texts(block):
            for number in numbers_in(text):
                if number not in allowed:
                    raise VerifyError(f"报告中的数字 {number} 不是自评表上的数（“{text[:60]}”）")


def _describe(block: Block) -> str:
    if block.kind == TABLE:
        return "表格：" + " | ".join(" / ".join(row) for row in block.rows)[:80]
    return block.text[:80]
