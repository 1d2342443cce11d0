"""Field paths: one name per thing on the form, shared by the layouts, the checks, the JSON report,
the store and the screen — with its Chinese name and the kind of editor it takes, defined once here.

A path is a path into the `check --json` object (SPEC §7): "code", "goal_actual",
"fund_rows[1].executed", "funds.rate", "indicators[3].score", "groups[0].points", "total_points",
"texts.conclusion". "funds.initial_budget|annual_budget|executed" are the same cells as
"fund_rows[0].…". A layout file names fields the same way, with "[]" where a row repeats
("indicators[].actual", "groups[].points").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from core.arithmetic import Computed
from core.model import Form, with_fund_row, with_indicator
from core.numbers import Entry


@dataclass(frozen=True)
class FieldDef:
    """What a field is: its Chinese name and its kind — "text" (one line), "long" (a paragraph),
    "number" (分值, 得分: an Entry), "amount" (money: an Entry) or "computed" (the program's)."""

    name: str
    kind: str


# Every field a layout may place, by its path ("[]" for the row index).
FIELDS: dict[str, FieldDef] = {
    "code": FieldDef("项目编码", "text"),
    "name": FieldDef("项目名称", "text"),
    "year": FieldDef("绩效自评年度", "text"),
    "implementing_unit": FieldDef("实施单位", "text"),
    "budget_unit": FieldDef("一级预算单位", "text"),
    "unit_code": FieldDef("单位编码", "text"),
    "supervisor": FieldDef("主管部门", "text"),
    "project_lead": FieldDef("项目负责人及电话", "text"),
    "finance_lead": FieldDef("财务负责人", "text"),
    "goal_expected": FieldDef("预期目标", "long"),
    "goal_actual": FieldDef("实际完成情况", "long"),
    "texts.process": FieldDef("项目实施内容及过程概述", "long"),
    "texts.conclusion": FieldDef("评价结论", "long"),
    "texts.problems": FieldDef("存在问题", "long"),
    "texts.improvements": FieldDef("改进措施", "long"),
    "fund_rows[].label": FieldDef("资金项目", "text"),
    "fund_rows[].initial_budget": FieldDef("年初预算数", "amount"),
    "fund_rows[].annual_budget": FieldDef("全年预算数", "amount"),
    "fund_rows[].executed": FieldDef("全年执行数", "amount"),
    "fund_rows[].rate": FieldDef("执行率", "computed"),
    "funds.points": FieldDef("资金分值", "number"),
    "funds.rate": FieldDef("执行率", "computed"),
    "funds.score": FieldDef("资金得分", "computed"),
    "funds.reason": FieldDef("资金执行原因", "long"),
    "indicators[].level1": FieldDef("一级指标", "text"),
    "indicators[].level2": FieldDef("二级指标", "text"),
    "indicators[].level3": FieldDef("三级指标", "long"),
    "indicators[].nature": FieldDef("指标性质", "text"),
    "indicators[].target": FieldDef("年度指标值", "text"),
    "indicators[].unit": FieldDef("度量单位", "text"),
    "indicators[].actual": FieldDef("实际完成值", "text"),
    "indicators[].points": FieldDef("分值", "number"),
    "indicators[].score": FieldDef("得分", "number"),
    "indicators[].reason": FieldDef("偏差原因", "long"),
    "indicators[].grade": FieldDef("达成等级", "text"),
    "groups[].points": FieldDef("一级指标分值合计", "computed"),
    "total_points": FieldDef("总分值", "computed"),
    "total_score": FieldDef("总得分", "computed"),
}

HEADER_FIELDS = ("code", "name", "year", "implementing_unit", "budget_unit", "unit_code", "supervisor",
                 "project_lead", "finance_lead")
TEXT_FIELDS = HEADER_FIELDS + ("goal_expected", "goal_actual")
TEXT_PARTS = ("process", "conclusion", "problems", "improvements")  # texts.<name>
AMOUNT_COLUMNS = ("initial_budget", "annual_budget", "executed")
INDICATOR_TEXT = ("level1", "level2", "level3", "target", "unit", "actual", "reason", "grade", "nature")
INDICATOR_NUMBERS = ("points", "score")
COMPUTED_FIELDS = ("funds.rate", "funds.score", "total_points", "total_score")

_INDEXED = re.compile(r"(fund_rows|indicators|groups)\[(\d*)\]\.(\w+)")


class FieldError(KeyError):
    """A path that names nothing on the form (a programming error, not a clerk's)."""


def generic(path: str) -> str:
    """The path with its row index taken out: "indicators[3].score" -> "indicators[].score"."""
    match = _INDEXED.fullmatch(path)
    return f"{match.group(1)}[].{match.group(3)}" if match else canonical(path)


def definition(path: str) -> FieldDef | None:
    """The field's definition, for any row index; None for a path that names no field."""
    return FIELDS.get(generic(path))


def field_kind(path: str) -> str:
    found = definition(path)
    return found.kind if found else "text"


# Attributes of a form that no layout places, as the history names them.
FORM_LABELS = {"layout": "表样版式", "template_bound": "与预算系统导出表对应"}


def field_label(path: str) -> str:
    """"第 4 个指标的得分" for "indicators[3].score"; "项目编码" for "code"."""
    match = _INDEXED.fullmatch(path)
    found = definition(path)
    name = found.name if found else FORM_LABELS.get(path, path)
    if match and match.group(2):
        if match.group(1) == "indicators":
            return f"第 {int(match.group(2)) + 1} 个指标的{name}"
        if match.group(1) == "fund_rows":
            what = "资金行" if match.group(2) == "0" else f"第 {int(match.group(2)) + 1} 行资金"
            return f"{what}的{name}"
    return name


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
    if match and match.group(2):
        return match.group(1), int(match.group(2)), match.group(3)
    return path, None, ""


def is_computed(path: str) -> bool:
    return path in COMPUTED_FIELDS or path.startswith("groups[") or (
        path.startswith("fund_rows[") and path.endswith("].rate"))


def value_at(form: Form, computed: Computed | None, path: str) -> Entry:
    """The value a field holds: str for text, an Entry for numbers, Decimal|None for computed ones
    (`computed` may be None when no computed field is asked for)."""
    path = canonical(path)
    if path in TEXT_FIELDS:
        return getattr(form, path)
    if path.startswith("texts.") and path[len("texts."):] in TEXT_PARTS:
        return getattr(form.texts, path[len("texts."):])
    if path == "funds.points":
        return form.funds_points
    if path == "funds.reason":
        return form.funds_reason
    if is_computed(path):
        if computed is None:
            raise FieldError(path)
        if path == "funds.rate":
            return computed.rate
        if path == "funds.score":
            return computed.funds_score
        if path == "total_points":
            return computed.total_points
        if path == "total_score":
            return computed.total_score
    name, index, attr = split(path)
    if index is None:
        raise FieldError(path)
    try:
        if name == "fund_rows" and index is not None and attr in ("label",) + AMOUNT_COLUMNS:
            return getattr(form.fund_rows[index], attr)
        if name == "fund_rows" and index is not None and attr == "rate" and computed is not None:
            return computed.row_rates[index] if index < len(computed.row_rates) else None
        if name == "indicators" and index is not None and attr in INDICATOR_TEXT + INDICATOR_NUMBERS:
            return getattr(form.indicators[index], attr)
        if name == "groups" and index is not None and computed is not None and attr in ("points", "score", "name"):
            return getattr(computed.groups[index], attr)
    except IndexError:
        raise FieldError(path) from None
    raise FieldError(path)


def with_value(form: Form, path: str, value: Entry) -> Form:
    """A new form with one field changed. Numeric fields normalize the value (core.numbers.to_entry)."""
    path = canonical(path)
    text = "" if value is None else str(value)
    if path in TEXT_FIELDS:
        changes: dict[str, Any] = {path: text}  # one of the form's str fields
        return replace(form, **changes)
    if path.startswith("texts.") and path[len("texts."):] in TEXT_PARTS:
        return replace(form, texts=replace(form.texts, **{path[len("texts."):]: text}))
    if path == "funds.points":
        return replace(form, funds_points=value)
    if path == "funds.reason":
        return replace(form, funds_reason=text)
    name, index, attr = split(path)
    if index is None:
        raise FieldError(path)
    try:
        if name == "fund_rows" and index is not None and attr == "label":
            return with_fund_row(form, index, label=text)
        if name == "fund_rows" and index is not None and attr in AMOUNT_COLUMNS:
            return with_fund_row(form, index, **{attr: value})
        if name == "indicators" and index is not None and attr in INDICATOR_TEXT:
            return with_indicator(form, index, **{attr: text})
        if name == "indicators" and index is not None and attr in INDICATOR_NUMBERS:
            return with_indicator(form, index, **{attr: value})
    except IndexError:
        raise FieldError(path) from None
    raise FieldError(path)

