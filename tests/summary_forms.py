"""Forms with known numbers for the 汇总表 tests: seed A as it is, seed B (its row then restated in
万元, as a 万元 layout will give it), a form whose 全年预算数 is 0 and a form with 审核 errors.

Hand-computed totals (in 元, the 万元 row × 10 000), which the tests assert to the cent:
  年初预算数  4 560 000.00 + 4 590 000.00 + 100 000.00 + 800 000.00 = 10 050 000.00
  全年预算数  4 560 000.00 + 5 045 000.00 +       0.00 + 800 000.00 = 10 405 000.00
  全年执行数  4 481 566.00 + 4 658 260.00 +       0.00 + 600 000.00 =  9 739 826.00
  执行率      9 739 826 / 10 405 000 × 100 = 93.6072… → 93.61
  总得分      99.83, 99.23, 80.00 (no funds score: no budget), 67.50 (7.50 + 60)
  平均        346.56 / 4 = 86.64
  加权        (99.83 × 4 560 000 + 99.23 × 5 045 000 + 80.00 × 0 + 67.50 × 800 000) / 10 405 000
              = 1 009 840 150 / 10 405 000 = 97.0533… → 97.05
  等级        优 2 (99.83, 99.23), 良 1 (80.00), 中 1 (67.50), 差 0; with 审核 errors: 2
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from core.checks import evaluate
from core.model import Form, with_fund_row, with_indicator
from core.profile import default_profile
from core.summary.rows import SummaryRow, summary_row
from tests.pdf_support import seed_form

D = Decimal


def zero_budget_form() -> Form:
    form = replace(seed_form("A"), code="440303241553147100002", name="零预算的项目",
                   implementing_unit="深圳市罗湖区档案馆")
    form = with_fund_row(form, 0, initial_budget=D("100000.00"), annual_budget=D("0.00"), executed=D("0.00"))
    return with_indicator(form, 0, score=D(5), reason="受场地影响，刻章数量未达预期，下一年度增设网点。")


def errors_form() -> Form:
    form = replace(seed_form("A"), code="440303241553147100003", name="有审核错误的项目",
                   implementing_unit="深圳市罗湖区档案馆")
    form = with_fund_row(form, 0, initial_budget=D("800000.00"), annual_budget=D("800000.00"),
                         executed=D("600000.00"))
    return with_indicator(form, 5, score=D(0))  # below its 分值 without a reason: REASON_MISSING


def known_forms() -> list[Form]:
    """The four forms, all in 元 as today's layouts are (seed B not yet restated)."""
    return [seed_form("A"), seed_form("B"), zero_budget_form(), errors_form()]


def in_wan_yuan(row: SummaryRow) -> SummaryRow:
    """Seed B's row as a 万元 layout states it: the same money divided by 10 000."""
    def wan(value: Decimal | None) -> Decimal | None:
        return None if value is None else (value / 10000).quantize(D("0.000001"))

    return replace(row, money_unit="万元", initial_budget=wan(row.initial_budget),
                   annual_budget=wan(row.annual_budget), executed=wan(row.executed))


def known_rows() -> list[SummaryRow]:
    """Rows of the four forms, seed B's in 万元; statuses as a clerk's year might have them."""
    profile = default_profile()
    statuses = ("已审核", "已导出", "填报中", "填报中")
    rows = [summary_row(evaluate(form, profile), status, form_id)
            for form_id, (form, status) in enumerate(zip(known_forms(), statuses, strict=False), start=1)]
    rows[1] = in_wan_yuan(rows[1])
    return rows
