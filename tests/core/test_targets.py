"""Parsing 年度指标值 / 实际完成值: values from the seeds and the ways clerks write them."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from core import targets
from core.targets import RANGE, Quantity, base_unit, chinese_number, convert, parse

Q = "quantity"

# text, unit hint, expected kind, comparator, number, unit
CASES = [
    # From the seeds.
    ("≥12000个", "", Q, ">=", "12000", "个"),
    ("15534个", "", Q, "", "15534", "个"),
    ("100%", "", Q, "", "100", "%"),
    ("≥95%", "", Q, ">=", "95", "%"),
    ("98.28%", "", Q, "", "98.28", "%"),
    ("99.99%", "", Q, "", "99.99", "%"),
    ("有所提升", "", "qualitative", None, None, None),
    ("无", "", "not_applicable", None, None, None),
    ("不适用", "", "not_applicable", None, None, None),
    ("≥120项", "", Q, ">=", "120", "项"),
    ("120", "", Q, "", "120", ""),
    ("≥200", "", Q, ">=", "200", ""),
    ("≥1人", "", Q, ">=", "1", "人"),
    ("满足", "", "qualitative", None, None, None),
    ("≤2小时。", "", Q, "<=", "2", "小时"),
    ("满意", "", "qualitative", None, None, None),
    ("", "", "empty", None, None, None),
    # Symbols and their look-alikes.
    ("≧ 735", "", Q, ">=", "735", ""),
    ("≦30分钟", "", Q, "<=", "30", "分钟"),
    ("＞90%", "", Q, ">", "90", "%"),
    ("＜5%", "", Q, "<", "5", "%"),
    (">=85%", "", Q, ">=", "85", "%"),
    ("<=3天", "", Q, "<=", "3", "天"),
    ("=100%", "", Q, "=", "100", "%"),
    ("═100%", "", Q, "=", "100", "%"),
    ("＝1套", "", Q, "=", "1", "套"),
    ("⩾90分", "", Q, ">=", "90", "分"),
    ("≥ 95 %", "", Q, ">=", "95", "%"),
    # Words.
    ("不低于95%", "", Q, ">=", "95", "%"),
    ("不少于10次", "", Q, ">=", "10", "次"),
    ("95%以上", "", Q, ">=", "95", "%"),
    ("95%及以上", "", Q, ">=", "95", "%"),
    ("不高于5%", "", Q, "<=", "5", "%"),
    ("不超过30万元", "", Q, "<=", "30", "万元"),
    ("2小时以内", "", Q, "<=", "2", "小时"),
    ("24小时内", "", Q, "<=", "24", "小时"),
    ("达到100%", "", Q, ">=", "100", "%"),
    ("大于等于80%", "", Q, ">=", "80", "%"),
    ("小于3%", "", Q, "<", "3", "%"),
    ("满意度≥90%", "", Q, ">=", "90", "%"),
    # Digits, separators, punctuation, case.
    ("≥１２０００个", "", Q, ">=", "12000", "个"),
    ("４，５６０个", "", Q, "", "4560", "个"),
    ("≥12,000个", "", Q, ">=", "12000", "个"),
    ("100%。", "", Q, "", "100", "%"),
    ("≥95%；", "", Q, ">=", "95", "%"),
    ("（≥95%）", "", Q, ">=", "95", "%"),
    ("≤3dB/km", "", Q, "<=", "3", "dB/km"),
    ("2.5db/km", "", Q, "", "2.5", "db/km"),
    ("0.5", "", Q, "", "0.5", ""),
    ("0起", "", Q, "", "0", "起"),
    ("0次投诉", "", Q, "", "0", "次投诉"),
    ("1年", "", Q, "", "1", "年"),
    ("≥266米", "", Q, ">=", "266", "米"),
    ("3.5万个", "", Q, "", "3.5", "万个"),
    # Unit from the 度量单位 column (layout B).
    ("≧ 100", "%", Q, ">=", "100", "%"),
    ("98", "%", Q, "", "98", "%"),
    ("≥120项", "个", Q, ">=", "120", "项"),
    # Not applicable markers.
    ("/", "", "not_applicable", None, None, None),
    ("—", "", "not_applicable", None, None, None),
    ("-", "", "not_applicable", None, None, None),
    ("／", "", "not_applicable", None, None, None),
    ("  ", "", "empty", None, None, None),
    # Dates and deadlines: never scored automatically.
    ("2023年12月", "", "date", None, None, None),
    ("2024年12月31日前", "", "date", None, None, None),
    ("12月底前完成", "", "date", None, None, None),
    ("2024年", "", "date", None, None, None),
    # Qualitative.
    ("达成预期指标", "", "qualitative", None, None, None),
    ("效果明显", "", "qualitative", None, None, None),
    ("显著提升", "", "qualitative", None, None, None),
    ("有效", "", "qualitative", None, None, None),
    ("按时完成", "", "qualitative", None, None, None),
    ("提升10%", "", "qualitative", None, None, None),
    ("±5%", "", "qualitative", None, None, None),
    ("≥5以内", "", "qualitative", None, None, None),
]

# SPEC §4's further forms (issue 21): text, unit hint, kind, comparator, number, unit, range upper end.
MORE_FORMS = [
    # Comparator words before the number.
    ("大于等于80%", "", Q, ">=", "80", "%", None),
    ("不小于10次", "", Q, ">=", "10", "次", None),
    ("至少5场", "", Q, ">=", "5", "场", None),
    ("小于等于3天", "", Q, "<=", "3", "天", None),
    ("不大于5%", "", Q, "<=", "5", "%", None),
    ("最多2小时", "", Q, "<=", "2", "小时", None),
    ("大于90%", "", Q, ">", "90", "%", None),
    ("高于90%", "", Q, ">", "90", "%", None),
    ("超过100人", "", Q, ">", "100", "人", None),
    ("小于5%", "", Q, "<", "5", "%", None),
    ("低于5%", "", Q, "<", "5", "%", None),
    # Trailing words.
    ("95%以上", "", Q, ">=", "95", "%", None),
    ("95%及以上", "", Q, ">=", "95", "%", None),
    ("5%以下", "", Q, "<=", "5", "%", None),
    ("5%及以下", "", Q, "<=", "5", "%", None),
    ("2小时以内", "", Q, "<=", "2", "小时", None),
    ("30分钟之内", "", Q, "<=", "30", "分钟", None),
    ("3个工作日内", "", Q, "<=", "3", "个工作日", None),
    ("不少于5次以上", "", Q, ">=", "5", "次", None),  # the same direction twice is one comparator
    ("不超过5%以上", "", "qualitative", None, None, None, None),  # contradictory: not guessed
    # Composite units, kept whole.
    ("≥2次/年", "", Q, ">=", "2", "次/年", None),
    ("≥500人次", "", Q, ">=", "500", "人次", None),
    ("≤50万元/公里", "", Q, "<=", "50", "万元/公里", None),
    ("5个工作日", "", Q, "", "5", "个工作日", None),
    # Chinese numerals in counts.
    ("两次", "", Q, "", "2", "次", None),
    ("十二个", "", Q, "", "12", "个", None),
    ("一百人", "", Q, "", "100", "人", None),
    ("三次", "", Q, "", "3", "次", None),
    ("二十个", "", Q, "", "20", "个", None),
    ("不少于三次", "", Q, ">=", "3", "次", None),
    ("两次以上", "", Q, ">=", "2", "次", None),
    ("≥一百零五个", "", Q, ">=", "105", "个", None),
    ("三万人", "", Q, "", "30000", "人", None),
    ("五人次", "", Q, "", "5", "人次", None),
    ("两次/年", "", Q, "", "2", "次/年", None),
    ("十二个月", "", Q, "", "12", "个月", None),
    # Words that start with a numeral are words, not counts.
    ("一致", "", "qualitative", None, None, None, None),
    ("十分满意", "", "qualitative", None, None, None, None),
    ("一次性", "", "qualitative", None, None, None, None),
    ("三公经费", "", "qualitative", None, None, None, None),
    ("一站式服务", "", "qualitative", None, None, None, None),
    ("八十分", "", "qualitative", None, None, None, None),  # 分 (points) is not a count
    ("一月", "", "qualitative", None, None, None, None),  # January, not a month's time
    ("一百五人", "", "qualitative", None, None, None, None),  # colloquial 一百五: 105 or 150? not guessed
    # Ranges with one unit.
    ("85%~95%", "", Q, RANGE, "85", "%", "95"),
    ("85%～95%", "", Q, RANGE, "85", "%", "95"),
    ("85~95%", "", Q, RANGE, "85", "%", "95"),
    ("85%-95", "", Q, RANGE, "85", "%", "95"),
    ("5-10人", "", Q, RANGE, "5", "人", "10"),
    ("60至80人", "", Q, RANGE, "60", "人", "80"),
    ("60人到80人", "", Q, RANGE, "60", "人", "80"),
    ("0.5〜1小时", "", Q, RANGE, "0.5", "小时", "1"),
    ("10—20个", "", Q, RANGE, "10", "个", "20"),
    ("1-2次/年", "", Q, RANGE, "1", "次/年", "2"),
    ("三至五天", "", Q, RANGE, "3", "天", "5"),
    ("95%~85%", "", Q, RANGE, "85", "%", "95"),  # ends written backwards
    ("85 % ～ 95 %", "", Q, RANGE, "85", "%", "95"),
    ("85~95", "%", Q, RANGE, "85", "%", "95"),  # the 度量单位 column supplies the unit
    ("1小时~2天", "", "qualitative", None, None, None, None),  # two units
    ("≥85%~95%", "", "qualitative", None, None, None, None),  # a range with a direction
    ("3-5天内", "", "qualitative", None, None, None, None),
    ("8:00-18:00", "", "qualitative", None, None, None, None),
    ("三至五成", "", "qualitative", None, None, None, None),  # 成 is not a count
    ("2024-2025年", "", "date", None, None, None, None),
    ("2024-06", "", "date", None, None, None, None),
    # Deadlines and dates.
    ("2025年6月底前", "", "date", None, None, None, None),
    ("12月前", "", "date", None, None, None, None),
    ("6月30日前", "", "date", None, None, None, None),
    ("2024年12月31日前完成", "", "date", None, None, None, None),
    ("2024-06-30", "", "date", None, None, None, None),
    ("2024.12", "", Q, "", "2024.12", "", None),  # without a day it is a number
]


@pytest.mark.parametrize("text, hint, kind, comparator, number, unit, high", MORE_FORMS,
                         ids=[c[0] for c in MORE_FORMS])
def test_parse_the_further_forms_of_spec_4(text, hint, kind, comparator, number, unit, high):
    parsed = parse(text, hint)
    assert parsed.kind == kind
    if kind == Q:
        assert parsed.quantity == Quantity(comparator, Decimal(number), unit,
                                           None if high is None else Decimal(high))
    else:
        assert parsed.quantity is None


@pytest.mark.parametrize(
    "text, value",
    [("零", 0), ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("一百", 100),
     ("一百零五", 105), ("一百一十", 110), ("一千零十", 1010), ("两千", 2000), ("三万五千", 35000),
     ("一万零五", 10005), ("十万", 100000), ("一亿", 100000000), ("九千九百九十九万", 99990000),
     ("一百五", None), ("三万五", None), ("二〇二四", None), ("一二", None), ("百", None), ("万", None),
     ("十百", None), ("万亿万", None), ("", 0), ("12", None), ("十a", None)],
)
def test_chinese_numerals(text, value):
    assert chinese_number(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize(
    "quantity, text",
    [(Quantity(RANGE, Decimal(85), "%", Decimal(95)), "85%～95%"),
     (Quantity(RANGE, Decimal(60), "人", Decimal(80)), "60～80人"),
     (Quantity(">=", Decimal(2), "次/年"), "≥2次/年")],
)
def test_quantities_print_as_reasons_show_them(quantity, text):
    assert quantity.text() == text


@pytest.mark.parametrize("text, hint, kind, comparator, number, unit", CASES, ids=[c[0] or "empty" for c in CASES])
def test_parse(text, hint, kind, comparator, number, unit):
    parsed = parse(text, hint)
    assert parsed.kind == kind
    if kind == Q:
        assert parsed.quantity == Quantity(comparator, Decimal(number), unit)
    else:
        assert parsed.quantity is None


def test_the_table_is_big_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    "unit, dimension, factor",
    [("小时", "time", 3600), ("分钟", "time", 60), ("天", "time", 86400), ("万个", "个", 10000),
     ("万元", "元", 10000), ("亿元", "元", 100000000), ("DB/KM", "db/km", 1), ("%", "%", 1), ("千米", "length", 1000),
     # Composite units are one unit each; spellings of one unit are one unit; 工作日 are not calendar days.
     ("次/年", "次/年", 1), ("人次", "人次", 1), ("万元/公里", "元/公里", 10000), ("个工作日", "工作日", 1),
     ("工作日", "工作日", 1), ("个月", "月", 1), ("个小时", "time", 3600)],
)
def test_units_convert(unit, dimension, factor):
    assert base_unit(unit) == (dimension, Decimal(factor))


def test_conversion_between_actual_and_target_units():
    assert convert(Quantity("", Decimal(90), "分钟"), Quantity("<=", Decimal(2), "小时")) == Decimal("1.5")
    assert convert(Quantity("", Decimal("3.5"), "万个"), Quantity(">=", Decimal(30000), "个")) == Decimal(35000)
    assert convert(Quantity("", Decimal(120), ""), Quantity(">=", Decimal(120), "项")) == Decimal(120)
    assert convert(Quantity("", Decimal(3), "dB/km"), Quantity("<=", Decimal(3), "db/km")) == Decimal(3)
    assert convert(Quantity("", Decimal(3), "个"), Quantity(">=", Decimal(3), "%")) is None


def test_composite_units_compare_whole():
    per_year = Quantity(">=", Decimal(2), "次/年")
    assert convert(Quantity("", Decimal(3), "次/年"), per_year) == Decimal(3)
    assert convert(Quantity("", Decimal(3), "次"), per_year) is None
    assert convert(Quantity("", Decimal(600000), "元/公里"), Quantity("<=", Decimal(50), "万元/公里")) == Decimal(60)
    assert convert(Quantity("", Decimal(3), "工作日"), Quantity("<=", Decimal(3), "个工作日")) == Decimal(3)
    assert convert(Quantity("", Decimal(3), "天"), Quantity("<=", Decimal(3), "个工作日")) is None
    assert convert(Quantity("", Decimal(500), "人"), Quantity(">=", Decimal(500), "人次")) is None


N = 32767  # the most characters an xlsx cell holds
HOSTILE = [
    "1" * N, "1-" * (N // 2), "一" * N, "≥" + "9" * (N - 1), "85%~" * (N // 4), "1," * (N // 2),
    "2024年" * (N // 5), "满意度" * (N // 3) + "≥1", "1" + " " * (N - 2) + "月",
    "1" + " " * (N // 2) + "-" + " " * (N // 2),
    "十" * N, "1至" * (N // 2), "1." * (N // 2), "-" * N, "1个" * (N // 2), "已" * N, "按期" * (N // 2) + "完成",
    "1" * (N - 3) + "-1人", "1%" + "~" * (N - 2), "一二" * (N // 2),
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"{c[:6]}..." for c in HOSTILE])
def test_hostile_cells_parse_without_backtracking(text):
    """Each pattern on a full-size cell, raw (parse() cleans and caps first, this proves the patterns
    alone are safe too). Linear work takes milliseconds; catastrophic backtracking would take seconds
    to years, so the generous bound only catches a hang, it measures nothing."""
    start = time.monotonic()
    assert parse(text).kind in ("qualitative", "date", "quantity")
    for pattern in (targets._SINGLE, targets._CN_SINGLE, targets._RANGE_PATTERN, targets._LABEL_BEFORE_SYMBOL):
        pattern.fullmatch(text)
        pattern.match(text)
    targets._DATE.search(text)
    chinese_number(text)
    assert time.monotonic() - start < 2
