"""One form as one line of the 绩效自评结果汇总表 — the only place that knows which of a form's
fields the summary shows.

Everything the summary needs from a form goes through `summary_row()`; the summary, its totals, the
xlsx, the PDF and the window read `SummaryRow`s and never look into a Form. A layout whose money is
in 万元, whose 执行率 base is called 调整后预算数 or 预算数, that has no 年初预算数 or that names a
主管部门 changes the three small functions below and nothing else.

Glossary (as the budget systems list a project):
  money_unit      金额单位 ("元" | "万元"), the unit the form's amounts are written in
  initial_budget  年初预算数 (None where the layout has none, or the cell holds no number)
  annual_budget   全年预算数 — the form's 执行率 base, whatever the layout calls it (base_label)
  executed        全年执行数
  supervisor      主管部门 (None when the form does not say)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from core.checks import Evaluation
from core.layouts import facts
from core.model import Form
from core.numbers import as_number, places_of, quantize

# How many 元 one unit is. Conversions are exact Decimal multiplications, never rounded.
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
YUAN = "元"
BASE_LABEL = "全年预算数"


@dataclass(frozen=True)
class SummaryRow:
    """A form's facts for the summary. Amounts are Decimal in `money_unit` or None (absent, or
    text the checks report); `rate` is the form's own 执行率（%） (None when it cannot be computed)."""

    form_id: int | None
    code: str
    name: str
    year: str
    implementing_unit: str
    supervisor: str | None
    money_unit: str
    initial_budget: Decimal | None
    annual_budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    total_points: Decimal
    total_score: Decimal
    grade: str
    errors: int
    warnings: int
    status: str
    base_label: str = BASE_LABEL  # what the form calls its 执行率 base (全年预算数, 调整后预算数, 预算数)
    layout: str = ""

    def __post_init__(self) -> None:
        if self.money_unit not in MONEY_UNITS:
            raise ValueError(f"unknown money unit {self.money_unit!r}")

    def in_unit(self, unit: str) -> SummaryRow:
        """The same row with its amounts in `unit` (万元 → 元 is × 10 000, exactly)."""
        if unit == self.money_unit:
            return self
        factor = MONEY_UNITS[self.money_unit] / MONEY_UNITS[unit]

        def convert(value: Decimal | None) -> Decimal | None:
            if value is None:
                return None
            exact = value * factor  # 465.8260 万元 -> 4658260.0000 元: drop the zeros beyond the cents
            return quantize(exact, max(2, places_of(exact.normalize())))  # exact: only zeros go

        return replace(self, money_unit=unit, initial_budget=convert(self.initial_budget),
                       annual_budget=convert(self.annual_budget), executed=convert(self.executed))


def money_unit_of(form: Form) -> str:
    """The unit the form's amounts are in, as its layout says (A and B: 元; the central and 四川
    templates: 万元)."""
    return facts(form.layout).money_unit


def base_label_of(form: Form) -> str:
    """What the form calls the budget its 执行率 is computed on: 全年预算数 (A, B), 调整后预算数
    (四川), 全年预算数(A) … — the heading its layout prints above the 执行率 base."""
    return facts(form.layout).word("fund_rows[].annual_budget", BASE_LABEL)


def supervisor_of(form: Form) -> str | None:
    """主管部门: the form's own where its layout has one; otherwise (A, B) its 一级预算单位, the
    department the implementing unit reports to (None when empty)."""
    if facts(form.layout).has("supervisor"):
        return form.supervisor.strip() or None
    return form.budget_unit.strip() or None


def summary_row(evaluation: Evaluation, status: str, form_id: int | None = None) -> SummaryRow:
    """The summary's line for one evaluated form (`status` and `form_id` as the store keeps them)."""
    form, computed = evaluation.form, evaluation.computed
    total = form.total_funds
    return SummaryRow(
        form_id=form_id,
        code=form.code.strip(),
        name=form.name.strip(),
        year=form.year.strip(),
        implementing_unit=form.implementing_unit.strip(),
        supervisor=supervisor_of(form),
        money_unit=money_unit_of(form),
        initial_budget=as_number(total.initial_budget),
        annual_budget=as_number(total.annual_budget),
        executed=as_number(total.executed),
        rate=computed.rate,
        total_points=computed.total_points,
        total_score=computed.total_score,
        grade=computed.grade,
        errors=len(evaluation.errors),
        warnings=len(evaluation.warnings),
        status=status,
        base_label=base_label_of(form),
        layout=form.layout,
    )
