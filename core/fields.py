"""Field paths: one name per thing on the form, shared by the layouts, the checks, the JSON report,
the store and the screen.

A path is a path into the `check --json` object (SPEC §7): "code", "goal_actual",
"fund_rows[1].executed", "funds.rate", "indicators[3].score", "groups[0].points", "total_points".
"funds.initial_budget|annual_budget|executed" are the same cells as "fund_rows[0].…".
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from core.arithmetic import Computed
from core.model import Form, with_fund_row, with_indicator
from core.numbers import Entry

HEADER_FIELDS = ("code", "name", "year", "implementing_unit", "budget_unit", "unit_code")
TEXT_FIELDS = HEADER_FIELDS + ("goal_expected", "goal_actual")
AMOUNT_COLUMNS = ("initial_budget", "annual_budget", "executed")
INDICATOR_TEXT = ("level1", "level2", "level3", "target", "unit", "actual", "reason", "grade")
INDICATOR_NUMBERS = ("points", "score")
COMPUTED_FIELDS = ("funds.rate", "funds.score", "total_points", "total_score")

# The Chinese name of each field, as the clerk knows it from the sheet.
FIELD_NAMES = {
    "code": "项目编码", "name": "项目名称", "year": "绩效自评年度", "implementing_unit": "实施单位",
    "budget_unit": "一级预算单位", "unit_code": "单位编码", "goal_expected": "预期目标", "goal_actual": "实际完成情况",
    "funds.points": "资金分值", "label": "资金项目", "initial_budget": "年初预算数", "annual_budget": "全年预算数",
    "executed": "全年执行数", "level2": "二级指标", "level3": "三级指标", "target": "年度指标值", "unit": "度量单位",
    "actual": "实际完成值", "points": "分值", "score": "得分", "reason": "偏差原因", "grade": "达成等级",
}


def field_label(path: str) -> str:
    """"第 4 个指标的得分" for "indicators[3].score"; "项目编码" for "code"."""
    match = re.fullmatch(r"(indicators|fund_rows)\[(\d+)\]\.(\w+)", path)
    if match:
        if match.group(1) == "indicators":
            what = f"第 {int(match.group(2)) + 1} 个指标"
        else:
            what = "资金行" if match.group(2) == "0" else f"第 {int(match.group(2)) + 1} 行资金"
        return f"{what}的{FIELD_NAMES.get(match.group(3), match.group(3))}"
    return FIELD_NAMES.get(path, path)


_INDEXED = re.compile(r"(fund_rows|indicators|groups)\[(\d+)\]\.(\w+)")


class FieldError(KeyError):
    """A path that names nothing on the form (a programming error, not a clerk's)."""


def canonical(path: str) -> str:
    """The path of the cell that holds this field ("funds.executed" -> "fund_rows[0].executed")."""
    if path.startswith("funds."):
        column = path[len("funds."):]
        if column in AMOUNT_COLUMNS:
            return f"fund_rows[0].{column}"
    return path


def split(path: str) -> tuple[str, int | None, str]:
    """("indicators", 3, "score") for "indicators[3].score"; (path, None, "") for a plain one."""
    match = _INDEXED.fullmatch(path)
    if match:
        return match.group(1), int(match.group(2)), match.group(3)
    return path, None, ""


def is_computed(path: str) -> bool:
    return path in COMPUTED_FIELDS or path.startswith("groups[")


def value_at(form: Form, computed: Computed | None, path: str) -> Entry:
    """The value a field holds: str for text, an Entry for numbers, Decimal|None for computed ones.
    Without `computed` (None) only the form's own fields can be asked for."""
    path = canonical(path)
    if path in TEXT_FIELDS:
        return getattr(form, path)
    if path == "funds.points":
        return form.funds_points
    if path == "funds.rate":
        return _given(computed, path).rate
    if path == "funds.score":
        return _given(computed, path).funds_score
    if path == "total_points":
        return _given(computed, path).total_points
    if path == "total_score":
        return _given(computed, path).total_score
    name, index, attr = split(path)
    if index is None:
        raise FieldError(path)
    try:
        if name == "fund_rows" and attr in ("label",) + AMOUNT_COLUMNS:
            return getattr(form.fund_rows[index], attr)
        if name == "indicators" and attr in INDICATOR_TEXT + INDICATOR_NUMBERS:
            return getattr(form.indicators[index], attr)
        if name == "groups" and attr in ("points", "score", "name"):
            return getattr(_given(computed, path).groups[index], attr)
    except IndexError:
        raise FieldError(path) from None
    raise FieldError(path)


def _given(computed: Computed | None, path: str) -> Computed:
    if computed is None:
        raise FieldError(path)  # a computed field, asked for without the computed values
    return computed


def with_value(form: Form, path: str, value: Entry) -> Form:
    """A new form with one field changed. Numeric fields normalize the value (core.numbers.to_entry)."""
    path = canonical(path)
    if path in TEXT_FIELDS:
        text: dict[str, Any] = {path: "" if value is None else str(value)}  # one of the str fields
        return replace(form, **text)
    if path == "funds.points":
        return replace(form, funds_points=value)
    name, index, attr = split(path)
    if index is None:
        raise FieldError(path)
    try:
        if name == "fund_rows" and attr == "label":
            return with_fund_row(form, index, label="" if value is None else str(value))
        if name == "fund_rows" and attr in AMOUNT_COLUMNS:
            return with_fund_row(form, index, **{attr: value})
        if name == "indicators" and attr in INDICATOR_TEXT:
            return with_indicator(form, index, **{attr: "" if value is None else str(value)})
        if name == "indicators" and attr in INDICATOR_NUMBERS:
            return with_indicator(form, index, **{attr: value})
    except IndexError:
        raise FieldError(path) from None
    raise FieldError(path)
