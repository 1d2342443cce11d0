"""The form retold as plain facts for the 自评报告 (self-evaluation report): the one place that reads a
form for the report.

Everything the report says comes from here as text, numbers already printed as the form prints them
(core.layouts' cell formats: layout A 15.00 / 98.2800, layout B as entered), so the report cannot
show a number the form does not. The rest of the report (core.self_report.template, _outline, _docx)
sees only these values: when layouts change (layouts as data, other regions) only this module changes.

A fact is a str, or None where the form's layout has no such field (主管部门, the funds 原因, the
text parts 评价结论 / 存在问题 / 改进措施 …): the template leaves a sentence out, or marks a gap, where a
fact is None or empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from core.checks import Evaluation
from core.fields import value_at
from core.layouts import NOT_APPLICABLE_CELL, SheetLayout, cell_text, points_format, sheet_layout
from core.layouts import facts as layout_facts_of
from core.model import Indicator
from core.numbers import as_number, format_number
from core.scoring import is_not_applicable
from core.targets import parse

# An indicator's standing, by the clerk's 得分 against its 分值 (the form's own judgement, not ours):
STATUSES = (
    "met",  # 得分 reaches 分值
    "short",  # 得分 below 分值
    "unscored",  # 得分 or 分值 empty (or not a number)
    "not_applicable",  # 不适用, without points
    "not_applicable_scored",  # 不适用, yet carrying points
)

_LEAD_IN = re.compile(r"^\s*其中\s*[:：]\s*")  # "其中：当年财政拨款" -> "当年财政拨款"


@dataclass(frozen=True)
class FundRowFacts:
    """One row of the funds block. `points`, `rate` and `score` are "—" on the 其中 rows, as printed."""

    label: str  # as printed: "其中：当年财政拨款"
    source: str  # the label without its lead-in: "当年财政拨款"
    initial_budget: str | None  # None where the layout has no 年初预算数 column
    annual_budget: str
    executed: str
    points: str
    rate: str
    score: str


@dataclass(frozen=True)
class IndicatorFacts:
    level1: str
    level2: str
    level3: str
    indicator: str  # what to call it: the 三级指标, or the 二级指标 when the row has none
    nature: str | None  # 指标性质 (the comparator column, 四川); None where the layout has none
    target: str
    unit: str | None  # 度量单位: layout B only
    actual: str
    points: str
    score: str
    reason: str
    status: str  # one of STATUSES
    short: bool  # 得分 below 分值: the row belongs in 偏差原因分析


@dataclass(frozen=True)
class GroupFacts:
    """One 一级指标 with its Σ 分值 and Σ 得分 (printed as the form prints 分值)."""

    group: str
    points: str
    score: str
    indicators: tuple[IndicatorFacts, ...]


@dataclass(frozen=True)
class ReportFacts:
    layout: str
    # header
    code: str | None
    name: str
    year: str
    implementing_unit: str
    budget_unit: str
    unit_code: str | None  # layout B only
    supervisor: str | None  # 主管部门: no layout has it yet
    project_lead: str | None  # 项目负责人: no layout has it yet
    # funds (the 年度资金总额 row with its computed values)
    money_unit: str
    funds_title: str  # 资金使用情况 (A) / 预算执行情况 (B)
    initial_budget: str | None
    annual_budget: str
    executed: str
    funds_points: str
    rate: str  # 执行率 as printed, without "%"; "" when it cannot be computed
    funds_score: str
    funds_reason: str | None  # the funds 原因 column: no layout has it yet
    funds_short: bool  # funds 得分 below its 分值
    # goals and text parts
    goal_expected: str
    goal_actual: str
    process: str | None  # 项目实施内容及过程概述
    conclusion: str | None  # 评价结论
    problems: str | None  # 存在问题
    improvements: str | None  # 改进措施
    other: str | None  # 其他需说明的问题
    # totals
    points_word: str  # what the layout calls an indicator's points: 分值 (A) / 权重 (B)
    total_points: str
    total_score: str
    grade: str
    # tables: (key, label as on the form)
    funds_columns: tuple[tuple[str, str], ...]
    indicator_columns: tuple[tuple[str, str], ...]
    fund_rows: tuple[FundRowFacts, ...]
    groups: tuple[GroupFacts, ...]

    def values(self) -> dict[str, str | None]:
        """The scalar facts by name, for the template."""
        return scalar_values(self)


def scalar_values(facts: object) -> dict[str, str | None]:
    """A facts object's str/None fields by name (flags and tables left out)."""
    return {f.name: getattr(facts, f.name) for f in fields(facts)  # type: ignore[arg-type]
            if isinstance(getattr(facts, f.name), str) or getattr(facts, f.name) is None}


