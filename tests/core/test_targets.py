"""Parsing 年度指标值 / 实际完成值: values from the seeds and the ways clerks write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.targets import Quantity, base_unit, convert, parse

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
     ("万元", "元", 10000), ("亿元", "元", 100000000), ("DB/KM", "db/km", 1), ("%", "%", 1), ("千米", "length", 1000)],
)
def test_units_convert(unit, dimension, factor):
    assert base_unit(unit) == (dimension, Decimal(factor))


def test_conversion_between_actual_and_target_units():
    assert convert(Quantity("", Decimal(90), "分钟"), Quantity("<=", Decimal(2), "小时")) == Decimal("1.5")
    assert convert(Quantity("", Decimal("3.5"), "万个"), Quantity(">=", Decimal(30000), "个")) == Decimal(35000)
    assert convert(Quantity("", Decimal(120), ""), Quantity(">=", Decimal(120), "项")) == Decimal(120)
    assert convert(Quantity("", Decimal(3), "dB/km"), Quantity("<=", Decimal(3), "db/km")) == Decimal(3)
    assert convert(Quantity("", Decimal(3), "个"), Quantity(">=", Decimal(3), "%")) is None
