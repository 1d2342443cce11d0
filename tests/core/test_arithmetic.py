"""SPEC §3 arithmetic: exact Decimal, half-up at the named steps, no division error on a zero budget."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.arithmetic import compute, execution_rate, funds_score
from core.model import Form, FundRow, Indicator
from core.numbers import quantize, to_entry
from core.profile import default_profile

PROFILE = default_profile()
amounts = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False)
points = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


def test_seed_a_rate_and_score():
    assert execution_rate(Decimal("4481566.00"), Decimal("4560000.00"), 2) == Decimal("98.28")
    assert funds_score(Decimal(10), Decimal("98.28"), 2) == Decimal("9.83")


def test_seed_b_rate_and_score():
    assert execution_rate(Decimal("4658260.00"), Decimal("5045000.00"), 2) == Decimal("92.33")
    assert funds_score(Decimal(10), Decimal("92.33"), 2) == Decimal("9.23")


def test_rate_rounds_half_up_to_two_places():
    # 1 / 8 = 12.5 % ... 0.0125 × 100 = 1.25 exactly, and 1.255 must go up.
    assert execution_rate(Decimal("1.255"), Decimal("100"), 2) == Decimal("1.26")
    assert execution_rate(Decimal("2.345"), Decimal("100"), 2) == Decimal("2.35")


def test_funds_score_uses_the_rounded_rate():
    # 98.245 % rounds to 98.25 → 9.825 → 9.83; the unrounded rate would give 9.8245 → 9.82.
    rate = execution_rate(Decimal("982450"), Decimal("1000000"), 2)
    assert rate == Decimal("98.25")
    assert funds_score(Decimal(10), rate, 2) == Decimal("9.83")


def test_funds_score_never_exceeds_points():
    assert funds_score(Decimal(10), Decimal("130.00"), 2) == Decimal("10.00")


def test_zero_budget_gives_no_rate_and_no_score():
    assert execution_rate(Decimal(5), Decimal(0), 2) is None
    form = Form(fund_rows=(FundRow(annual_budget=Decimal(0), executed=Decimal(5)),))
    computed = compute(form, PROFILE)
    assert computed.rate is None and computed.funds_score is None


def test_grade_bands():
    assert [PROFILE.grade_for(Decimal(x)) for x in ("100", "90", "89.99", "80", "79.99", "60", "59.99", "0")] == [
        "优", "优", "良", "良", "中", "中", "差", "差"]


def test_floats_are_refused_for_money():
    with pytest.raises(TypeError):
        to_entry(1.5)
    with pytest.raises(TypeError):
        FundRow(executed=1.5)  # type: ignore[arg-type]  # the point: a float is refused


@given(executed=amounts, budget=amounts)
def test_rate_is_the_half_up_rounding_of_the_exact_quotient(executed, budget):
    rate = execution_rate(executed, budget, 2)
    if budget == 0:
        assert rate is None
    else:
        exact = executed * 100 / budget
        assert rate == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert abs(rate - exact) <= Decimal("0.005")


@given(points=points, rate=st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False))
def test_funds_score_is_between_zero_and_points(points, rate):
    score = funds_score(points, rate, 2)
    assert score is not None
    assert Decimal(0) <= score <= quantize(points, 2)
    assert score == quantize(min(points, points * rate / 100), 2)


@given(
    budget=amounts, executed=amounts,
    rows=st.lists(st.tuples(points, points), max_size=30),
    group_of=st.lists(st.sampled_from(["产出指标", "效益指标", "满意度指标"]), min_size=30, max_size=30),
)
def test_totals_equal_the_sums_of_their_parts(budget, executed, rows, group_of):
    indicators = tuple(
        Indicator(level1=group_of[i], points=p, score=s) for i, (p, s) in enumerate(rows)
    )
    form = Form(fund_rows=(FundRow(annual_budget=budget, executed=executed),), indicators=indicators)
    computed = compute(form, PROFILE)
    funds = computed.funds_score or Decimal(0)
    assert computed.total_points == Decimal(10) + sum((p for p, _ in rows), Decimal(0))
    assert computed.total_score == funds + sum((s for _, s in rows), Decimal(0))
    assert sum((g.points for g in computed.groups), Decimal(0)) == computed.total_points - 10
    assert sum(len(g.rows) for g in computed.groups) == len(rows)
    assert computed.grade == PROFILE.grade_for(computed.total_score)


@given(st.text(max_size=20))
def test_text_in_a_number_field_never_breaks_the_arithmetic(text):
    form = Form(fund_rows=(FundRow(annual_budget=text, executed=text),),
                indicators=(Indicator(level1="产出指标", points=text, score=text),))
    computed = compute(form, PROFILE)
    assert isinstance(computed.total_score, Decimal)
