"""The `check --json` object (SPEC §7) and the readable Chinese summary of a checked form."""

from __future__ import annotations

from decimal import Decimal

from core.checks import Evaluation
from core.fields import TEXT_PARTS
from core.layouts import facts, points_format
from core.numbers import Entry, format_number, places_of, plain, quantize

# Fields only some layouts place: they appear in the JSON (under their field names) exactly when
# the form's layout has them, so A's and B's reports stay as they were.
EXTRA_HEADER = ("supervisor", "project_lead", "finance_lead")


def _amount(value: Entry, places: int = 2) -> str | None:
    """Money with at least two decimals ("4560000.00", "43.20" 万元) and as many as it was written
    with ("300.1234" 万元; an amount in 元 with three is kept as written, and the check reports it).
    None where the cell is empty or the layout has no such column."""
    if not isinstance(value, Decimal):
        return None
    return plain(quantize(value, max(places_of(value), min(places, 2))))


def _points(value: Entry, number_format: str) -> str | None:
    return format_number(value, number_format) if isinstance(value, Decimal) else None


def _computed(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def form_json(evaluation: Evaluation, sheet: str | None = None, extra: dict | None = None) -> dict:
    form, computed = evaluation.form, evaluation.computed
    fmt = points_format(form.layout)
    layout = facts(form.layout)
    places = layout.amount_places

    def amount(value: Entry) -> str | None:
        return _amount(value, places)

    total = form.total_funds
    data: dict = {
        "sheet": sheet,
        "layout": form.layout,
        "code": form.code,
        "name": form.name,
        "year": form.year_number,
        "implementing_unit": form.implementing_unit,
        "budget_unit": form.budget_unit,
        "unit_code": form.unit_code,
        "funds": {
            "initial_budget": amount(total.initial_budget),
            "annual_budget": amount(total.annual_budget),
            "executed": amount(total.executed),
            "points": _points(form.funds_points, "General"),
            "rate": _computed(computed.rate),
            "score": _points(computed.funds_score, fmt) if computed.funds_score is not None else None,
        },
        "fund_rows": [
            {"label": row.label, "initial_budget": amount(row.initial_budget),
             "annual_budget": amount(row.annual_budget), "executed": amount(row.executed)}
            for row in form.fund_rows
        ],
        "goal_expected": form.goal_expected,
        "goal_actual": form.goal_actual,
        "groups": [
            {"name": g.name, "points": format_number(g.points, fmt), "score": format_number(g.score, fmt)}
            for g in computed.groups
        ],
        "indicators": [
            {
                "level1": row.level1, "level2": row.level2, "level3": row.level3, "target": row.target,
                "unit": row.unit, "actual": row.actual, "points": _points(row.points, fmt),
                "score": _points(row.score, fmt), "reason": row.reason,
                "suggested_score": None if s.score is None else plain(s.score),
                "suggested_reason": s.reason, "grade": row.grade,
            }
            for row, s in zip(form.indicators, evaluation.suggestions, strict=True)
        ],
        "total_points": format_number(computed.total_points, fmt),
        "total_score": format_number(computed.total_score, fmt),
        "grade": computed.grade,
        "findings": [f.as_json() for f in evaluation.findings],
    }
    _add_layout_extras(data, evaluation, layout.fields)
    if extra:
        data.update(extra)
    return data


def _add_layout_extras(data: dict, evaluation: Evaluation, placed: frozenset[str]) -> None:
    """主管部门, 项目负责人, the funds 原因, 指标性质 and the text parts, where the layout places them."""
    form = evaluation.form
    header = {name: getattr(form, name) for name in EXTRA_HEADER if name in placed}
    if header:
        at = list(data).index("unit_code") + 1
        items = list(data.items())
        data.clear()
        data.update(items[:at] + list(header.items()) + items[at:])
    if "funds.reason" in placed:
        data["funds"]["reason"] = form.funds_reason
    if "indicators[].nature" in placed:
        for row, indicator in zip(data["indicators"], form.indicators, strict=True):
            row["nature"] = indicator.nature
    texts = {name: getattr(form.texts, name) for name in TEXT_PARTS if f"texts.{name}" in placed}
    if texts:
        data["texts"] = texts


def summary_lines(evaluation: Evaluation, sheet: str | None) -> list[str]:
    """A clerk-readable summary: the form, its totals and every finding."""
    form, computed = evaluation.form, evaluation.computed
    fmt = points_format(form.layout)
    rate = "无法计算" if computed.rate is None else f"{plain(computed.rate)}%"
    score = "—" if computed.funds_score is None else format_number(computed.funds_score, fmt)
    title = f"【{sheet}】" if sheet else ""
    identified_by = (f"项目编码 {form.code or '（空）'}" if facts(form.layout).has("code")
                     else f"实施单位 {form.implementing_unit or '（空）'}")
    lines = [
        f"{title}{form.name or '（未填项目名称）'}  {identified_by}  "
        f"年度 {form.year or '（空）'}  版式 {form.layout}",
        f"  执行率 {rate}  资金得分 {score}  总分值 {format_number(computed.total_points, fmt)}  "
        f"总得分 {format_number(computed.total_score, fmt)}  等级 {computed.grade}",
    ]
    errors, warnings = evaluation.errors, evaluation.warnings
    if not evaluation.findings:
        lines.append("  审核通过：没有发现问题")
    else:
        lines.append(f"  审核发现 {len(errors)} 个错误、{len(warnings)} 个提醒：")
        for finding in errors + warnings:
            level = "错误" if finding.level == "error" else "提醒"
            where = f"[{finding.cell}] " if finding.cell else ""
            lines.append(f"  - {level} {where}{finding.message}")
    return lines
