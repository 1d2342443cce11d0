"""The form as the report's facts: texts as the form prints them, absent (None) where the layout has
no such field, and each indicator's standing by the clerk's own 得分."""

from __future__ import annotations

from core.checks import evaluate
from core.layouts import blank_form
from core.profile import default_profile
from core.self_report.docx import write_report
from core.self_report.facts import report_facts
from tests.report_support import (
    HEADINGS,
    SAMPLES,
    docx_texts,
    evaluation_of,
    fixture_a,
    fixture_b,
    heading_texts,
    shenzhen_template,
)


def test_layout_a_facts_are_printed_as_layout_a_prints_them():
    facts = report_facts(evaluation_of(SAMPLES[0]))
    assert (facts.annual_budget, facts.executed, facts.funds_points, facts.rate, facts.funds_score) == (
        "4560000.00", "4481566.00", "10", "98.2800", "9.83")
    assert (facts.total_points, facts.total_score, facts.grade) == ("100.00", "99.83", "优")
    first = facts.groups[0].indicators[0]
    assert (first.target, first.actual, first.points, first.score) == ("≥12000个", "15534个", "15.00", "15.00")
    assert [(g.group, g.points, g.score) for g in facts.groups] == [
        ("产出指标", "50.00", "50.00"), ("效益指标", "30.00", "30.00"), ("满意度指标", "10.00", "10.00")]


def test_layout_b_facts_are_printed_as_entered():
    facts = report_facts(evaluation_of(SAMPLES[1]))
    assert (facts.rate, facts.funds_score, facts.total_points, facts.total_score) == ("92.33", "9.23", "100", "99.23")
    assert [g.points for g in facts.groups] == ["50", "30", "10"]
    assert [row.source for row in facts.fund_rows] == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
    assert facts.fund_rows[1].label == "其中：当年财政拨款" and facts.fund_rows[1].points == "—"


def test_a_field_the_layout_lacks_is_absent_and_one_left_empty_is_empty():
    a = report_facts(evaluation_of(SAMPLES[0]))
    b = report_facts(evaluation_of(SAMPLES[1]))
    assert a.unit_code is None and b.unit_code == "155002"
    assert all(row.unit is None for g in a.groups for row in g.indicators)
    assert all(row.unit == "" for g in b.groups for row in g.indicators)
    assert "unit" not in dict(a.indicator_columns) and dict(b.indicator_columns)["unit"] == "度量单位"
    assert dict(b.indicator_columns)["points"] == "权重" and b.points_word == "权重" and a.points_word == "分值"
    for facts in (a, b):  # no layout has these yet
        assert facts.supervisor is facts.funds_reason is facts.conclusion is facts.problems is None


def test_each_indicator_stands_by_the_clerks_score(tmp_path):
    a = report_facts(evaluation_of(fixture_a(tmp_path / "a.xlsx")))
    rows = [row for g in a.groups for row in g.indicators]
    assert [(row.status, row.short) for row in rows[:6]] == [
        ("short", True), ("short", True), ("met", False), ("met", False), ("not_applicable", False),
        ("unscored", False)]
    b = report_facts(evaluation_of(fixture_b(tmp_path / "b.xlsx")))
    rows = [row for g in b.groups for row in g.indicators]
    assert (rows[7].status, rows[7].short, rows[7].indicator) == ("not_applicable_scored", True, "经济效益指标")
    assert a.funds_short and b.funds_short


def test_a_blank_form_gets_a_report_of_marked_gaps_not_a_failure(tmp_path):
    for layout in ("A", "B"):
        path = tmp_path / f"blank-{layout}.docx"
        warnings = write_report(path, evaluate(blank_form(layout), default_profile()), shenzhen_template())
        paragraphs, _ = docx_texts(path)
        assert heading_texts(path) == list(HEADINGS)
        assert paragraphs[0] == "【请补充：项目名称】\n【请补充：绩效自评年度】年度绩效自评报告"
        assert any("【请补充：" in w for w in warnings) and any("审核错误" in w for w in warnings)
