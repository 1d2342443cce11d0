"""The layout names the heading row each table row sits under (repeated on a continued PDF page)."""

from __future__ import annotations

from core.layouts import _build


def test_indicator_rows_and_total_sit_under_the_indicator_header():
    layout = _build("A", (4, 4, 2))
    for row in layout.indicator_rows + (layout.total_row,):
        assert layout.heading_of(row) == layout.indicator_header_row


def test_goal_texts_sit_under_their_labels_and_fund_rows_under_the_funds_header():
    a, b = _build("A", (4, 4, 2)), _build("B", (7, 4, 2))
    goal_a, goal_b = a.cell_of("goal_actual"), b.cell_of("goal_expected")
    assert goal_a is not None and goal_b is not None
    above_a, heading_b = a.cell_at(goal_a.row - 1, 1), b.heading_of(goal_b.row)
    assert above_a is not None and heading_b is not None
    assert a.heading_of(goal_a.row) == above_a.row
    label_b = b.cell_at(heading_b, 2)
    assert label_b is not None and label_b.text == "预期目标"
    assert [b.heading_of(r) for r in (6, 7, 8, 9)] == [5, 5, 5, 5]
    assert a.heading_of(1) is None and a.heading_of(a.indicator_header_row) is None
