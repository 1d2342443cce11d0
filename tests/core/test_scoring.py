"""建议得分 by the official rules: table-driven cases and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.model import Indicator
from core.numbers import plain
from core.profile import DEFAULT_PATH, default_profile, parse_profile
from core.scoring import suggest
from core.targets import parse

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


# SPEC §4's further forms (issue 21), 分值 10: target, actual, 度量单位, 建议得分 (None: no proposal),
# the whole one-line reason.
MORE_FORMS = [
    # Comparator words. ">" and "<" score as "≥" and "≤" do (SPEC §4 groups them).
    ("大于等于80%", "85%", "", "10.00", "实际 85% ≥ 指标 80%，得满分 10.00"),
    ("大于等于80%", "60%", "", "7.50", "实际 60% 低于指标 80%，按比例 10 × 60 ÷ 80 = 7.50"),
    ("不小于10次", "10次", "", "10.00", "实际 10次 ≥ 指标 10次，得满分 10.00"),
    ("不小于10次", "8次", "", "8.00", "实际 8次 低于指标 10次，按比例 10 × 8 ÷ 10 = 8.00"),
    ("至少5场", "4场", "", "8.00", "实际 4场 低于指标 5场，按比例 10 × 4 ÷ 5 = 8.00"),
    ("小于等于3天", "2天", "", "10.00", "实际 2天 ≤ 指标 3天，得满分 10.00"),
    ("小于等于3天", "36小时", "", "10.00", "实际 1.5天 ≤ 指标 3天，得满分 10.00"),
    ("不大于5%", "8%", "", "6.25", "实际 8% 超过指标 5%，按比例 10 × 5 ÷ 8 = 6.25"),
    ("最多2小时", "90分钟", "", "10.00", "实际 1.5小时 ≤ 指标 2小时，得满分 10.00"),
    ("大于90%", "95%", "", "10.00", "实际 95% ≥ 指标 90%，得满分 10.00"),
    ("大于90%", "90%", "", "10.00", "实际 90% ≥ 指标 90%，得满分 10.00"),
    ("高于90%", "81%", "", "9.00", "实际 81% 低于指标 90%，按比例 10 × 81 ÷ 90 = 9.00"),
    ("超过100人", "50人", "", "5.00", "实际 50人 低于指标 100人，按比例 10 × 50 ÷ 100 = 5.00"),
    ("小于5%", "3%", "", "10.00", "实际 3% ≤ 指标 5%，得满分 10.00"),
    ("低于5%", "10%", "", "5.00", "实际 10% 超过指标 5%，按比例 10 × 5 ÷ 10 = 5.00"),
    # Trailing words.
    ("95%以上", "96%", "", "10.00", "实际 96% ≥ 指标 95%，得满分 10.00"),
    ("95%及以上", "76%", "", "8.00", "实际 76% 低于指标 95%，按比例 10 × 76 ÷ 95 = 8.00"),
    ("5%以下", "6%", "", "8.33", "实际 6% 超过指标 5%，按比例 10 × 5 ÷ 6 = 8.33"),
    ("5%及以下", "5%", "", "10.00", "实际 5% ≤ 指标 5%，得满分 10.00"),
    ("2小时以内", "3小时", "", "6.67", "实际 3小时 超过指标 2小时，按比例 10 × 2 ÷ 3 = 6.67"),
    ("30分钟之内", "0.5小时", "", "10.00", "实际 30分钟 ≤ 指标 30分钟，得满分 10.00"),
    ("3个工作日内", "2个工作日", "", "10.00", "实际 2个工作日 ≤ 指标 3个工作日，得满分 10.00"),
    ("3个工作日内", "6个工作日", "", "5.00", "实际 6个工作日 超过指标 3个工作日，按比例 10 × 3 ÷ 6 = 5.00"),
    # Composite units, compared whole.
    ("≥2次/年", "2次/年", "", "10.00", "实际 2次/年 ≥ 指标 2次/年，得满分 10.00"),
    ("≥2次/年", "1次/年", "", "5.00", "实际 1次/年 低于指标 2次/年，按比例 10 × 1 ÷ 2 = 5.00"),
    ("≥2次/年", "2次", "", None,
     "实际完成值 2次 与指标 ≥2次/年 的单位不一致（次 与 次/年 无法换算），请核对后自行评分"),
    ("≥500人次", "400人次", "", "8.00", "实际 400人次 低于指标 500人次，按比例 10 × 400 ÷ 500 = 8.00"),
    ("≥500人次", "500人", "", None,
     "实际完成值 500人 与指标 ≥500人次 的单位不一致（人 与 人次 无法换算），请核对后自行评分"),
    ("≤50万元/公里", "40万元/公里", "", "10.00", "实际 40万元/公里 ≤ 指标 50万元/公里，得满分 10.00"),
    ("≤50万元/公里", "600000元/公里", "", "8.33", "实际 60万元/公里 超过指标 50万元/公里，按比例 10 × 50 ÷ 60 = 8.33"),
    ("≤3个工作日", "3工作日", "", "10.00", "实际 3个工作日 ≤ 指标 3个工作日，得满分 10.00"),
    ("≤3个工作日", "3天", "", None,
     "实际完成值 3天 与指标 ≤3个工作日 的单位不一致（天 与 个工作日 无法换算），请核对后自行评分"),
    # Chinese numerals, on either side.
    ("两次", "两次", "", "10.00", "实际 2次 ≥ 指标 2次，得满分 10.00"),
    ("≥十二个", "十二个", "", "10.00", "实际 12个 ≥ 指标 12个，得满分 10.00"),
    ("≥十二个", "6个", "", "5.00", "实际 6个 低于指标 12个，按比例 10 × 6 ÷ 12 = 5.00"),
    ("一百人", "八十人", "", "8.00", "实际 80人 低于指标 100人，按比例 10 × 80 ÷ 100 = 8.00"),
    ("≥3次", "两次", "", "6.67", "实际 2次 低于指标 3次，按比例 10 × 2 ÷ 3 = 6.67"),
    ("不少于三次", "3次", "", "10.00", "实际 3次 ≥ 指标 3次，得满分 10.00"),
    ("≥5次", "一次性", "", None, "实际完成值“一次性”不是数值，无法与指标 ≥5次 比较，请填写数值或自行评分"),
    # Ranges: inside (ends included) full; outside no proposal, and by how much.
    ("85%~95%", "90%", "", "10.00", "实际 90% 在指标 85%～95% 范围内，得满分 10.00"),
    ("85%～95%", "85%", "", "10.00", "实际 85% 在指标 85%～95% 范围内，得满分 10.00"),
    ("85%～95%", "95%", "", "10.00", "实际 95% 在指标 85%～95% 范围内，得满分 10.00"),
    ("85%~95%", "97%", "", None,
     "实际 97% 不在指标 85%～95% 范围内，高于上限 2 个百分点，不自动评分，请核对后自行评分"),
    ("85%~95%", "80%", "", None,
     "实际 80% 不在指标 85%～95% 范围内，低于下限 5 个百分点，不自动评分，请核对后自行评分"),
    ("60至80人", "70人", "", "10.00", "实际 70人 在指标 60～80人 范围内，得满分 10.00"),
    ("60至80人", "90人", "", None, "实际 90人 不在指标 60～80人 范围内，高于上限 10人，不自动评分，请核对后自行评分"),
    ("5-10个", "7", "", "10.00", "实际 7个 在指标 5～10个 范围内，得满分 10.00"),
    ("1到2小时", "90分钟", "", "10.00", "实际 1.5小时 在指标 1～2小时 范围内，得满分 10.00"),
    ("1到2小时", "3小时", "", None,
     "实际 3小时 不在指标 1～2小时 范围内，高于上限 1小时，不自动评分，请核对后自行评分"),
    ("三至五天", "四天", "", "10.00", "实际 4天 在指标 3～5天 范围内，得满分 10.00"),
    ("85~95", "90", "%", "10.00", "实际 90% 在指标 85%～95% 范围内，得满分 10.00"),
    ("85%~95%", "0.9", "", None, "实际完成值 0.9 与指标 85%～95% 的单位不一致，可能是 90%，请核对"),
    ("60至80人", "70次", "", None,
     "实际完成值 70次 与指标 60～80人 的单位不一致（次 与 人 无法换算），请核对后自行评分"),
    ("60至80人", "70至75人", "", None, "实际完成值 70～75人 是一个范围，请填写实际达到的数值"),
    # Deadlines: full when the actual says the deadline was met, otherwise no proposal.
    ("2025年6月底前", "如期完成", "", "10.00", "时限指标“2025年6月底前”：实际“如期完成”表明已按期完成，得满分 10.00"),
    ("12月底前", "按期完成", "", "10.00", "时限指标“12月底前”：实际“按期完成”表明已按期完成，得满分 10.00"),
    ("2024年12月31日前完成", "已完成", "", "10.00",
     "时限指标“2024年12月31日前完成”：实际“已完成”表明已按期完成，得满分 10.00"),
    ("2023年12月", "按时完成", "", "10.00", "时限指标“2023年12月”：实际“按时完成”表明已按期完成，得满分 10.00"),
    ("2024年12月31日前", "如期", "", "10.00", "时限指标“2024年12月31日前”：实际“如期”表明已按期完成，得满分 10.00"),
    ("2025年6月底前", "已按期完成", "", "10.00",
     "时限指标“2025年6月底前”：实际“已按期完成”表明已按期完成，得满分 10.00"),
    ("2025年6月底前", "提前完成", "", "10.00", "时限指标“2025年6月底前”：实际“提前完成”表明已按期完成，得满分 10.00"),
    ("12月前", "完成", "", "10.00", "时限指标“12月前”：实际“完成”表明已按期完成，得满分 10.00"),
    ("2025年6月底前", "未按期完成", "", None,
     "时限指标“2025年6月底前”：实际“未按期完成”未表明按期完成，不自动评分，请按是否按期完成自行评分"),
    ("2025年6月底前", "2025年7月完成", "", None,
     "时限指标“2025年6月底前”：实际“2025年7月完成”未表明按期完成，不自动评分，请按是否按期完成自行评分"),
    ("2025年6月底前", "基本完成", "", None,
     "时限指标“2025年6月底前”：实际“基本完成”未表明按期完成，不自动评分，请按是否按期完成自行评分"),
    ("2025年6月底前", "延期完成", "", None,
     "时限指标“2025年6月底前”：实际“延期完成”未表明按期完成，不自动评分，请按是否按期完成自行评分"),
    ("2025年6月底前", "满意", "", None,
     "时限指标“2025年6月底前”：实际“满意”未表明按期完成，不自动评分，请按是否按期完成自行评分"),
    # Units: a bare 0–1 against a percentage is ambiguous; units without a conversion do not compare.
    ("≥100%", "0.8", "", None, "实际完成值 0.8 与指标 ≥100% 的单位不一致，可能是 80%，请核对"),
    ("≥100%", "1", "", None, "实际完成值 1 与指标 ≥100% 的单位不一致，可能是 100%，请核对"),
    ("100%", "1", "", None, "实际完成值 1 与指标 100% 的单位不一致，可能是 100%，请核对"),
    ("≥100%", "≥0.9", "", None, "实际完成值 ≥0.9 与指标 ≥100% 的单位不一致，可能是 ≥90%，请核对"),
    ("≤5%", "0.03", "", None, "实际完成值 0.03 与指标 ≤5% 的单位不一致，可能是 3%，请核对"),
    ("≧ 100", "0.98", "%", None, "实际完成值 0.98 与指标 ≥100% 的单位不一致，可能是 98%，请核对"),
    ("≥0.95", "96%", "", None, "实际完成值 96% 与指标 ≥0.95 的单位不一致，指标可能是 ≥95%，请核对"),
    ("≥90%", "96分", "", None, "实际完成值 96分 与指标 ≥90% 的单位不一致（分 与 % 无法换算），请核对后自行评分"),
    ("≥95%", "0", "", "0.00", "实际 0% 低于指标 95%，按比例 10 × 0 ÷ 95 = 0.00"),  # 0 is 0 either way
    ("≥95%", "1.5", "", "0.16", "实际 1.5% 低于指标 95%，按比例 10 × 1.5 ÷ 95 = 0.16"),  # above 1: a percentage
    ("≧ 100", "98", "%", "9.80", "实际 98% 低于指标 100%，按比例 10 × 98 ÷ 100 = 9.80"),
    ("≥100%", "80%", "", "8.00", "实际 80% 低于指标 100%，按比例 10 × 80 ÷ 100 = 8.00"),
    ("≤30万元", "250000元", "", "10.00", "实际 25万元 ≤ 指标 30万元，得满分 10.00"),
    # A negative number has no proportional score.
    ("≤-5%", "-3%", "", None, "指标 ≤-5% 或实际 -3% 为负数，无法按比例计算，请自行评分"),
    ("=-5", "5", "", None, "指标 =-5 或实际 5 为负数，无法按比例计算，请自行评分"),
    ("≥-5%", "-8%", "", None, "指标 ≥-5% 或实际 -8% 为负数，无法按比例计算，请自行评分"),
]


@pytest.mark.parametrize("target, actual, unit, expected, reason", MORE_FORMS,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in MORE_FORMS])
def test_suggested_score_for_the_further_forms_of_spec_4(target, actual, unit, expected, reason):
    suggestion = suggest(row(target, actual, unit=unit), PROFILE)
    assert (None if suggestion.score is None else str(suggestion.score)) == expected
    assert suggestion.reason == reason
    assert "\n" not in suggestion.reason
    # UNIT_MISMATCH is raised exactly where the reason says the units disagree.
    assert suggestion.unit_mismatch == ("单位不一致" in reason)


def test_the_issue_examples():
    """Issue 21's five complaints, one by one."""
    assert suggest(row("85%~95%", "90%"), PROFILE).score == Decimal("10.00")
    assert suggest(row("60至80人", "70人"), PROFILE).score == Decimal("10.00")
    assert suggest(row("≥三次", "三次"), PROFILE).reason == "实际 3次 ≥ 指标 3次，得满分 10.00"
    assert suggest(row("≥二十个", "10个"), PROFILE).score == Decimal("5.00")
    assert suggest(row("2025年6月底前", "如期完成"), PROFILE).score == Decimal("10.00")
    ambiguous = suggest(row("≥100%", "0.8"), PROFILE)
    assert ambiguous.score is None and ambiguous.unit_mismatch
    assert ambiguous.reason == "实际完成值 0.8 与指标 ≥100% 的单位不一致，可能是 80%，请核对"
    points = suggest(row("≥90%", "96分"), PROFILE)
    assert points.score is None and points.unit_mismatch