def scalar_names(kind: type) -> tuple[str, ...]:
    """The names `scalar_values` gives for a facts class (known even where a value is None)."""
    hints = {f.name: str(f.type) for f in fields(kind)}
    return tuple(name for name, hint in hints.items() if hint in ("str", "str | None"))


def _text(value: str) -> str:
    return value.strip()


def _status(row: Indicator) -> tuple[str, bool]:
    points, score = as_number(row.points), as_number(row.score)
    short = points is not None and score is not None and score < points
    if is_not_applicable(row):
        return ("not_applicable_scored" if points is not None and points > 0 else "not_applicable"), short
    if points is None or score is None:
        return "unscored", short
    return ("met" if score >= points else "short"), short


def _title(row: Indicator) -> str:
    for text in (row.level3, row.level2):
        if parse(text).kind not in ("empty", "not_applicable"):
            return _text(text)
    return _text(row.level2) or _text(row.level3)


def report_facts(evaluation: Evaluation) -> ReportFacts:
    """The facts of one evaluated form. Numbers are the texts the form's own cells show."""
    form, computed = evaluation.form, evaluation.computed
    layout = sheet_layout(form)
    layout_facts = layout_facts_of(form.layout)
    number_format = points_format(form.layout)

    def printed(path: str) -> str:
        """The field as its cell shows it; a field printed inside fixed text ("(2019年度)",
        "代码-名称") as its own value; a percentage without its "%" (the wording adds it)."""
        cell = layout.cell_of(path)
        if cell is None or cell.template:
            in_template = cell is not None or layout_facts.has(path)
            return _text(str(value_at(form, computed, path) or "")) if in_template else ""
        text = _text(cell_text(cell, form, computed))
        return text.removesuffix("%") if cell.number_format.endswith("%") else text

    def printed_or_none(path: str) -> str | None:
        return printed(path) if layout.cell_of(path) is not None or layout_facts.has(path) else None

    fund_rows = []
    for index in range(len(form.fund_rows)):
        base = f"fund_rows[{index}]"
        first = index == 0  # 年度资金总额: the row with 分值, 执行率 and 得分
        fund_rows.append(FundRowFacts(
            label=printed(f"{base}.label"), source=_LEAD_IN.sub("", printed(f"{base}.label")),
            initial_budget=printed_or_none(f"{base}.initial_budget"),
            annual_budget=printed(f"{base}.annual_budget"), executed=printed(f"{base}.executed"),
            points=printed("funds.points") if first else NOT_APPLICABLE_CELL,
            rate=printed("funds.rate") if first else NOT_APPLICABLE_CELL,
            score=printed("funds.score") if first else NOT_APPLICABLE_CELL))

    groups = []
    for group in computed.groups:
        rows = []
        for index in group.rows:
            indicator = form.indicators[index]
            base = f"indicators[{index}]"
            status, short = _status(indicator)
            rows.append(IndicatorFacts(
                level1=_text(group.name), level2=printed(f"{base}.level2"), level3=printed(f"{base}.level3"),
                indicator=_title(indicator), nature=printed_or_none(f"{base}.nature"), target=printed(f"{base}.target"),
                unit=printed_or_none(f"{base}.unit"), actual=printed(f"{base}.actual"),
                points=printed(f"{base}.points"), score=printed(f"{base}.score"), reason=printed(f"{base}.reason"),
                status=status, short=short))
        # Σ 分值 / Σ 得分 of a group are not cells of their own: printed as the layout prints 分值.
        groups.append(GroupFacts(_text(group.name), format_number(group.points, number_format),
                                 format_number(group.score, number_format), tuple(rows)))

    # Column headings as the form prints them (its layout's labels, without the clerk's "*").
    points_word = layout_facts.word("indicators[].points", "分值")
    indicator_columns = tuple(
        (key, layout_facts.word(f"indicators[].{key}", key)) for key in
        ("level2", "level3", "nature", "target", "unit", "actual", "points", "score")
        if layout_facts.has(f"indicators[].{key}"))
    funds_label = layout_facts.labels.get("fund_rows[].label") or f"项目资金（{layout_facts.money_unit}）"
    funds_columns = (("label", funds_label),) + tuple(
        (key, layout_facts.word(path, key)) for key, path in (
            ("initial_budget", "fund_rows[].initial_budget"), ("annual_budget", "fund_rows[].annual_budget"),
            ("executed", "fund_rows[].executed"), ("points", "funds.points"), ("rate", "funds.rate"),
            ("score", "funds.score"))
        if layout_facts.has(path))
    funds_points, funds_score = as_number(form.funds_points), computed.funds_score
    total = fund_rows[0]  # the funds facts repeat the 年度资金总额 row
    return ReportFacts(
        layout=form.layout,
        code=printed_or_none("code"), name=printed("name"), year=printed("year"),
        implementing_unit=printed("implementing_unit"), budget_unit=printed("budget_unit"),
        unit_code=printed_or_none("unit_code"), supervisor=printed_or_none("supervisor"),
        project_lead=printed_or_none("project_lead"),
        money_unit=layout_facts.money_unit, funds_title=_funds_title(layout),
        initial_budget=total.initial_budget, annual_budget=total.annual_budget, executed=total.executed,
        funds_points=total.points, rate=total.rate, funds_score=total.score,
        funds_reason=printed_or_none("funds.reason"),
        funds_short=funds_points is not None and funds_score is not None and funds_score < funds_points,
        goal_expected=printed("goal_expected"), goal_actual=printed("goal_actual"),
        process=printed_or_none("texts.process"), conclusion=printed_or_none("texts.conclusion"),
        problems=printed_or_none("texts.problems"), improvements=printed_or_none("texts.improvements"), other=None,
        points_word=points_word, total_points=printed("total_points"), total_score=printed("total_score"),
        grade=computed.grade,
        funds_columns=funds_columns, indicator_columns=indicator_columns,
        fund_rows=tuple(fund_rows), groups=tuple(groups))


def _funds_title(layout: SheetLayout) -> str:
    """The funds block's heading as the sheet prints it (资金使用情况, 预算执行情况 …): the section
    label in the row above the funds table."""
    funds_cell = layout.cell_of("fund_rows[0].annual_budget")
    assert funds_cell is not None  # every layout file places it (layout_files checks)
    funds_row = funds_cell.row
    sections = [c for c in layout.cells if c.role.value == "section" and c.row < funds_row]
    return sections[-1].text if sections else "资金使用情况"


def fact_texts(facts: ReportFacts) -> list[str]:
    """Every text the facts hold (labels included): a number in the report must appear in one."""
    texts: list[str] = []

    def add(obj: object) -> None:
        for f in fields(obj):  # type: ignore[arg-type]
            value = getattr(obj, f.name)
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, tuple):
                        texts.extend(x for x in item if isinstance(x, str))
                    elif hasattr(item, "__dataclass_fields__"):
                        add(item)

    add(facts)
    return texts

