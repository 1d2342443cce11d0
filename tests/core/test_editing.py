"""Edits beyond one cell, without the window: each returns the new form and the paths it changed
(None when the rows themselves changed)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from core import editing
from core.checks import evaluate
from core.layouts import Role, blank_form, sheet_layout
from core.profile import default_profile
from tests.seeds import seed_form

PROFILE = default_profile()


def clerk(cell) -> bool:
    return cell.role is Role.CLERK


def test_a_block_pasted_from_wps_fills_clerk_cells_and_skips_grey_ones():
    form = seed_form("B")
    layout = sheet_layout(form)
    # From 实际完成值 of the first indicator (G14): 实际 | 权重 | 得分 | 原因, two rows, one cell quoted
    # with a line break inside, as WPS copies it.
    text = '130\t7\t6.5\t"第一行\n第二行"\r\n200\t7\t7\t\r\n'
    pasted, paths = editing.paste_block(form, layout, 14, 7, text, clerk)
    assert paths == ("indicators[0].actual", "indicators[0].points", "indicators[0].score", "indicators[0].reason",
                     "indicators[1].actual", "indicators[1].points", "indicators[1].score", "indicators[1].reason")
    first = pasted.indicators[0]
    assert (first.actual, first.points, first.score, first.reason) == (
        "130", Decimal(7), Decimal("6.5"), "第一行\n第二行")
    assert pasted.indicators[0].target == form.indicators[0].target  # grey: untouched


def test_a_paste_starting_on_a_grey_cell_goes_to_the_next_clerk_cells_and_stops_at_the_sheet_end():
    form = seed_form("A")
    layout = sheet_layout(form)
    pasted, paths = editing.paste_block(form, layout, 11, 5, "不会进入灰格\t100%\t15", clerk)  # E11 is grey
    assert paths == ("indicators[0].actual", "indicators[0].points", "indicators[0].score")
    assert pasted.indicators[0].actual == "不会进入灰格"
    _, beyond = editing.paste_block(form, layout, layout.rows, 1, "x\ny\nz", clerk)
    assert beyond == ()


def test_clearing_returns_only_the_fields_that_held_something():
    form = seed_form("A")
    cleared, paths = editing.clear_fields(form, ["indicators[0].score", "indicators[0].reason", "goal_actual"])
    assert paths == ("indicators[0].score", "goal_actual")  # the reason was already empty
    assert cleared.indicators[0].score is None and cleared.goal_actual == ""


def test_accepting_suggestions_changes_only_scores_that_differ():
    form = seed_form("A")
    form = replace(form, indicators=tuple(replace(row, score=None) if i == 0 else row
                                          for i, row in enumerate(form.indicators)))
    accepted, paths = editing.accept_suggestions(evaluate(form, PROFILE))
    assert paths == ("indicators[0].score",)
    assert accepted.indicators[0].score == Decimal("15.00")


def test_a_grade_moves_a_score_outside_its_band_into_it():
    form = seed_form("B")  # row 4: 满足 against 满足, 7 points, score 7
    graded, paths = editing.set_grade(form, 4, "部分达成", PROFILE)
    assert paths == ("indicators[4].grade", "indicators[4].score")
    assert graded.indicators[4].score == Decimal("4.20")  # 60% of 7, the band's lower bound
    again, paths = editing.set_grade(graded, 4, "部分达成", PROFILE)
    assert again == graded and paths == ()
    top, paths = editing.set_grade(graded, 4, "达成年度指标", PROFILE)
    assert top.indicators[4].score == Decimal("7.00") and paths == ("indicators[4].grade", "indicators[4].score")


def test_rows_are_added_removed_and_moved_within_their_group():
    form = blank_form("A")
    added, paths = editing.insert_indicator(form, 0)
    assert paths is None and len(added.indicators) == len(form.indicators) + 1
    assert (added.indicators[1].level1, added.indicators[1].level2) == ("产出指标", "数量指标")
    added = replace(added, indicators=(replace(added.indicators[0], level3="甲"),
                                       replace(added.indicators[1], level3="乙"), *added.indicators[2:]))
    moved = editing.move_indicator(added, 0, 1)
    assert moved is not None and [r.level3 for r in moved[0].indicators[:2]] == ["乙", "甲"]
    assert editing.move_indicator(added, 1, 1) is None  # 质量指标 follows: another group
    assert editing.move_indicator(added, 0, -1) is None
    removed, paths = editing.remove_indicator(added, 1)
    assert paths is None and [r.level3 for r in removed.indicators[:1]] == ["甲"]
    assert len(removed.indicators) == len(form.indicators)
