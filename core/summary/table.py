"""绩效自评结果汇总表: every form of one year (optionally of one 实施单位 or 主管部门, optionally of one
status) as one table, with its totals.

The facts of each form come from core.summary.rows (the one place that reads a form); this module
selects, converts units, orders, adds up, and describes the table's columns and totals rows once
for every face — the window, the xlsx and the PDF all show `row_values()` and `footer_rows()`.

Money: when the forms use different units, every amount is shown in 元 (万元 × 10 000, exact) and the
title line says "单位：元"; otherwise the forms' own unit. Totals (Decimal only, half-up through
core.numbers.quantize):
  - Σ of each money column over the rows that hold a number there;
  - overall 执行率 = Σ全年执行数 / Σ全年预算数 × 100, 2 decimals; none when Σ全年预算数 is 0;
  - 总得分 averaged plainly and weighted by 全年预算数, 2 decimals. A row whose 全年预算数 is 0,
    missing or negative weighs 0; when every weight is 0 there is no weighted average (None, shown
    "—", and a note says why) rather than a silent fall-back to the plain one;
  - how many forms per 等级, and how many have 审核 errors.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from core.arithmetic import execution_rate
from core.checks import evaluate
from core.gc_pause import gc_paused
from core.numbers import places_of, plain, quantize
from core.profile import Profile
from core.summary.rows import BASE_LABEL, MONEY_UNITS, YUAN, SummaryRow, summary_row

if TYPE_CHECKING:
    from core.store.store import Store

TITLE = "项目支出绩效自评结果汇总表"
PLACES = 2  # the totals' 执行率 and averages
ALL = ""  # a scope field that selects everything


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # index, code, text, money, rate, score, grade, findings, status
    width: float  # Excel character units; the PDF and the window scale them


COLUMNS = (
    Column("index", "序号", "index", 6),
    Column("code", "项目编码", "code", 23),
    Column("name", "项目名称", "text", 29),
    Column("implementing_unit", "实施单位", "text", 24),
    Column("initial_budget", "年初预算数", "money", 16),
    Column("annual_budget", BASE_LABEL, "money", 16),
    Column("executed", "全年执行数", "money", 16),
    Column("rate", "执行率（%）", "rate", 9),
    Column("total_points", "总分值", "score", 8),
    Column("total_score", "总得分", "score", 8),
    Column("grade", "等级", "grade", 10),
    Column("findings", "审核", "findings", 21),
    Column("status", "状态", "status", 8),
)
NUMBER_KINDS = ("money", "rate", "score")  # the columns that hold numbers, right-aligned
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
# The totals rows put their label across 序号 … 实施单位.
LABEL_SPAN = COLUMN_INDEX["initial_budget"]

Value = Decimal | int | str | None


@dataclass(frozen=True)
class SummaryScope:
    """Which forms: one year; optionally one 实施单位, one 主管部门, one status ("" = all)."""

    year: str
    implementing_unit: str = ALL
    supervisor: str = ALL
    status: str = ALL

    def describe(self) -> str:
        """The scope as the title block prints it."""
        parts = [f"实施单位：{self.implementing_unit or '全部'}"]
        if self.supervisor:
            parts.append(f"主管部门：{self.supervisor}")
        parts.append(f"状态：{self.status or '全部'}")
        return "　".join(parts)


@dataclass(frozen=True)
class SummaryTotals:
    count: int
    initial_budget: Decimal | None
    annual_budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    average_score: Decimal | None
    weighted_score: Decimal | None
    grade_counts: tuple[tuple[str, int], ...]
    with_errors: int

    def grade_text(self) -> str:
        return "、".join(f"{name} {count}" for name, count in self.grade_counts)


@dataclass(frozen=True)
class Summary:
    scope: SummaryScope
    money_unit: str
    converted: bool  # the forms' units differed: every amount is in 元
    rows: tuple[SummaryRow, ...]
    totals: SummaryTotals
    notes: tuple[str, ...]  # Chinese sentences printed under the table

    @property
    def title(self) -> str:
        return f"{self.scope.year}年度{TITLE}"

    @property
    def unit_line(self) -> str:
        return f"单位：{self.money_unit}"


def normalized(text: str) -> str:
    """A unit's name compared as a clerk means it: full/half width, spaces and case ignored."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def in_scope(row: SummaryRow, scope: SummaryScope) -> bool:
    if row.year != scope.year.strip():
        return False
    if scope.implementing_unit and normalized(row.implementing_unit) != normalized(scope.implementing_unit):
        return False
    if scope.supervisor and normalized(row.supervisor or "") != normalized(scope.supervisor):
        return False
    return not scope.status or row.status == scope.status