def test_bare_fraction_max_comes_from_the_profile():
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("bare_fraction_max = 1", "bare_fraction_max = 0")
    strict = parse_profile(text)
    suggestion = suggest(row("≥100%", "0.8"), strict)
    assert suggestion.score == Decimal("0.08") and not suggestion.unit_mismatch  # read as 0.8%


def test_a_deadline_met_is_its_own_kind_and_far_above_never_applies_to_ranges():
    assert suggest(row("12月底前", "按期完成"), PROFILE).kind == "deadline"
    inside = suggest(row("1~100个", "100个"), PROFILE)
    assert inside.score == Decimal("10.00") and not inside.far_above


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
    assert s_further is not None and s_closer is not None and s_further <= s_closer


@given(target=numbers, a=numbers, b=numbers, points=points_st)
def test_moving_further_above_a_lower_is_better_target_never_raises_the_suggestion(target, a, b, points):
    closer, further = min(a, b), max(a, b)
    s_closer = suggest(row(f"≤{target}", str(closer), str(points)), PROFILE).score
    s_further = suggest(row(f"≤{target}", str(further), str(points)), PROFILE).score
    assert s_further is not None and s_closer is not None and s_further <= s_closer


# Any pair the parser reads as quantities: every comparator word, suffix, unit (composite,
# convertible, without conversion), range separator, Chinese numeral, sign and size. Edge values
# (0, ±1, fractions) and a unit shared by both sides are drawn often, where division goes wrong.
_COMPARATORS = st.one_of(
    st.sampled_from(["", "≥", "≤", ">", "<", "=", "═"]),
    st.sampled_from(["≧ ", "≦", "不低于", "大于等于", "不小于", "至少", "达到", "小于等于", "不大于", "最多", "不超过",
                     "大于", "高于", "超过", "小于", "低于"]),
)
_SUFFIXES = st.sampled_from(["", "", "", "以上", "及以上", "以下", "及以下", "以内", "之内", "内"])
_UNITS = st.sampled_from(["", "%", "个", "万个", "次", "人次", "次/年", "小时", "分钟", "天", "个工作日", "工作日",
                          "年", "元", "万元", "万元/公里", "分", "dB/km", "db/km"])
