"""Chinese line breaking for the PDF's cells.

reportlab's Paragraph (wordWrap="CJK") hangs a closing bracket in the right margin — across a
cell's border in a narrow column — and lets a closing quotation mark start a line. Here lines
break between characters except where 避头尾 forbids it: closing punctuation stays with the
character before it, opening punctuation and comparison signs with the one after, and a run of
Latin letters and digits ("4481566.00", "ISO9001") is kept whole unless it alone is wider than the
line, and so is a short bracketed aside. No line is ever wider than the width it was broken for.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth

# May not start a line: it joins the unit before it.
CANNOT_START = set("，。、；：！？）》」』】〕〉］｝”’…—～·‥％‰℃,.;:!?)]}%")
# May not end a line: it joins the unit after it.
CANNOT_END = set("（《「『【〔〈［｛“‘([{≥≤≧≦＞＜><=≠≈±＋+￥$#№")
# Runs kept whole: Latin letters, digits and what is written inside numbers and codes, and short
# bracketed asides ("（本级）", "（50分）") that read badly cut in two.
_RUN = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ_.\-/@&'+:,%]+|[（(][^（()）\s]{1,6}[)）]")


def units(text: str) -> list[str]:
    """The unbreakable pieces of one paragraph, in order; spaces are their own units."""
    raw: list[str] = []
    pos = 0
    while pos < len(text):
        match = _RUN.match(text, pos)
        if match and match.end() - pos > 1:
            raw.append(match.group())
            pos = match.end()
        else:
            raw.append(text[pos])
            pos += 1
    result: list[str] = []
    for unit in raw:
        # A mark that may not start a line joins the unit before it; one that may not end a line,
        # the unit after it.
        if (result and not unit.isspace() and not result[-1].isspace()
                and (unit[0] in CANNOT_START or result[-1][-1] in CANNOT_END)):
            result[-1] += unit
        else:
            result.append(unit)
    return result


def break_lines(text: str, width: float, font_name: str, size: float) -> list[str]:
    """`text` broken into lines no wider than `width` points; line breaks in the text are kept,
    spaces at the ends of lines dropped. An empty text gives no lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, width, font_name, size))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _break_paragraph(paragraph: str, width: float, font_name: str, size: float) -> list[str]:
    width += 1e-6  # a line exactly as wide as the cell fits, whatever the float rounding

    def w(s: str) -> float:
        return stringWidth(s, font_name, size)

    lines: list[str] = []
    line = ""
    for unit in units(paragraph):
        if unit.isspace() and not line:
            continue  # no space at the start of a line
        if w(line + unit) <= width:
            line += unit
            continue
        if unit.isspace():
            lines.append(line.rstrip())
            line = ""
            continue
        if line.strip():
            lines.append(line.rstrip())
            line = ""
        while w(unit) > width and len(unit) > 1:  # wider than a line by itself: cut it
            cut = max(k for k in range(1, len(unit) + 1) if k == 1 or w(unit[:k]) <= width)
            while cut > 1 and (unit[cut] in CANNOT_START or unit[cut - 1] in CANNOT_END):
                cut -= 1  # even a forced cut honours 避头尾 where it can
            lines.append(unit[:cut])
            unit = unit[cut:]
        line = unit
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