class RowMemo:
    """Summary rows of stored forms, kept by the form's exact stored text and the rule profile.

    Judging a form (core.checks.evaluate) is most of a summary's cost; a form whose stored text has
    not changed is judged the same, so a window that refreshes, changes its scope or exports asks
    again only about the forms edited since. The text is the key, not the Form: Decimal("100.000")
    equals Decimal("100.00"), yet only the first is a NUMBER_FORMAT error. At most `size` rows are
    kept, the oldest dropped first."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._rows: OrderedDict[tuple[str, Profile], SummaryRow] = OrderedDict()

    def rows_of_year(self, store: Store, year: str, profile: Profile) -> list[SummaryRow]:
        with gc_paused():
            return self._rows_of_year(store, year, profile)

    def _rows_of_year(self, store: Store, year: str, profile: Profile) -> list[SummaryRow]:
        rows = []
        for form_id, status, data in store.current_texts(year):
            key = (data, profile)
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = summary_row(evaluate(store.load_form(data, form_id), profile), "")
                if len(self._rows) > self.size:
                    self._rows.popitem(last=False)
            else:
                self._rows.move_to_end(key)
            rows.append(replace(row, form_id=form_id, status=status))
        return rows


def in_stored_words(scope: SummaryScope, rows: list[SummaryRow]) -> SummaryScope:
    """The scope as the forms write it: a 实施单位 or 主管部门 typed with other brackets or spaces
    prints as the rows it matched name it, when they all name it alike."""
    changes = {}
    for name, values in (("implementing_unit", {r.implementing_unit for r in rows}),
                         ("supervisor", {r.supervisor or "" for r in rows})):
        if getattr(scope, name) and len(values) == 1:
            changes[name] = values.pop()
    return replace(scope, **changes)


def rows_of_year(store: Store, year: str, profile: Profile, memo: RowMemo | None = None) -> list[SummaryRow]:
    """Every stored form of `year`, judged by `profile`, as summary rows (by id). With a memo,
    forms unchanged since it last saw them are not judged again."""
    return (memo or RowMemo()).rows_of_year(store, year, profile)


def build_summary(store: Store, scope: SummaryScope, profile: Profile, memo: RowMemo | None = None) -> Summary:
    """The summary of the stored forms in `scope`, judged by `profile`."""
    rows = [row for row in rows_of_year(store, scope.year, profile, memo) if in_scope(row, scope)]
    return summarize(rows, scope, grade_names(profile))


def grade_names(profile: Profile) -> tuple[str, ...]:
    """The 等级 in the profile's order, best first (优, 良, 中, 差)."""
    return tuple(name for name, _ in profile.grades)


def summary_unit(rows: Iterable[SummaryRow]) -> str:
    """The forms' own unit when they share one; 元 when they differ (or there are none)."""
    units = {row.money_unit for row in rows}
    return units.pop() if len(units) == 1 else YUAN


def _order(row: SummaryRow) -> tuple:
    return (row.implementing_unit, row.code, row.name, row.form_id or 0)