_COUNT_UNITS = st.sampled_from(["个", "次", "人", "人次", "次/年", "天", "个工作日"])
_SEPARATORS = st.sampled_from(["-", "~", "～", "至", "到", "—"])
_NUMBERS = st.one_of(
    st.sampled_from(["0", "0.0", "1", "-1", "0.5", "-0.5", "100", "0.001"]),
    st.decimals(min_value=-100, max_value=100, places=1, allow_nan=False, allow_infinity=False).map(plain),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(plain),
)
_CHINESE = st.sampled_from(["零", "一", "两", "三", "十", "十二", "二十", "一百", "一百零五", "三万"])


@st.composite
def _quantity_text(draw, unit):
    shape = draw(st.sampled_from(["single", "single", "range", "chinese"]))
    if shape == "range":
        return f"{draw(_NUMBERS)}{draw(_SEPARATORS)}{draw(_NUMBERS)}{unit}"
    if shape == "chinese":
        return f"{draw(_COMPARATORS)}{draw(_CHINESE)}{draw(_COUNT_UNITS)}{draw(_SUFFIXES)}"
    return f"{draw(_COMPARATORS)}{draw(_NUMBERS)}{unit}{draw(_SUFFIXES)}"


@st.composite
def _pairs(draw):
    unit = draw(_UNITS)
    actual_unit = draw(st.one_of(st.just(unit), st.just(""), _UNITS))
    return draw(_quantity_text(unit)), draw(_quantity_text(actual_unit))


