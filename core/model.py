"""The form as immutable values.

Glossary — the official terms are the domain's vocabulary; each has one English name here:

  项目支出绩效自评表  Form                 版式                  layout (a layout file's id: "A", "B", "SC-2023" …)
  项目编码            code (21 digits, text)  项目名称              name
  绩效自评年度        year                  实施单位              implementing_unit
  一级预算单位        budget_unit           单位编码 (B only)     unit_code
  资金使用情况 / 预算执行情况  the funds block: FundRow × (年度资金总额 [, 其中 rows in B])
  年初预算数          initial_budget        全年预算数            annual_budget (the adjusted budget)
  全年执行数          executed              分值                  points
  执行率（%）         rate (computed)       得分                  score
  年度总体目标 预期目标  goal_expected       * 实际完成情况         goal_actual
  年度绩效指标        Indicator             一级/二级/三级指标     level1 / level2 / level3
  年度指标值          target                度量单位 (B only)      unit
  * 实际完成值        actual                * 分值 (A) / * 权重 (B)  points
  * 得分              score                 偏差原因分析及改进措施  reason
  总分 / 合计         total_points / total_score (computed)     等级  grade (computed)
  主管部门            supervisor            项目负责人及电话      project_lead
  财务负责人          finance_lead
  指标性质            nature (the comparator, 四川)             原因 (of the funds)  funds_reason
  评价结论 / 存在问题 / 改进措施 / 项目实施内容及过程概述       texts.conclusion / problems / improvements / process

Which of these a form shows, where and under which label, is its layout's business (core.layouts):
the model holds every field any layout has, empty where a layout has none.

Edits never mutate: `dataclasses.replace` (or core.fields.with_value) makes a new form, so an undo
step simply holds the before and after values. Free text is kept exactly as typed; numeric fields
hold an Entry (core.numbers): a Decimal, the text typed when it is not a number, or None.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from core.numbers import Entry, to_entry
from core.text import clean_text, needs_cleaning

TOTAL_FUND_LABEL = "年度资金总额"

# 一级指标 and their 二级指标, in the official order.
GROUPS = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标", "其他满意度指标")),
)

# A form's status: being filled in, checked by the clerk (no 审核 errors then), exported.
IN_PROGRESS, CHECKED, EXPORTED = "填报中", "已审核", "已导出"
STATUSES = (IN_PROGRESS, CHECKED, EXPORTED)


def _entry_field(obj: object, name: str) -> None:
    # Frozen dataclasses normalize in __post_init__ via object.__setattr__.
    value = obj.__dict__[name]
    entry = to_entry(value)
    if entry is not value:
        object.__setattr__(obj, name, entry)


def _text_fields(obj: object, names: tuple[str, ...]) -> None:
    """Text as the form keeps it (core.text.clean_text): what is stored is what every file shows."""
    values = obj.__dict__
    try:
        # One search over all the texts: loading a thousand stored forms makes 200 000 of them.
        if not needs_cleaning("".join([values[name] for name in names])):
            return
    except TypeError:
        pass  # not all text: each is looked at below
    for name in names:
        value = values[name]
        cleaned = clean_text(value) if isinstance(value, str) else value
        if cleaned is not value:
            object.__setattr__(obj, name, cleaned)


@dataclass(frozen=True)
class FundRow:
    """One row of the funds block. Amounts are system-owned (grey) in an imported template."""

    label: str = TOTAL_FUND_LABEL
    initial_budget: Entry = None
    annual_budget: Entry = None
    executed: Entry = None

    def __post_init__(self) -> None:
        _text_fields(self, ("label",))
        for name in ("initial_budget", "annual_budget", "executed"):
            _entry_field(self, name)


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 row. `grade` is the qualitative grade the clerk picked (a band name of the rule
    profile, "" when none); it is kept in the store, not on the official sheet."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    target: str = ""
    unit: str = ""
    actual: str = ""
    points: Entry = None
    score: Entry = None
    reason: str = ""
    grade: str = ""
    nature: str = ""  # 指标性质: the comparator (=, ≥, ≤) where a layout keeps it apart from 指标值

    def __post_init__(self) -> None:
        _text_fields(self, ("level1", "level2", "level3", "target", "unit", "actual", "reason", "grade", "nature"))
        _entry_field(self, "points")
        _entry_field(self, "score")


@dataclass(frozen=True)
class Texts:
    """The free-text parts some layouts add (四川): 项目实施内容及过程概述, 评价结论, 存在问题, 改进措施."""

    process: str = ""
    conclusion: str = ""
    problems: str = ""
    improvements: str = ""

    def __post_init__(self) -> None:
        _text_fields(self, ("process", "conclusion", "problems", "improvements"))


@dataclass(frozen=True)
class Form:
    """A whole 项目支出绩效自评表. `template_bound` is True when the form came from a budget-system
    template: its grey cells belong to the system and its indicator rows are fixed."""

    layout: str = "A"
    code: str = ""
    name: str = ""
    year: str = ""
    implementing_unit: str = ""
    budget_unit: str = ""
    unit_code: str = ""
    fund_rows: tuple[FundRow, ...] = field(default_factory=lambda: (FundRow(),))
    funds_points: Entry = Decimal(10)
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: tuple[Indicator, ...] = ()
    template_bound: bool = False
    supervisor: str = ""
    project_lead: str = ""
    finance_lead: str = ""
    funds_reason: str = ""
    texts: Texts = field(default_factory=Texts)

    def __post_init__(self) -> None:
        _text_fields(self, ("layout", "code", "name", "year", "implementing_unit", "budget_unit", "unit_code",
                            "goal_expected", "goal_actual", "supervisor", "project_lead", "finance_lead",
                            "funds_reason"))
        object.__setattr__(self, "fund_rows", tuple(self.fund_rows))
        object.__setattr__(self, "indicators", tuple(self.indicators))
        _entry_field(self, "funds_points")
        if not self.fund_rows:
            raise ValueError("a form has at least the 年度资金总额 row")

    @property
    def total_funds(self) -> FundRow:
        return self.fund_rows[0]

    @property
    def year_number(self) -> int | None:
        text = self.year.strip()
        return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class Group:
    """A run of consecutive indicators with the same 一级指标 (indices into form.indicators)."""

    name: str
    rows: tuple[int, ...]


def groups_of(form: Form) -> tuple[Group, ...]:
    """The 一级指标 groups in sheet order. Consecutive rows with the same level1 form one group."""
    runs: list[tuple[str, list[int]]] = []  # built as lists: growing tuples was quadratic in a group
    for index, indicator in enumerate(form.indicators):
        if runs and runs[-1][0] == indicator.level1:
            runs[-1][1].append(index)
        else:
            runs.append((indicator.level1, [index]))
    return tuple(Group(name, tuple(rows)) for name, rows in runs)


def blank_indicators() -> tuple[Indicator, ...]:
    """One empty row per 二级指标, in the official order (a form started without a template)."""
    return tuple(Indicator(level1=level1, level2=level2) for level1, level2s in GROUPS for level2 in level2s)


def with_indicator(form: Form, index: int, **changes: Any) -> Form:
    indicators = list(form.indicators)
    indicators[index] = replace(indicators[index], **changes)
    return replace(form, indicators=tuple(indicators))


def with_fund_row(form: Form, index: int, **changes: Any) -> Form:
    rows = list(form.fund_rows)
    rows[index] = replace(rows[index], **changes)
    return replace(form, fund_rows=tuple(rows))