def summarize(rows: Sequence[SummaryRow], scope: SummaryScope, grades: Sequence[str]) -> Summary:
    """The summary of these rows (already in scope): units made one, rows ordered by 实施单位 and
    项目编码, the totals and the notes that explain them."""
    unit = summary_unit(rows)
    converted = len({row.money_unit for row in rows}) > 1
    shown = tuple(sorted((row.in_unit(unit) for row in rows), key=_order))
    totals = compute_totals(shown, grades)
    return Summary(scope, unit, converted, shown, totals, _notes(rows, shown, totals, converted))


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    numbers = [v for v in values if v is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def weight_of(row: SummaryRow) -> Decimal:
    """A row's weight in the weighted average: its 全年预算数, or 0 when it is 0, missing or negative."""
    budget = row.annual_budget
    return budget if budget is not None and budget > 0 else Decimal(0)


def compute_totals(rows: Sequence[SummaryRow], grades: Sequence[str]) -> SummaryTotals:
    """The totals of rows that share one money unit."""
    if len({row.money_unit for row in rows}) > 1:
        raise ValueError("totals need rows in one money unit (Summary converts them)")
    with localcontext() as context:
        context.prec = 60  # sums of 15-digit amounts times scores stay exact
        initial = _sum(r.initial_budget for r in rows)
        annual = _sum(r.annual_budget for r in rows)
        executed = _sum(r.executed for r in rows)
        rate = execution_rate(executed, annual, PLACES)
        count = len(rows)
        average = quantize(sum((r.total_score for r in rows), Decimal(0)) / count, PLACES) if count else None
        weights = sum((weight_of(r) for r in rows), Decimal(0))
        weighted = (quantize(sum((r.total_score * weight_of(r) for r in rows), Decimal(0)) / weights, PLACES)
                    if weights > 0 else None)
    names = list(grades) + sorted({r.grade for r in rows} - set(grades))
    counts = tuple((name, sum(1 for r in rows if r.grade == name)) for name in names)
    return SummaryTotals(count, initial, annual, executed, rate, average, weighted, counts,
                         sum(1 for r in rows if r.errors))


def _notes(original: Sequence[SummaryRow], rows: Sequence[SummaryRow], totals: SummaryTotals,
           converted: bool) -> tuple[str, ...]:
    notes = []
    if converted:
        units = "、".join(u for u in MONEY_UNITS if any(r.money_unit == u for r in original))
        notes.append(f"各表金额单位不同（{units}），以万元填报的金额已按 ×10 000 换算为元。")
    bases = sorted({r.base_label for r in rows} - {BASE_LABEL})
    if bases:
        notes.append(f"“{BASE_LABEL}”一列为各表计算执行率所用的预算数（部分表称“{'”“'.join(bases)}”）。")
    no_initial = sum(1 for r in rows if r.initial_budget is None)
    if rows and no_initial:
        notes.append(f"{no_initial} 张表没有年初预算数（表样无此栏或未填数字），年初预算数合计不含这些表。")
    no_budget = sum(1 for r in rows if weight_of(r) == 0)
    if no_budget:
        notes.append(f"{no_budget} 张表的全年预算数为 0 或未填：执行率无法计算，按预算加权平均时权重为 0。")
    if rows and totals.weighted_score is None:
        notes.append("所有表的全年预算数均为 0 或未填，无法计算按全年预算数加权的平均总得分。")
    no_executed = sum(1 for r in rows if r.executed is None)
    if no_executed:
        notes.append(f"{no_executed} 张表未填全年执行数（或不是数字），全年执行数合计不含这些表。")
    return tuple(notes)


# --- the table, one description for every face ---------------------------------------------------

NO_NUMBER = "—"  # a number that cannot be given (no budget, no rate)


def _or_dash(value: Decimal | None) -> Value:
    return NO_NUMBER if value is None else value


def findings_text(errors: int, warnings: int) -> str:
    return f"{errors} 个错误 / {warnings} 个提醒"


def row_values(row: SummaryRow, number: int) -> tuple[Value, ...]:
    """One table row, column by column: Decimal, int or str; "—" where a number cannot be given."""
    values: dict[str, Value] = {
        "index": number, "code": row.code, "name": row.name, "implementing_unit": row.implementing_unit,
        "initial_budget": _or_dash(row.initial_budget), "annual_budget": _or_dash(row.annual_budget),
        "executed": _or_dash(row.executed), "rate": _or_dash(row.rate), "total_points": row.total_points,
        "total_score": row.total_score, "grade": row.grade, "findings": findings_text(row.errors, row.warnings),
        "status": row.status,
    }
    return tuple(values[c.key] for c in COLUMNS)


TOTAL_LABEL = "合计（共 {n} 张表）"
AVERAGE_LABEL = "平均总得分（简单平均）"
WEIGHTED_LABEL = f"平均总得分（按{BASE_LABEL}加权）"


def footer_rows(summary: Summary) -> tuple[tuple[Value, ...], ...]:
    """The totals block: a 合计 row and the two averages of 总得分, each under its own label in the
    first column (which spans LABEL_SPAN columns). A total that cannot be given is "—"; cells a
    row does not fill are None. `with_errors` is an int shown as "n 张有错误"."""
    totals = summary.totals

    def row(label: str, **values: Value) -> tuple[Value, ...]:
        cells: list[Value] = [None] * len(COLUMNS)
        cells[0] = label
        for key, value in values.items():
            cells[COLUMN_INDEX[key]] = value
        return tuple(cells)

    return (
        row(TOTAL_LABEL.format(n=totals.count), initial_budget=_or_dash(totals.initial_budget),
            annual_budget=_or_dash(totals.annual_budget), executed=_or_dash(totals.executed),
            rate=_or_dash(totals.rate), grade=totals.grade_text(), findings=totals.with_errors),
        row(AVERAGE_LABEL, total_score=_or_dash(totals.average_score)),
        row(WEIGHTED_LABEL, total_score=_or_dash(totals.weighted_score)),
    )


ERRORS_SUFFIX = " 张有错误"


def money_text(value: Decimal) -> str:
    """An amount with thousands separators and two decimals, more when its digits need them
    (a 万元 amount such as 465.826), never trailing zeros beyond two."""
    places = min(6, max(2, places_of(value.normalize())))
    return f"{quantize(value, places):,.{places}f}"


def cell_text(value: Value, column: Column, footer: bool = False) -> str:
    """A cell's text as the PDF and the window show it (the xlsx holds the value itself)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money_text(value) if column.kind == "money" else plain(quantize(value, PLACES))
    if isinstance(value, int):
        return f"{value}{ERRORS_SUFFIX}" if footer and column.key == "findings" else str(value)
    return value


def score_bins(rows: Sequence[SummaryRow]) -> tuple[tuple[str, int], ...]:
    """How many forms' 总得分 fall in each band: below 60, then five points wide up to 100 (lower
    edge included; 100 belongs to 95–100), and above 100 only when some form is there."""
    edges = [Decimal(e) for e in range(60, 100, 5)]
    bins = [("<60", 0)] + [(f"{e}–{e + 5}", 0) for e in edges]
    counts = [0] * len(bins)
    above = 0
    for row in rows:
        score = row.total_score
        if score > 100:
            above += 1
        elif score < 60:
            counts[0] += 1
        else:
            counts[min(len(edges), int((score - 60) // 5) + 1)] += 1
    result = [(label, count) for (label, _), count in zip(bins, counts, strict=False)]
    if above:
        result.append((">100", above))
    return tuple(result)