_EDGES = [("=-5", "0"), ("=0", "0.5"), ("1年", "0年"), ("≤0", "5"), ("≤-1", "0"), ("<0", "0"), ("0", "0"),
          ("0次", "3次"), ("≥0", "-1"), ("≥-5", "0"), ("0-0", "0"), ("-5~-1", "0"), ("≥100%", "0.5"),
          ("≥0.5", "50%"), ("零次", "两次")]


@settings(max_examples=600)
@given(pair=_pairs(), points=points_st, hint=st.sampled_from(["", "", "%", "个"]))
def test_any_parsed_quantitative_pair_gets_a_bounded_suggestion_and_never_divides_by_zero(pair, points, hint):
    assume(all(parse(text, hint).kind == "quantity" for text in pair))
    _check_bounded(pair, points, hint)


@pytest.mark.parametrize("pair", _EDGES, ids=[f"{t}|{a}" for t, a in _EDGES])
@pytest.mark.parametrize("points", [Decimal(0), Decimal(10)])
def test_edge_pairs_get_a_bounded_suggestion_and_never_divide_by_zero(pair, points):
    assert all(parse(text).kind == "quantity" for text in pair)
    _check_bounded(pair, points, "")


def _check_bounded(pair, points, hint):
    target, actual = pair
    # Decimal's default context traps division by zero: a zero divisor would raise here.
    suggestion = suggest(row(target, actual, str(points), unit=hint), PROFILE)
    assert suggestion.reason and "\n" not in suggestion.reason
    if suggestion.score is not None:
        assert Decimal(0) <= suggestion.score <= points.quantize(Decimal("0.01"))
    if suggestion.unit_mismatch:
        assert suggestion.score is None
