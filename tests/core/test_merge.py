"""Re-import merge (core.merge), copy to next year (core.next_year) and revision diffs
(core.form_diff): pure functions, table-driven."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from core.form_diff import Change, diff_forms
from core.merge import match_indicators, merge_reimport
from core.model import Form, FundRow, Indicator
from core.next_year import next_year_form


def ind(level2: str, level3: str, level1: str = "产出指标", **kw) -> Indicator:
    return Indicator(level1=level1, level2=level2, level3=level3, **kw)


def form(*indicators: Indicator, **kw: Any) -> Form:
    base: dict[str, Any]
    base = dict(layout="A", code="440303241553147100001", name="项目", year="2024", implementing_unit="单位",
                budget_unit="单位", fund_rows=(FundRow("年度资金总额", Decimal("100.00"), Decimal("100.00"),
                                                      Decimal("90.00")),),
                goal_expected="目标", indicators=indicators)
    base.update(kw)
    return Form(**base)


CLERK: dict[str, Any] = dict(actual="完成", points=Decimal(10), score=Decimal(9), reason="原因", grade="部分达成")

# (description, stored value, value in the file, merged value) for each clerk-owned indicator field.
CLERK_FIELD_CASES = [
    ("actual kept when the file cell is empty", "actual", "15534个", "", "15534个"),
    ("actual kept when the file cell is blanks", "actual", "15534个", "   ", "15534个"),
    ("actual from the file when it has one", "actual", "15534个", "16000个", "16000个"),
    ("points kept when empty", "points", Decimal(15), None, Decimal(15)),
    ("points from the file", "points", Decimal(15), Decimal(10), Decimal(10)),
    ("score kept when empty", "score", Decimal("14.5"), None, Decimal("14.5")),
    ("score typed as text kept", "score", "十五", None, "十五"),
    ("score from the file", "score", Decimal("14.5"), Decimal(15), Decimal(15)),
    ("reason kept when empty", "reason", "受疫情影响", "", "受疫情影响"),
    ("reason from the file", "reason", "受疫情影响", "已改进", "已改进"),
    ("empty stays empty", "reason", "", "", ""),
]


@pytest.mark.parametrize("field,stored,in_file,merged", [c[1:] for c in CLERK_FIELD_CASES],
                         ids=[c[0] for c in CLERK_FIELD_CASES])
def test_clerk_indicator_values_are_never_blanked_by_an_empty_cell(field, stored, in_file, merged):
    stored_form = form(ind("数量指标", "免费刻章数量", **{field: stored}))
    file_form = form(ind("数量指标", "免费刻章数量", **{field: in_file}))
    assert getattr(merge_reimport(stored_form, file_form).indicators[0], field) == merged


GOAL_CASES = [
    ("goal_actual kept when the file is empty", "已完成", "", "已完成"),
    ("goal_actual from the file", "已完成", "全部完成", "全部完成"),
]


@pytest.mark.parametrize("stored,in_file,merged", [c[1:] for c in GOAL_CASES], ids=[c[0] for c in GOAL_CASES])
def test_goal_actual_is_a_clerk_value(stored, in_file, merged):
    assert merge_reimport(form(goal_actual=stored), form(goal_actual=in_file)).goal_actual == merged


SYSTEM_CASES = [
    ("name", "旧名称", "新名称"),
    ("implementing_unit", "旧单位", "新单位"),
    ("goal_expected", "旧目标", "新目标"),
    ("unit_code", "155002", ""),  # the system's grey cells are the system's, even when empty
]


@pytest.mark.parametrize("field,stored,in_file", SYSTEM_CASES, ids=[c[0] for c in SYSTEM_CASES])
def test_system_owned_fields_come_from_the_file(field, stored, in_file):
    assert getattr(merge_reimport(form(**{field: stored}), form(**{field: in_file})), field) == in_file


def test_system_owned_indicator_columns_and_amounts_come_from_the_file():
    stored = form(ind("数量指标", "刻章", target="≥10000个", **CLERK))
    new_rows = (FundRow("年度资金总额", Decimal("200.00"), Decimal("210.00"), Decimal("205.00")),)
    in_file = form(ind("数量指标", "刻章", target="≥12000个"), fund_rows=new_rows, template_bound=True)
    merged = merge_reimport(stored, in_file)
    assert merged.indicators[0].target == "≥12000个"
    assert merged.fund_rows == new_rows
    assert merged.template_bound is True
    assert merged.indicators[0].actual == "完成" and merged.indicators[0].score == Decimal(9)


def test_grade_is_never_in_a_file_and_is_kept():
    merged = merge_reimport(form(ind("质量指标", "满足要求", grade="达成年度指标")),
                            form(ind("质量指标", "满足要求", actual="满足")))
    assert merged.indicators[0].grade == "达成年度指标"
    assert merged.indicators[0].actual == "满足"


def test_empty_funds_points_in_the_file_keeps_the_stored_ten_points():
    assert merge_reimport(form(), form(funds_points=None)).funds_points == Decimal(10)


# (description, stored rows, file rows, expected matches: stored index per file row)
MATCH_CASES = [
    ("same structure matches by position even when 三级 text was reworded",
     [ind("数量指标", "甲"), ind("质量指标", "乙")],
     [ind("数量指标", "甲（修订）"), ind("质量指标", "乙")],
     [0, 1]),
    ("a row inserted by the system: matched by text",
     [ind("数量指标", "甲"), ind("质量指标", "乙")],
     [ind("数量指标", "新增"), ind("数量指标", "甲"), ind("质量指标", "乙")],
     [None, 0, 1]),
    ("a row removed by the system",
     [ind("数量指标", "甲"), ind("数量指标", "丙"), ind("质量指标", "乙")],
     [ind("数量指标", "甲"), ind("质量指标", "乙")],
     [0, 2]),
    ("rows reordered",
     [ind("数量指标", "甲"), ind("质量指标", "乙"), ind("时效指标", "丁")],
     [ind("时效指标", "丁"), ind("数量指标", "甲"), ind("质量指标", "乙")],
     [2, 0, 1]),
    ("width and spaces do not matter",
     [ind("数量指标", "ISO9001 执行"), ind("质量指标", "乙")],
     [ind("数量指标", "ＩＳＯ９００１执行"), ind("数量指标", "新"), ind("质量指标", "乙")],
     [0, None, 1]),
    ("repeated texts pair in order",
     [ind("数量指标", "无"), ind("数量指标", "无"), ind("质量指标", "甲")],
     [ind("数量指标", "无"), ind("数量指标", "无"), ind("数量指标", "新"), ind("质量指标", "甲")],
     [0, 1, None, 2]),
    ("a 二级指标 renamed by the system: matched by 三级 text alone",
     [ind("服务对象满意度指标等", "企业满意度", level1="满意度指标"), ind("数量指标", "甲")],
     [ind("服务对象满意度指标", "企业满意度", level1="满意度指标"), ind("数量指标", "甲"), ind("数量指标", "乙")],
     [0, 1, None]),
    ("'无' rows are never matched across groups by 三级 text alone",
     [ind("经济效益指标", "无", level1="效益指标"), ind("数量指标", "甲")],
     [ind("生态效益指标", "无", level1="效益指标"), ind("数量指标", "甲"), ind("数量指标", "乙")],
     [None, 1, None]),
]


@pytest.mark.parametrize("stored,in_file,expected", [c[1:] for c in MATCH_CASES], ids=[c[0] for c in MATCH_CASES])
def test_indicators_are_matched_by_position_or_by_their_text(stored, in_file, expected):
    assert match_indicators(tuple(stored), tuple(in_file)) == expected


def test_a_changed_structure_carries_clerk_values_to_the_matching_rows():
    stored = form(ind("数量指标", "甲", actual="100个", score=Decimal(10)),
                  ind("质量指标", "乙", actual="合格", reason="说明"))
    in_file = form(ind("数量指标", "新增"), ind("数量指标", "甲"), ind("质量指标", "乙"))
    merged = merge_reimport(stored, in_file)
    assert [row.actual for row in merged.indicators] == ["", "100个", "合格"]
    assert merged.indicators[1].score == Decimal(10)
    assert merged.indicators[2].reason == "说明"


def test_next_year_keeps_header_goals_and_indicators_and_clears_the_clerks_work():
    this_year = form(ind("数量指标", "甲", target="≥100个", unit="个", **CLERK),
                     goal_actual="已完成", template_bound=True)
    copy = next_year_form(this_year)
    assert copy.year == "2025"
    assert (copy.code, copy.name, copy.implementing_unit, copy.goal_expected) == (
        this_year.code, this_year.name, this_year.implementing_unit, this_year.goal_expected)
    assert copy.goal_actual == ""
    assert copy.fund_rows == (FundRow("年度资金总额"),)
    assert copy.funds_points == Decimal(10)
    row = copy.indicators[0]
    assert (row.level1, row.level2, row.level3, row.target, row.unit, row.points) == (
        "产出指标", "数量指标", "甲", "≥100个", "个", Decimal(10))
    assert (row.actual, row.score, row.reason, row.grade) == ("", None, "", "")
    assert copy.template_bound is False


def test_next_year_refuses_a_year_that_is_not_a_number():
    with pytest.raises(ValueError):
        next_year_form(form(year="二〇二四"))


def test_diff_names_each_changed_field_by_its_path():
    before = form(ind("数量指标", "甲", score=Decimal(10)), ind("质量指标", "乙"))
    after = replace(before, name="新名称", indicators=(replace(before.indicators[0], score=Decimal("10.00")),))
    assert diff_forms(before, after) == (
        Change("name", "项目", "新名称"),
        Change("indicators[0].score", Decimal(10), Decimal("10.00")),
        Change("indicators[1]", before.indicators[1], None),
    )
    assert diff_forms(before, before) == ()


def test_an_indicator_inserted_or_removed_is_one_change_not_one_per_row_below():
    """The history matches rows as a text diff matches lines: a row inserted at the top reads as
    one change, not as every row below it changed (a review found "修改 40 处" for one row)."""
    rows = tuple(ind("数量指标", f"指标{n}", points=Decimal(10)) for n in range(6))
    before = Form(indicators=rows)
    added = ind("质量指标", "新指标")
    after = Form(indicators=(rows[0], added, *rows[1:]))
    assert diff_forms(before, after) == (Change("indicators[1]", None, added),)
    assert diff_forms(after, before) == (Change("indicators[1]", added, None),)
    edited = Form(indicators=(rows[0], added, rows[1].__class__(**{**rows[1].__dict__, "score": Decimal(9)}),
                              *rows[2:]))
    assert diff_forms(before, edited) == (Change("indicators[1]", None, added),
                                          Change("indicators[2].score", None, Decimal(9)))
