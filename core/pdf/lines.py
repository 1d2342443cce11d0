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
from bisect import bisect_right
from itertools import accumulate

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
    joined: list[list[str]] = []  # pieces of each unit, joined at the end (no quadratic +=)
    for unit in raw:
        # A mark that may not start a line joins the unit before it; one that may not end a line,
        # the unit after it.
        if (joined and not unit.isspace() and not joined[-1][-1].isspace()
                and (unit[0] in CANNOT_START or joined[-1][-1][-1] in CANNOT_END)):
            joined[-1].append(unit)
        else:
            joined.append([unit])
    return ["".join(pieces) for pieces in joined]


def break_lines(text: str, width: float, font_name: str, size: float) -> list[str]:
    """`text` broken into lines no wider than `width` points; line breaks in the text are kept,
    spaces at the ends of lines dropped. An empty text gives no lines.

    Linear in the length of the text: each character's width is measured once (per font and size)
    and a unit wider than a line is cut by binary search over its cumulative widths."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    measure = _Widths(font_name, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, width, measure))
    while lines and not lines[-1]:
        lines.pop()
    return lines


class _Widths:
    """Character widths of one font at one size, each measured once."""

    _cache: dict[tuple[str, float], dict[str, float]] = {}

    def __init__(self, font_name: str, size: float):
        self.font_name, self.size = font_name, size
        self.widths = self._cache.setdefault((font_name, size), {})

    def char(self, ch: str) -> float:
        width = self.widths.get(ch)
        if width is None:
            width = self.widths[ch] = stringWidth(ch, self.font_name, self.size)
        return width

    def of(self, text: str) -> float:
        return sum(self.char(ch) for ch in text)

    def cumulative(self, text: str) -> list[float]:
        """[0, w(text[:1]), w(text[:2]), …]."""
        return list(accumulate((self.char(ch) for ch in text), initial=0.0))


def _break_paragraph(paragraph: str, width: float, measure: _Widths) -> list[str]:
    width += 1e-6  # a line exactly as wide as the cell fits, whatever the float rounding
    lines: list[str] = []
    line: list[str] = []
    line_width = 0.0

    def flush() -> None:
        nonlocal line, line_width
        lines.append("".join(line).rstrip())
        line, line_width = [], 0.0

    for unit in units(paragraph):
        if unit.isspace() and not line:
            continue  # no space at the start of a line
        unit_width = measure.of(unit)
        if line_width + unit_width <= width:
            line.append(unit)
            line_width += unit_width
            continue
        if unit.isspace():
            flush()
            continue
        if "".join(line).strip():
            flush()
        line, line_width = [], 0.0
        if unit_width > width and len(unit) > 1:  # wider than a line by itself: cut it
            widths = measure.cumulative(unit)
            start = 0
            while widths[-1] - widths[start] > width and len(unit) - start > 1:
                # the longest piece from `start` that fits (at least one character)
                cut = max(start + 1, bisect_right(widths, widths[start] + width) - 1)
                while cut > start + 1 and (unit[cut] in CANNOT_START or unit[cut - 1] in CANNOT_END):
                    cut -= 1  # even a forced cut honours 避头尾 where it can
                lines.append(unit[start:cut])
                start = cut
            unit = unit[start:]
            unit_width = widths[-1] - widths[start]
        line, line_width = [unit], unit_width
    if "".join(line).strip() or not lines:
        lines.append("".join(line).rstrip())
    return lines


def truncate(text: str, width: float, font_name: str, size: float, ellipsis: str = "…") -> str:
    """`text` as it fits on one line of `width` points, cut with an ellipsis when it is wider
    (linear: one pass of cumulative widths and a binary search)."""
    measure = _Widths(font_name, size)
    widths = measure.cumulative(text)
    if widths[-1] <= width + 1e-6:
        return text
    room = width - measure.of(ellipsis) + 1e-6
    return text[:max(0, bisect_right(widths, room) - 1)] + ellipsis
