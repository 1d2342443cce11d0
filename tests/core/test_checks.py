"""Every rule of SPEC §5, positive and negative, with its level, field, cell and an actionable message."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from core.checks import Source, evaluate
from core.fields import with_value
from core.model import FundRow
from core.profile import DEFAULT_PATH, default_profile, parse_profile
from tests.conftest import check_json
from tests.seeds import SEED_A, seed_form, seed_workbook

PROFILE = default_profile()


def clean_a():
    """Seed A with the one explanation it lacks: no findings at all."""
    return with_value(seed_form("A"), "indicators[0].reason", "指标设置偏低，下年度将调高")


def clean_b():
    """Seed B with its 不适用 points moved onto real rows and the far-above row explained."""
    form = seed_form("B")
    for index in (7, 8, 9, 10):
        form = with_value(form, f"indicators[{index}].points", Decimal(0))
        form = with_value(form, f"indicators[{index}].score", Decimal(0))
    form = with_value(form, "indicators[0].points", Decimal(37))
    form = with_value(form, "indicators[0].score", Decimal(37))
    form = with_value(form, "indicators[2].reason", "运维需要增配一人")
    return form


def found(form, rule=None, source=None):
    findings = evaluate(form, PROFILE, source).findings
    return [f for f in findings if rule is None or f.rule == rule]


def test_the_clean_baselines_have_no_findings():
    assert found(clean_a()) == []
    assert [(f.rule, f.field) for f in found(clean_b())] == [("GROUP_WEIGHT", "groups[0].points"),
                                                              ("GROUP_WEIGHT", "groups[1].points")]


def one(form, rule):
    findings = found(form, rule)
    assert len(findings) == 1, findings
    return findings[0]


@pytest.mark.parametrize(
    "path, cell",
    [("code", "B2"), ("name", "E2"), ("year", "G2"), ("implementing_unit", "B3"), ("goal_actual", "F9")],
)
def test_required_header_fields(path, cell):
    finding = one(with_value(clean_a(), path, ""), "REQUIRED")
    assert (finding.level, finding.field, finding.cell) == ("error", path, cell)
    assert finding.message.startswith("请填写")


def test_required_budget_and_executed():
    form = with_value(clean_a(), "fund_rows[0].annual_budget", None)
    form = with_value(form, "fund_rows[0].executed", None)
    assert [(f.field, f.cell) for f in found(form, "REQUIRED")] == [("funds.annual_budget", "D6"),
                                                                    ("funds.executed", "E6")]


def test_required_indicator_fields_only_for_applicable_rows():
    form = clean_a()
    for key in ("actual", "points", "score"):
        form = with_value(form, f"indicators[1].{key}", None)
    fields = [f.field for f in found(form, "REQUIRED")]
    assert fields == ["indicators[1].actual", "indicators[1].points", "indicators[1].score"]
    # Row 4 is 不适用: emptying its points and score is not a REQUIRED finding.
    form = with_value(with_value(clean_a(), "indicators[4].points", None), "indicators[4].score", None)
    assert found(form, "REQUIRED") == []


@pytest.mark.parametrize(
    "path, value, fragment",
    [
        ("fund_rows[0].initial_budget", "四百万", "不是数字"),
        ("fund_rows[0].executed", Decimal("-1.00"), "负数"),
        ("fund_rows[0].annual_budget", Decimal("4560000.001"), "两位小数"),
        ("indicators[2].points", "十", "不是数字"),
        ("indicators[2].points", Decimal(-1), "负数"),
        ("funds.points", "十分", "不是数字"),
        ("year", "二〇二四", "四位数字"),
    ],
)
def test_number_format(path, value, fragment):
    findings = found(with_value(clean_a(), path, value), "NUMBER_FORMAT")
    assert findings and findings[0].field == path and fragment in findings[0].message
    assert findings[0].level == "error"


def test_number_format_negative_two_places_and_integers_are_fine():
    form = with_value(clean_a(), "fund_rows[0].initial_budget", Decimal("4560000"))
    assert found(form, "NUMBER_FORMAT") == []


def test_budget_zero():
    form = with_value(clean_a(), "fund_rows[0].annual_budget", Decimal(0))
    finding = one(form, "BUDGET_ZERO")
    assert (finding.field, finding.cell, finding.level) == ("funds.annual_budget", "D6", "error")
    assert evaluate(form, PROFILE).computed.rate is None
    assert found(clean_a(), "BUDGET_ZERO") == []


def test_over_budget():
    form = with_value(clean_a(), "fund_rows[0].executed", Decimal("4560000.01"))
    finding = one(form, "OVER_BUDGET")
    assert (finding.field, finding.cell, finding.level) == ("funds.executed", "E6", "warning")
    assert "4560000.01" in finding.message
    assert found(with_value(clean_a(), "fund_rows[0].executed", Decimal("4560000.00")), "OVER_BUDGET") == []


def test_fund_rows_sum_per_column_in_layout_b():
    form = with_value(clean_b(), "fund_rows[2].executed", Decimal("100.00"))
    finding = one(form, "FUND_ROWS_SUM")
    assert (finding.field, finding.cell, finding.level) == ("fund_rows[0].executed", "E6", "error")
    assert "4658260" in finding.message and "4658360" in finding.message
    assert found(clean_b(), "FUND_ROWS_SUM") == []


def test_fund_rows_sum_does_not_apply_to_layout_a():
    form = replace(clean_a(), fund_rows=(FundRow("年度资金总额", Decimal(1), Decimal(2), Decimal(1)),))
    assert found(form, "FUND_ROWS_SUM") == []


def test_points_total():
    form = with_value(clean_a(), "indicators[0].points", Decimal(14))
    form = with_value(form, "indicators[0].score", Decimal(14))
    finding = one(form, "POINTS_TOTAL")
    assert (finding.field, finding.cell, finding.level) == ("total_points", "G21", "error")
    assert "99" in finding.message and "100" in finding.message


def test_group_weight():
    form = with_value(clean_a(), "indicators[0].points", Decimal(14))
    form = with_value(form, "indicators[0].score", Decimal(14))
    form = with_value(form, "indicators[5].points", Decimal(31))
    form = with_value(form, "indicators[5].score", Decimal(31))
    findings = found(form, "GROUP_WEIGHT")
    assert [(f.field, f.cell, f.level) for f in findings] == [("groups[0].points", "B11", "warning"),
                                                              ("groups[1].points", "B15", "warning")]
    assert found(form, "POINTS_TOTAL") == []


def test_a_negative_score_is_reported_once_as_out_of_range():
    form = with_value(with_value(clean_a(), "indicators[1].score", Decimal(-1)), "indicators[1].reason", "原因")
    assert [f.rule for f in found(form) if f.field == "indicators[1].score"] == ["SCORE_RANGE", "SCORE_VS_SUGGESTED"]


def test_layout_b_says_weight_where_its_column_says_weight():
    form = with_value(clean_b(), "indicators[3].score", Decimal(5))
    (finding,) = found(form, "REASON_MISSING")
    assert "低于权重 7" in finding.message


def test_score_range():
    finding = one(with_value(clean_a(), "indicators[1].score", Decimal(16)), "SCORE_RANGE")
    assert (finding.field, finding.cell, finding.level) == ("indicators[1].score", "H12", "error")
    assert found(with_value(clean_a(), "indicators[1].score", Decimal(15)), "SCORE_RANGE") == []


def test_reason_missing_names_the_numbers():
    form = with_value(clean_a(), "indicators[2].score", Decimal(7))
    finding = one(form, "REASON_MISSING")
    assert (finding.field, finding.cell, finding.level) == ("indicators[2].reason", "I13", "error")
    assert "得分 7 低于分值 10，请填写偏差原因分析及改进措施" in finding.message
    assert found(with_value(form, "indicators[2].reason", "支付系统故障，已整改"), "REASON_MISSING") == []


def test_score_vs_suggested():
    form = with_value(clean_a(), "indicators[2].score", Decimal(7))
    form = with_value(form, "indicators[2].reason", "原因")
    finding = one(form, "SCORE_VS_SUGGESTED")
    assert (finding.field, finding.cell, finding.level) == ("indicators[2].score", "H13", "warning")
    assert "建议得分 10" in finding.message


def test_score_vs_suggested_is_silent_without_a_suggestion():
    # 有所提升 / 100% is qualitative with no proposal: any score in range is the clerk's call.
    form = with_value(with_value(clean_a(), "indicators[5].score", Decimal(25)), "indicators[5].reason", "原因")
    assert found(form, "SCORE_VS_SUGGESTED") == []


def test_far_above_target_on_seed_a_and_silenced_by_a_reason():
    finding = one(seed_form("A"), "FAR_ABOVE_TARGET")
    assert (finding.field, finding.cell, finding.level) == ("indicators[0].actual", "F11", "warning")
    assert "15534" in finding.message
    assert found(clean_a(), "FAR_ABOVE_TARGET") == []


def test_seed_b_findings_are_exactly_the_predicted_ones():
    findings = found(seed_form("B"))
    assert [(f.rule, f.field) for f in findings] == [
        ("FAR_ABOVE_TARGET", "indicators[2].actual"),
        ("NA_WITH_POINTS", "indicators[7].points"),
        ("NA_WITH_POINTS", "indicators[8].points"),
        ("NA_WITH_POINTS", "indicators[9].points"),
        ("NA_WITH_POINTS", "indicators[10].points"),
    ]
    assert [f.cell for f in findings] == ["G16", "H21", "H22", "H23", "H24"]


def test_na_with_points_is_silent_for_zero_points():
    assert found(clean_a(), "NA_WITH_POINTS") == []


def test_band_for_a_qualitative_grade():
    form = with_value(clean_a(), "indicators[5].grade", "部分达成")
    form = with_value(form, "indicators[5].reason", "部分完成")
    for score, expected in (("18", 0), ("23.99", 0), ("24", 1), ("17.99", 1), ("30", 1)):
        findings = found(with_value(form, "indicators[5].score", Decimal(score)), "BAND")
        assert len(findings) == expected, (score, findings)
    top = with_value(with_value(form, "indicators[5].grade", "达成年度指标"), "indicators[5].score", Decimal(30))
    assert found(top, "BAND") == []
    finding = found(with_value(form, "indicators[5].score", Decimal(30)), "BAND")[0]
    assert (finding.field, finding.cell, finding.level) == ("indicators[5].score", "H16", "error")
    assert "部分达成" in finding.message and "18" in finding.message and "24" in finding.message


def test_printed_mismatch_uses_the_source_cells():
    source = Source(cells={"funds.rate": "G6"}, printed={"funds.rate": Decimal("98.2700")})
    (finding,) = found(clean_a(), "PRINTED_MISMATCH", source)
    assert (finding.field, finding.cell, finding.level) == ("funds.rate", "G6", "warning")
    assert "98.2700" in finding.message and "98.28" in finding.message
    equal = Source(cells={}, printed={"funds.rate": Decimal("98.2800"), "total_score": Decimal("99.83")})
    assert found(clean_a(), "PRINTED_MISMATCH", equal) == []


def test_levels_and_off_come_from_the_profile():
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace('FAR_ABOVE_TARGET = "warning"', 'FAR_ABOVE_TARGET = "error"')
    text = text.replace('NA_WITH_POINTS = "warning"', 'NA_WITH_POINTS = "off"')
    profile = parse_profile(text)
    findings = evaluate(seed_form("B"), profile).findings
    assert [(f.rule, f.level) for f in findings] == [("FAR_ABOVE_TARGET", "error")]


def test_unit_mismatch_for_a_bare_fraction_against_a_percentage():
    form = with_value(clean_a(), "indicators[1].actual", "0.8")  # target 100%: 0.8%, or 80%?
    finding = one(form, "UNIT_MISMATCH")
    assert (finding.field, finding.cell, finding.level) == ("indicators[1].actual", "F12", "warning")
    assert finding.message == ("第 2 个指标“免费刻章费用支付准确率”：实际完成值 0.8 与指标 100% 的单位不一致，"
                               "可能是 80%，请核对")
    # No proposal, so the clerk's 15 is not second-guessed by SCORE_VS_SUGGESTED.
    assert [f.rule for f in found(form)] == ["UNIT_MISMATCH"]


def test_unit_mismatch_for_units_without_a_conversion():
    finding = one(with_value(clean_a(), "indicators[3].actual", "96分"), "UNIT_MISMATCH")  # target ≥95%
    assert (finding.field, finding.cell) == ("indicators[3].actual", "F14")
    assert "96分 与指标 ≥95% 的单位不一致（分 与 % 无法换算）" in finding.message


@pytest.mark.parametrize("actual", ["80%", "98", "0", "1.5", "≥100%", "满意", "不适用", ""])
def test_no_unit_mismatch_where_the_units_agree_or_there_is_no_number(actual):
    assert found(with_value(clean_a(), "indicators[1].actual", actual), "UNIT_MISMATCH") == []


def test_unit_mismatch_in_layout_b_reads_the_unit_column():
    form = with_value(clean_b(), "indicators[1].unit", "%")  # target ≥200 becomes ≥200%
    assert found(with_value(form, "indicators[1].actual", "200"), "UNIT_MISMATCH") == []
    finding = one(with_value(form, "indicators[1].actual", "0.9"), "UNIT_MISMATCH")
    assert (finding.field, finding.cell) == ("indicators[1].actual", "G15")
    assert "指标 ≥200% 的单位不一致，可能是 90%" in finding.message


def test_unit_mismatch_level_and_off_come_from_the_profile():
    form = with_value(clean_a(), "indicators[1].actual", "0.8")
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    off = parse_profile(text.replace('UNIT_MISMATCH = "warning"', 'UNIT_MISMATCH = "off"'))
    assert evaluate(form, off).findings == ()
    error = parse_profile(text.replace('UNIT_MISMATCH = "warning"', 'UNIT_MISMATCH = "error"'))
    assert [(f.rule, f.level) for f in evaluate(form, error).findings] == [("UNIT_MISMATCH", "error")]


def test_check_json_lists_unit_mismatch_and_the_profile_turns_it_off(tmp_path):
    seed = dict(SEED_A, indicators=list(SEED_A["indicators"]))
    seed["indicators"][1] = seed["indicators"][1][:4] + ("0.8",) + seed["indicators"][1][5:]
    path = seed_workbook(tmp_path / "fraction.xlsx", "A", seed=seed)
    data, result = check_json(path)
    assert result.returncode == 0, result.stderr
    (form,) = data["forms"]
    assert form["indicators"][1]["actual"] == "0.8" and form["indicators"][1]["suggested_score"] is None
    assert form["indicators"][1]["suggested_reason"] == "实际完成值 0.8 与指标 100% 的单位不一致，可能是 80%，请核对"
    mismatch = [f for f in form["findings"] if f["rule"] == "UNIT_MISMATCH"]
    assert [(f["level"], f["field"], f["cell"]) for f in mismatch] == [("warning", "indicators[1].actual", "F12")]
    quiet = tmp_path / "quiet.toml"
    quiet.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace('UNIT_MISMATCH = "warning"',
                                                                      'UNIT_MISMATCH = "off"'), encoding="utf-8")
    data, result = check_json(path, "--profile", quiet)
    assert result.returncode == 0 and "UNIT_MISMATCH" not in {f["rule"] for f in data["forms"][0]["findings"]}
