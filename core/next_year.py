"""复制上年: next year's form from this year's, for a clerk without a budget-system template.

Kept: layout, header (code, name, units, 负责人), 分值 of the funds row, 预期目标, and every
indicator's 一级/二级/三级指标, 指标性质, 年度指标值, 度量单位 and 分值/权重 (weights rarely change
between years). Cleared: the year's amounts (next year has its own budget), 实际完成情况, the funds
原因, the text parts (过程概述, 评价结论, 存在问题, 改进措施: they judge the year), and each indicator's
实际完成值, 得分, 偏差原因 and grade. The copy is not bound to a template.
"""

from __future__ import annotations

from dataclasses import replace

from core.model import Form, FundRow, Texts


def next_year_form(form: Form) -> Form:
    """The copy for year N+1. ValueError when the year is not a plain number."""
    year = form.year_number
    if year is None:
        raise ValueError(f"year is not a number: {form.year!r}")
    return replace(
        form,
        year=str(year + 1),
        fund_rows=tuple(FundRow(row.label) for row in form.fund_rows),
        goal_actual="",
        funds_reason="",
        texts=Texts(),
        indicators=tuple(replace(row, actual="", score=None, reason="", grade="") for row in form.indicators),
        template_bound=False,
    )
