"""The form's arithmetic (SPEC §3): 执行率, funds 得分, group sums, 总分 and 等级.

Everything is Decimal, rounded half-up at exactly the places the rules name. A zero or missing
budget gives no rate (None), never an exception; the checks report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.model import Form, groups_of
from core.numbers import as_number, quantize
from core.profile import Profile

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def execution_rate(executed: Decimal | None, annual_budget: Decimal | None, places: int) -> Decimal | None:
    """执行率（%） = 全年执行数 / 全年预算数 × 100, rounded; None when it cannot be computed."""
    if executed is None or annual_budget is None or annual_budget == 0:
        return None
    return quantize(executed / annual_budget * HUNDRED, places)


def funds_score(points: Decimal | None, rate: Decimal | None, places: int) -> Decimal | None:
    """funds 得分 = min(分值, 分值 × 执行率 / 100), from the already rounded rate, rounded."""
    if points is None or rate is None:
        return None
    return quantize(min(points, points * rate / HUNDRED), places)


@dataclass(frozen=True)
class GroupTotal:
    """Σ 分值 and Σ 得分 of one 一级指标 group; rows index form.indicators."""

    name: str
    points: Decimal
    score: Decimal
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Computed:
    """Everything the form derives from what was typed. Non-numbers count as 0 in the sums."""

    rate: Decimal | None
    funds_score: Decimal | None
    groups: tuple[GroupTotal, ...]
    total_points: Decimal
    total_score: Decimal
    grade: str
    row_rates: tuple[Decimal | None, ...] = ()  # 执行率 of each fund row (四川 prints one per row)


def compute(form: Form, profile: Profile) -> Computed:
    """`profile` as the clerk chose it: the shipped default follows the form's layout to its own."""
    profile = profile.for_layout(form.layout)
    total = form.total_funds
    base = as_number(getattr(total, profile.rate_base))
    rate = execution_rate(as_number(total.executed), base, profile.rate_places)
    funds_points = as_number(form.funds_points)
    score = funds_score(funds_points, rate, profile.score_places)

    groups = []
    for group in groups_of(form):
        rows = [form.indicators[i] for i in group.rows]
        groups.append(
            GroupTotal(
                name=group.name,
                points=sum((as_number(r.points) or ZERO for r in rows), ZERO),
                score=sum((as_number(r.score) or ZERO for r in rows), ZERO),
                rows=group.rows,
            )
        )
    total_points = (funds_points or ZERO) + sum((g.points for g in groups), ZERO)
    total_score = (score or ZERO) + sum((g.score for g in groups), ZERO)
    row_rates = (rate,) + tuple(
        execution_rate(as_number(row.executed), as_number(getattr(row, profile.rate_base)), profile.rate_places)
        for row in form.fund_rows[1:])
    return Computed(
        rate=rate,
        funds_score=score,
        groups=tuple(groups),
        total_points=total_points,
        total_score=total_score,
        grade=profile.grade_for(total_score),
        row_rates=row_rates,
    )


def fund_rows_sum(form: Form, column: str) -> Decimal:
    """Σ of the 其中 rows (rows after 年度资金总额) for one money column; non-numbers count as 0."""
    return sum((as_number(getattr(row, column)) or ZERO for row in form.fund_rows[1:]), ZERO)
