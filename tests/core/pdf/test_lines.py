"""Chinese line breaking for the PDF's cells: nothing lost, no line too wide, 避头尾 respected."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.pdf.fonts import FontSearch, resolve_font
from core.pdf.lines import CANNOT_END, CANNOT_START, break_lines

FONT = resolve_font(None, FontSearch()).name  # the built-in CID font: always there, real widths
SIZE = 9


def test_closing_bracket_goes_down_with_its_character_instead_of_crossing_the_border():
    assert break_lines("项目资金（元）", 54.4, FONT, SIZE) == ["项目资金", "（元）"]


def test_closing_quote_never_starts_a_line():
    lines = break_lines("保障“免费刻章”服务和“开办企业一窗通”过渡期一窗出服务的连续性", 9 * 13, FONT, SIZE)
    assert all(line[0] not in CANNOT_START for line in lines[1:])
    assert "".join(lines) == "保障“免费刻章”服务和“开办企业一窗通”过渡期一窗出服务的连续性"


def test_numbers_and_short_asides_are_not_cut():
    assert break_lines("全年执行数4481566.00元", 9 * 5, FONT, SIZE) == ["全年执行数", "4481566.00", "元"]
    assert break_lines("深圳市罗湖区政务服务数据管理局（本级）", 9 * 16, FONT, SIZE) == [
        "深圳市罗湖区政务服务数据管理局", "（本级）"]


def test_typed_line_breaks_are_kept_and_empty_text_gives_no_lines():
    assert break_lines("一、目标\n二、措施", 500, FONT, SIZE) == ["一、目标", "二、措施"]
    assert break_lines("", 100, FONT, SIZE) == []


TEXT = st.text(alphabet=st.sampled_from(list("项目资金元本级数据绩效指标，。、；：”）》“（《0123456789.%ab")),
               min_size=0, max_size=120)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, ems=st.integers(min_value=4, max_value=30))
def test_breaking_keeps_every_character_in_order_within_the_width(text, ems):
    width = ems * SIZE
    lines = break_lines(text, width, FONT, SIZE)
    assert "".join(lines) == text.strip()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert all(stringWidth(line, FONT, SIZE) <= width + 1e-6 for line in lines)
    # 避头尾 can always be honoured unless punctuation piles up: marks close together ("《（0””")
    # may glue into a run wider than the narrowest line, and then one rule has to give.
    assume(not re.search(r"[，。、；：”）》“（《%.].{0,2}[，。、；：”）》“（《%.]", text))
    assert all(line[0] not in CANNOT_START for line in lines[1:] if line)
    assert all(line[-1] not in CANNOT_END for line in lines[:-1] if line)
