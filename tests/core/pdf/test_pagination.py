"""A form with 60 indicators and a 2 000-character goal: it breaks into pages cleanly — the goal row
split across pages rather than cut, the indicator header repeated on every page the table goes on,
"第 N 页 共 M 页" on every page, nothing drawn outside the page body, and no text lost."""

from __future__ import annotations

import pdfplumber
import pytest

from core.checks import evaluate
from core.layouts import sheet_layout
from core.pdf.pages import Paper
from core.pdf.writer import PdfOptions, write_pdf
from core.profile import default_profile
from tests.pdf_support import (
    FIXED_DATE,
    UMING,
    expected_rows,
    long_form,
    match_rows,
    page_texts,
    span_texts,
    squeeze,
    table_rows,
)

pytestmark = pytest.mark.skipif(not UMING.is_file(), reason="needs fonts-arphic-uming (CI installs it)")


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    evaluation = evaluate(long_form(60, 2000), default_profile())
    assert len(evaluation.form.indicators) == 60 and len(evaluation.form.goal_expected) == 2000
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    write_pdf(path, [evaluation], PdfOptions(preparer="张三", phone="12345", date=FIXED_DATE, font_file=UMING))
    form, computed = evaluation.form, evaluation.computed
    placed = match_rows(table_rows(path), expected_rows(form, computed), span_texts(form, computed))
    return evaluation, path, placed


def test_long_form_paginates_into_a_known_number_of_pages(long_pdf):
    _, path, _ = long_pdf
    texts = page_texts(path)
    # Pinned font and sizes: a change here is a change of the printed layout; look at the pages.
    assert len(texts) == 5
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共5页" in squeeze(text)


def test_no_text_is_lost_and_the_long_goal_flows_across_pages(long_pdf):
    evaluation, path, placed = long_pdf  # match_rows compared every row's text, joining split rows
    goal = sheet_layout(evaluation.form).cell_of("goal_expected")
    assert goal is not None
    goal_row = goal.row
    assert sum(goal_row in rows for rows in placed) >= 2, "the 2 000-character goal was not split"
    assert "填表人：张三" in squeeze(page_texts(path)[-1])


def test_indicator_header_heads_every_page_the_table_continues_on(long_pdf):
    evaluation, _, placed = long_pdf
    layout = sheet_layout(evaluation.form)
    indicator_rows = set(layout.indicator_rows) | {layout.total_row}
    pages_with_indicators = [rows for rows in placed if indicator_rows & set(rows)]
    assert len(pages_with_indicators) >= 3
    for rows in pages_with_indicators:
        first = min(rows.index(r) for r in rows if r in indicator_rows)
        assert layout.indicator_header_row in rows[:first]
    for rows in placed[1:]:
        assert layout.heading_of(rows[1]) == rows[0], "a continued page must start with its heading"
    assert rows[-1] == layout.total_row  # 总分 ends the table, on the last page


def test_nothing_is_drawn_outside_the_page_body(long_pdf):
    _, path, _ = long_pdf
    paper = Paper()
    with pdfplumber.open(path) as document:
        for page in document.pages:
            for rect in page.rects:
                assert paper.margin_top - 0.5 <= rect["top"]
                assert rect["bottom"] <= paper.height - paper.margin_bottom + 0.5
                assert paper.margin_x - 0.5 <= rect["x0"] and rect["x1"] <= paper.width - paper.margin_x + 0.5
            for char in page.chars:
                assert char["x0"] >= 0 and char["x1"] <= paper.width - paper.margin_x + 0.5, char["text"]
                body = char["bottom"] <= paper.height - paper.margin_bottom + 0.5
                footer = char["size"] < paper.font_size and char["top"] >= paper.height - paper.margin_bottom
                assert body or footer, char["text"]
