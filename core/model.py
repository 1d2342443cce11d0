"""The form as immutable values.

Glossary — the official terms are the domain's vocabulary; each has one English name here:

  项目支出绩效自评表  Form                 版式 A / B            layout ("A" | "B")
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
  总分                total_points / total_score (computed)     等级  grade (computed)

Edits never mutate: `dataclasses.replace` (or core.fields.with_value) makes a new form, so an undo
step simply holds the before and after values. Free text is kept exactly as typed; numeric fields
hold an Entry (core.numbers): a Decimal, the text typed when it is not a number, or None.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from core.numbers import Entry, to_entry
from core.text import clean_text

LAYOUTS = ("A", "B")

TOTAL_FUND_LABEL = "年度资金总额"
FUND_ROW_LABELS = {
    "A": (TOTAL_FUND_LABEL,),
    "B": (TOTAL_FUND_LABEL, "其中：当年财政拨款", "上年结转资金", "其他资金"),
}

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
    object.__setattr__(obj, name, to_entry(getattr(obj, name)))


def _text_fields(obj: object, names: tuple[str, ...]) -> None:
    """Text as the form keeps it (core.text.clean_text): what is stored is what every file shows."""
    for name in names:
        value = getattr(obj, name)
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

    def __post_init__(self) -> None:
        _text_fields(self, ("level1", "level2", "level3", "target", "unit", "actual", "reason", "grade"))
        _entry_field(self, "points")
        _entry_field(self, "score")


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

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}")
        _text_fields(self, ("code", "name", "year", "implementing_unit", "budget_unit", "unit_code",
                            "goal_expected", "goal_actual"))
        rows = tuple(self.fund_rows)
        standard = FUND_ROW_LABELS[self.layout]
        if len(rows) < len(standard):  # the layout always shows all its fund rows
            rows += tuple(FundRow(label) for label in standard[len(rows):])
        object.__setattr__(self, "fund_rows", rows)
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
    groups: list[Group] = []
    for index, indicator in enumerate(form.indicators):
        if groups and groups[-1].name == indicator.level1:
            groups[-1] = Group(groups[-1].name, groups[-1].rows + (index,))
        else:
            groups.append(Group(indicator.level1, (index,)))
    return tuple(groups)


def blank_form(layout: str, funds_points: Decimal = Decimal(10)) -> Form:
    """A new empty form with one row per 二级指标, for a clerk starting without a template."""
    return Form(
        layout=layout,
        fund_rows=tuple(FundRow(label) for label in FUND_ROW_LABELS[layout]),
        funds_points=funds_points,
        indicators=tuple(
            Indicator(level1=level1, level2=level2)
            for level1, level2s in GROUPS
            for level2 in level2s
        ),
    )


def with_indicator(form: Form, index: int, **changes: Any) -> Form:
    indicators = list(form.indicators)
    indicators[index] = replace(indicators[index], **changes)
    return replace(form, indicators=tuple(indicators))


def with_fund_row(form: Form, index: int, **changes: Any) -> Form:
    rows = list(form.fund_rows)
    rows[index] = replace(rows[index], **changes)
    return replace(form, fund_rows=tuple(rows))
