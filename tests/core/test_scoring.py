"""建议得分 by the official rules: table-driven cases and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.model import Indicator
from core.profile import default_profile
from core.scoring import suggest

PROFILE = default_profile()


def row(target, actual, points="10", level3="指标", unit=""):
    return Indicator(level1="产出指标", level2="数量指标", level3=level3, target=target, unit=unit, actual=actual,
                     points=Decimal(points))


# target, actual, points, expected suggested score (None: no proposal), fragment of the reason
CASES = [
    ("≥12000个", "15534个", "15", "15.00", "得满分"),
    ("≥12000个", "6000个", "15", "7.50", "按比例"),
    ("100%", "100%", "15", "15.00", "得满分"),
    ("100%", "95%", "10", "9.50", "按比例"),
    ("≥95%", "98.28%", "10", "10.00", "得满分"),
    ("≤2小时", "≤2小时", "7", "7.00", "得满分"),
    ("≤2小时", "90分钟", "7", "7.00", "得满分"),
    ("≤2小时", "4小时", "8", "4.00", "按比例"),
    ("≤30分钟", "20分钟", "10", "10.00", "实际 20分钟 ≤ 指标 30分钟，得满分"),
    ("=1套", "1套", "5", "5.00", "等于"),
    ("═100%", "80%", "10", "8.00", "不等于"),
    ("1年", "2年", "6", "3.00", "不等于"),
    ("0起", "0起", "10", "10.00", "得满分"),
    ("0次投诉", "2次投诉", "10", "0.00", "未达到"),
    ("≥120项", "120", "7", "7.00", "得满分"),
    ("≥1人", "2", "7", "7.00", "倍"),
    ("≥3万个", "15000个", "10", "5.00", "按比例"),
    ("≧ 100", "98", "10", "9.80", "按比例"),
    ("满足", "满足", "7", "7.00", "已达成"),
    ("有所提升", "已完成", "10", "10.00", "已达成"),
    ("有所提升", "达成预期指标", "10", "10.00", "已达成"),
    ("有所提升", "基本完成", "10", None, "选择达成等级"),
    ("有所提升", "未完成", "10", None, "选择达成等级"),
    ("有所提升", "100%", "30", None, "选择达成等级"),
    ("", "满意", "5", None, "没有年度指标值"),
    ("2023年12月", "2023年11月", "5", None, "不自动评分"),
    ("≥95%", "满意", "10", None, "不是数值"),
    ("≥95%", "95个", "10", None, "单位不一致"),
    ("无", "不适用", "0", "0.00", "不适用"),
    ("不适用", "不适用", "8", "0.00", "不适用"),
    ("≥95%", "", "10", None, "请先填写实际完成值"),
]


@pytest.mark.parametrize("target, actual, points, expected, fragment", CASES)
def test_suggested_score(target, actual, points, expected, fragment):
    suggestion = suggest(row(target, actual, points), PROFILE)
    assert (None if suggestion.score is None else str(suggestion.score)) == expected
    assert fragment in suggestion.reason


def test_a_row_with_everything_empty_is_not_applicable():
    suggestion = suggest(Indicator(level1="效益指标", level2="经济效益指标", points=Decimal(8)), PROFILE)
    assert suggestion.kind == "not_applicable" and suggestion.score == Decimal("0.00")


def test_layout_b_unit_column_supplies_the_unit():
    assert suggest(row("≧ 100", "100", unit="%"), PROFILE).score == Decimal("10.00")


def test_far_above_target_is_flagged_beyond_the_profile_ratio():
    assert suggest(row("≥12000个", "15534个", "15"), PROFILE).far_above
    assert not suggest(row("≥12000个", "14400个", "15"), PROFILE).far_above  # exactly 1.2 is not beyond
    assert not suggest(row("≤2小时", "1小时"), PROFILE).far_above  # only higher-is-better


def test_no_points_means_no_suggestion():
    assert suggest(Indicator(target="≥1", actual="2"), PROFILE).score is None


numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
points_st = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
comparators = st.sampled_from(["≥", "≤", "=", "", ">", "<"])
units = st.sampled_from(["", "%", "个", "小时", "分钟", "万元", "元"])


@given(comparator=comparators, target=numbers, actual=numbers, points=points_st, t_unit=units, a_unit=units)
def test_suggestion_is_always_between_zero_and_points(comparator, target, actual, points, t_unit, a_unit):
    suggestion = suggest(row(f"{comparator}{target}{t_unit}", f"{actual}{a_unit}", str(points)), PROFILE)
    if suggestion.score is not None:
        assert Decimal(0) <= suggestion.score <= points.quantize(Decimal("0.01"))


@given(comparator=st.sampled_from(["≥", "≤", "="]), target=numbers, points=points_st, unit=units)
def test_a_met_target_always_gets_full_points(comparator, target, points, unit):
    suggestion = suggest(row(f"{comparator}{target}{unit}", f"{target}{unit}", str(points)), PROFILE)
    assert suggestion.score == points.quantize(Decimal("0.01"))


@given(target=numbers, a=numbers, b=numbers, points=points_st)
def test_moving_further_below_a_higher_is_better_target_never_raises_the_suggestion(target, a, b, points):
    assume(target > 0)
    closer, further = max(a, b), min(a, b)
    s_closer = suggest(row(f"≥{target}", str(closer), str(points)), PROFILE).score
    s_further = suggest(row(f"≥{target}", str(further), str(points)), PROFILE).score
    assert s_further <= s_closer


@given(target=numbers, a=numbers, b=numbers, points=points_st)
def test_moving_further_above_a_lower_is_better_target_never_raises_the_suggestion(target, a, b, points):
    closer, further = min(a, b), max(a, b)
    s_closer = suggest(row(f"≤{target}", str(closer), str(points)), PROFILE).score
    s_further = suggest(row(f"≤{target}", str(further), str(points)), PROFILE).score
    assert s_further <= s_closer
