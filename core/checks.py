"""审核: the checks of SPEC §5, each finding with a level, a rule id, the field it is about, the cell
where that field sits, and a Chinese message that says what to do.

`evaluate()` is the one entry point: it recomputes the form, proposes scores and runs every check.
Levels come from the rule profile ("off" drops a check).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from core.arithmetic import Computed, compute, fund_rows_sum
from core.fields import (
    AMOUNT_COLUMNS,
    FIELDS,
    INDICATOR_TEXT,
    TEXT_FIELDS,
    TEXT_PARTS,
    canonical,
    field_label,
    split,
    value_at,
)
from core.layout_files import LayoutSpec, layout_spec
from core.layouts import facts, sheet_field_label, sheet_layout, with_standard_fund_rows
from core.model import TOTAL_FUND_LABEL, Form, Indicator
from core.numbers import Entry, as_number, compact, out_of_range, places_of, plain, quantize
from core.profile import Profile
from core.scoring import Suggestion, suggest, target_text
from core.targets import says_nothing
from core.text import CELL_CHARS, chinese_word_count

# The Chinese names come from the one field table (core.fields.FIELDS).
AMOUNT_NAMES = {column: FIELDS[f"fund_rows[].{column}"].name for column in AMOUNT_COLUMNS}
HEADER_NAMES = {path: FIELDS[path].name for path in ("code", "name", "year", "implementing_unit")}


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "warning"
    rule: str
    field: str
    cell: str
    message: str

    def as_json(self) -> dict:
        return {"level": self.level, "rule": self.rule, "field": self.field, "cell": self.cell,
                "message": self.message}


@dataclass(frozen=True)
class Source:
    """Where a form was read from: its cells, the computed values it printed, the reader's notes."""

    cells: dict[str, str] = field(default_factory=dict)
    printed: dict[str, Entry] = field(default_factory=dict)
    notes: tuple = ()  # core.xlsx.reader.Note
    kinds: dict[str, str] = field(default_factory=dict)  # computed path -> what its cell holds (SheetForm)


@dataclass(frozen=True)
class Evaluation:
    form: Form
    computed: Computed
    suggestions: tuple[Suggestion, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "warning")


def evaluate(form: Form, profile: Profile, source: Source | None = None) -> Evaluation:
    """The form recomputed, its 建议得分 and its findings. A form lacking fund rows its layout shows
    (made in code, not read or stored) is evaluated, drawn and written with them, empty."""
    form = with_standard_fund_rows(form)
    profile = profile.for_layout(form.layout)
    computed = compute(form, profile)
    suggestions = tuple(suggest(indicator, profile) for indicator in form.indicators)
    checker = _Checker(form, computed, profile, source)
    checker.run()
    return Evaluation(form, computed, suggestions, tuple(checker.findings))


def _name(indicator: Indicator, index: int) -> str:
    level3 = indicator.level3.strip()
    title = level3 if not says_nothing(level3) else indicator.level2.strip()
    title = title or "（未命名）"
    return f"第 {index + 1} 个指标“{title}”"


def _n(value: Decimal) -> str:
    return compact(value)


class _Checker:
    def __init__(self, form: Form, computed: Computed, profile: Profile, source: Source | None):
        self.form = form
        self.computed = computed
        self.profile = profile
        self.source = source
        self.layout = sheet_layout(form, fallback=True)
        self.facts = facts(form.layout)
        self.spec = layout_spec(form.layout)
        self.code_in_name = self.spec is not None and self.spec.identity == "code_in_name"
        self.findings: list[Finding] = []

    def cell(self, path: str) -> str:
        if self.source is not None:
            ref = self.source.cells.get(path) or self.source.cells.get(canonical(path))
            if ref:
                return ref
        cell = self.layout.cell_of(path)
        return cell.ref if cell else ""

    def add(self, rule: str, path: str, message: str) -> None:
        level = self.profile.level_of(rule)
        if level != "off":
            self.findings.append(Finding(level, rule, path, self.cell(path), message))

    def run(self) -> None:
        if self.source is not None:
            for note in self.source.notes:
                level = self.profile.level_of(note.rule)
                if level != "off":
                    self.findings.append(Finding(level, note.rule, note.field, note.cell, note.message))
        self.header()
        self.funds()
        self.indicators()
        self.totals()
        self.printed()
        self.lengths()

    # -- parts -------------------------------------------------------------------------------
    def header(self) -> None:
        for path, label in HEADER_NAMES.items():
            if self.facts.has(path) and not getattr(self.form, path).strip():  # only what the layout has
                self.add("REQUIRED", path, f"请填写{label}" if not (path == "code" and self.code_in_name) else
                         f"项目名称中缺少项目代码：应写作“{_code_in_name_wording(self.spec)}”")
        year = self.form.year.strip()
        if year and self.form.year_number is None:
            self.add("NUMBER_FORMAT", "year", f"绩效自评年度“{year}”应为四位数字年份，如 2024")
        if self.facts.has("goal_actual") and not self.form.goal_actual.strip():
            self.add("REQUIRED", "goal_actual", "请填写年度总体目标的实际完成情况")
        for name in TEXT_PARTS:  # 四川's 过程概述, 评价结论, 存在问题, 改进措施, where the layout has them
            path = f"texts.{name}"
            if self.facts.has(path) and not getattr(self.form.texts, name).strip():
                self.add("REQUIRED", path, f"请填写{self.facts.word(path, FIELDS[path].name)}（没有可写“无”）")

    def funds(self) -> None:
        form = self.form
        # The sheet's own words: 四川 says 总额 | 调整后预算数 | 预算执行数 where 深圳 says 年度资金总额 |
        # 全年预算数 | 全年执行数.
        words = {column: self.facts.word(f"fund_rows[].{column}", name) for column, name in AMOUNT_NAMES.items()}
        for index, row in enumerate(form.fund_rows):
            for column, word in words.items():
                self.amount(f"fund_rows[{index}].{column}", getattr(row, column), f"{row.label or '资金'}的{word}")
        total = form.total_funds
        total_label = total.label.strip() or TOTAL_FUND_LABEL
        for column in ("annual_budget", "executed"):
            if getattr(total, column) is None:
                self.add("REQUIRED", f"funds.{column}", f"请填写{total_label}的{words[column]}")
        self.points("funds.points", form.funds_points, "资金分值")
        budget, executed = as_number(total.annual_budget), as_number(total.executed)
        budget_word, executed_word = words["annual_budget"], words["executed"]
        if budget is not None and budget == 0:
            self.add("BUDGET_ZERO", "funds.annual_budget", f"{budget_word}为 0，无法计算执行率：请核对{budget_word}")
        threshold, rate = self.profile.funds_reason_below, self.computed.rate
        if (threshold is not None and rate is not None and rate < threshold and self.facts.has("funds.reason")
                and not form.funds_reason.strip()):
            reason = self.facts.word("funds.reason", "原因")
            self.add("REASON_MISSING", "funds.reason",
                     f"预算执行率 {plain(rate)}% 低于 {_n(threshold)}%：请在“{reason}”中说明未达到的原因")
        if budget is not None and executed is not None and budget > 0 and executed > budget:
            where = "原因" if self.facts.has("funds.reason") else "偏差原因"
            self.add("OVER_BUDGET", "funds.executed",
                     f"{executed_word} {plain(executed)} 超过{budget_word} {plain(budget)}："
                     f"请核对执行数，或在{where}中说明")
        if len(form.fund_rows) > 1:  # 年度资金总额 = Σ 其中 rows, where the layout has them
            parts_names = " + ".join(_sub_row_name(row.label) for row in form.fund_rows[1:])
            for column, word in words.items():
                if not self.facts.has(f"fund_rows[0].{column}"):
                    continue
                total_value = as_number(getattr(total, column))
                parts = [getattr(row, column) for row in form.fund_rows[1:]]
                if total_value is None or any(isinstance(p, str) for p in parts):
                    continue
                parts_sum = fund_rows_sum(form, column)
                if parts_sum != total_value:
                    self.add("FUND_ROWS_SUM", f"fund_rows[0].{column}",
                             f"{word}：{total_label} {plain(total_value)} 不等于其中各项之和 {plain(parts_sum)}"
                             f"（{parts_names}），请核对")

    def amount(self, path: str, value: Entry, what: str) -> None:
        unit, places = self.facts.money_unit, self.facts.amount_places
        if isinstance(value, str):
            example = "4560000.00" if unit == "元" else "43.2"
            problem = _TOO_LARGE if out_of_range(value) else f"不是数字，请填写金额（{unit}），如 {example}"
            self.add("NUMBER_FORMAT", path, f"{what}“{value[:40]}”{problem}")
        elif isinstance(value, Decimal):
            if value < 0:
                self.add("NUMBER_FORMAT", path, f"{what} {plain(value)} 为负数，金额不能小于 0")
            elif places_of(value) > places:
                advice = "超过两位小数，金额精确到分即可" if (unit, places) == ("元", 2) else \
                    f"超过 {places} 位小数（本版式金额单位为{unit}）"
                self.add("NUMBER_FORMAT", path, f"{what} {plain(value)} {advice}")

    def points(self, path: str, value: Entry, what: str) -> None:
        problem = _number_problem(path, value, what)
        if problem:
            self.add(*problem)

    def indicators(self) -> None:
        word = self.facts.word("indicators[].points", "分值")  # 分值 (A) or 权重 (B)
        reason = self.facts.word("indicators[].reason", "偏差原因分析及改进措施")  # 未完成原因分析 (四川)
        for index, indicator in enumerate(self.form.indicators):
            for rule, path, message in indicator_findings(index, indicator, self.profile, word, reason):
                self.add(rule, path, message)

    def lengths(self) -> None:
        """Text longer than a spreadsheet cell holds could not be exported (nor imported again)."""
        form = self.form
        # Paths are made only for the rare text that is too long: building one per cell was a
        # tenth of an evaluation.
        long_texts = [(path, text) for path in TEXT_FIELDS if len(text := getattr(form, path)) > CELL_CHARS]
        long_texts += [(f"fund_rows[{i}].label", row.label) for i, row in enumerate(form.fund_rows)
                       if len(row.label) > CELL_CHARS]
        long_texts += [(f"texts.{name}", text) for name in TEXT_PARTS
                       if len(text := getattr(form.texts, name)) > CELL_CHARS]
        if len(form.funds_reason) > CELL_CHARS:
            long_texts.append(("funds.reason", form.funds_reason))
        names = [name for name in INDICATOR_TEXT if name != "grade"]
        long_texts += [(f"indicators[{i}].{name}", text) for i, row in enumerate(form.indicators)
                       for name in names if len(text := getattr(row, name)) > CELL_CHARS]
        for path, text in long_texts:
            self.add("TEXT_TOO_LONG", path, f"{field_label(path)}有 {len(text)} 个字符，超过电子表格单元格的上限 "
                     f"{CELL_CHARS} 个字符，导出前请删减")
        for field_path, limit in self.facts.char_limits.items():
            self.limit(field_path, limit)

    def limit(self, field_path: str, limit: int) -> None:
        """The template's own limit ("(200字以内)", 四川) on the cell of `field_path` (as the layout
        names it: "indicators[].reason" for a column, "fund_rows[4].label" for one cell): a
        reminder — the file still imports, but a reviewer may send a longer text back."""
        table, index, _ = split(field_path.replace("[]", "[0]", 1))
        if "[]" in field_path:
            rows = len(self.form.indicators) if table == "indicators" else len(self.form.fund_rows)
            paths = [field_path.replace("[]", f"[{i}]", 1) for i in range(rows)]
        elif table == "fund_rows" and index is not None and index >= len(self.form.fund_rows):
            return
        else:
            paths = [field_path]
        for path in paths:
            text = value_at(self.form, None, path)
            count = chinese_word_count(text) if isinstance(text, str) and len(text) > limit else 0
            if count > limit:
                self.add("TEXT_LIMIT", path, f"{self._name_of(path)}有 {count} 个字，表样要求 {limit} 字以内：请精简")

    def _name_of(self, path: str) -> str:
        """The field as this layout prints it, and which row: "第 2 个指标的未完成原因分析"."""
        table, index, _ = split(path)
        if table == "indicators" and index is not None:
            return f"第 {index + 1} 个指标的{self.facts.word(path, field_label(path))}"
        return sheet_field_label(self.form, path)

    def totals(self) -> None:
        computed, profile = self.computed, self.profile
        if computed.total_points != profile.total_points:
            self.add("POINTS_TOTAL", "total_points",
                     f"总分值为 {_n(computed.total_points)}，应为 {_n(profile.total_points)}：请调整各指标分值")
        for index, group in enumerate(computed.groups):
            weight = profile.group_weight(group.name)
            if weight is not None and group.points != weight:
                self.add("GROUP_WEIGHT", f"groups[{index}].points",
                         f"{group.name}的分值合计 {_n(group.points)}，建议为 {_n(weight)}：请核对分值分配")

    def printed(self) -> None:
        if self.source is None:
            return
        names = {"funds.rate": "执行率", "funds.score": "资金得分", "total_points": "总分值", "total_score": "总得分"}
        for path, printed in self.source.printed.items():
            if not isinstance(printed, Decimal):
                continue
            if path.startswith("groups["):
                index = int(path[len("groups["):].split("]")[0])
                if index >= len(self.computed.groups):
                    continue
                ours: Decimal | None = self.computed.groups[index].points
                name, places = f"{self.computed.groups[index].name}分值", None
            else:
                ours = {"funds.rate": self.computed.rate, "funds.score": self.computed.funds_score,
                        "total_points": self.computed.total_points, "total_score": self.computed.total_score}[path]
                name = names[path]
                # Compare at the precision the layout prints ("0.0000" in A) or the rules round to.
                spec = self.layout.spec
                rate = path == "funds.rate"
                number_format = spec.number_format("rate" if rate else "points") if spec else "General"
                places = _format_places(number_format, self.profile.rate_places if rate else self.profile.score_places)
            if ours is None:
                continue
            # The file's own precision where it shows fewer places: text ("86%" for 86.20), a fixed
            # format, or any number in a hand-filled template (its 9 for 8.62). A system's General
            # number is compared in full: a stale 100 against 99.83 is a mismatch.
            kind = self.source.kinds.get(path, "number")
            hand_typed = self.spec is not None and not self.spec.system_recomputes
            if places is not None and (kind != "number" or hand_typed):
                places = min(places, places_of(printed))
            same = printed == ours if places is None else quantize(printed, places) == quantize(ours, places)
            if not same:
                self.add("PRINTED_MISMATCH", path,
                         f"文件中的{name} {plain(printed)} 与重新计算的 {plain(ours)} 不一致，本程序采用重新计算的值")


def _code_in_name_wording(spec: LayoutSpec | None) -> str:
    """How the layout's 项目名称 cell writes the code, in words: "项目代码-项目名称" for "{code}-{name}"."""
    template = next((c.template for _, _, c in spec.cells() if c.template and "{code}" in c.template), None) \
        if spec is not None else None
    return (template or "{code}-{name}").replace("{code}", "项目代码").replace("{name}", "项目名称")


def _format_places(number_format: str, general: int) -> int:
    """Decimals a number format prints: "0.0000" -> 4, "0%" -> 0; "General" prints as entered -> `general`."""
    if number_format == "General":
        return general
    number_format = number_format.rstrip("%")
    return len(number_format.split(".")[1]) if "." in number_format else 0


def _sub_row_name(label: str) -> str:
    """"当年财政拨款" for "其中：当年财政拨款": a fund row as the sum names it."""
    return re.sub(r"^\s*其中\s*[:：]\s*", "", label).strip() or "其中一项"


_TOO_LARGE = "位数过多（整数部分最多 15 位、小数最多 6 位），请核对"


def _number_problem(path: str, value: Entry, what: str, negative: bool = True) -> tuple[str, str, str] | None:
    """NUMBER_FORMAT for text (or too many digits) in a number field, and for a negative value
    unless another rule reports it (a negative 得分 is SCORE_RANGE's)."""
    if isinstance(value, str):
        problem = _TOO_LARGE if out_of_range(value) else "不是数字，请填写数值"
        return "NUMBER_FORMAT", path, f"{what}“{value[:40]}”{problem}"
    if negative and isinstance(value, Decimal) and value < 0:
        return "NUMBER_FORMAT", path, f"{what} {plain(value)} 为负数，不能小于 0"
    return None


@functools.lru_cache(maxsize=16384)
def indicator_findings(index: int, row: Indicator, profile: Profile, word: str = "分值",
                       reason_word: str = "偏差原因分析及改进措施") -> tuple[tuple[str, str, str], ...]:
    """(rule, field, message) for one indicator row. Cached: a keystroke changes one row, and the
    others' findings come back from the cache instead of being recomputed."""
    found: list[tuple[str, str, str]] = []

    def add(rule: str, path: str, message: str) -> None:
        found.append((rule, path, message))

    suggestion = suggest(row, profile)
    base = f"indicators[{index}]"
    named: list[str] = []

    def name() -> str:  # the row's name for a message, worked out only for a row that has one
        if not named:
            named.append(_name(row, index))
        return named[0]

    not_applicable = suggestion.kind == "not_applicable"  # suggest() asked is_not_applicable first
    for column, value, what in (("points", row.points, word), ("score", row.score, "得分")):
        if isinstance(value, str) or (isinstance(value, Decimal) and value < 0):  # paths and texts only then
            problem = _number_problem(f"{base}.{column}", value, f"{name()}的{what}", negative=column == "points")
            if problem:
                add(*problem)
    if not not_applicable:
        if not row.actual.strip():
            add("REQUIRED", f"{base}.actual", f"请填写{name()}的实际完成值")
        if row.points is None:
            add("REQUIRED", f"{base}.points", f"请填写{name()}的{word}")
        if row.score is None:
            add("REQUIRED", f"{base}.score", f"请填写{name()}的得分")
    points, score = as_number(row.points), as_number(row.score)
    na_with_points = not_applicable and points is not None and points > 0
    if na_with_points and points is not None:
        add("NA_WITH_POINTS", f"{base}.points",
            f"{name()}不适用，却占{word} {_n(points)}：请把{word}调整到适用的指标上，或改填实际完成值")
    if score is not None and points is not None:
        if score < 0 or score > points:
            add("SCORE_RANGE", f"{base}.score", f"{name()}的得分 {_n(score)} 应在 0 到{word} {_n(points)} 之间")
        elif score < points and not row.reason.strip():
            add("REASON_MISSING", f"{base}.reason",
                f"{name()}的得分 {_n(score)} 低于{word} {_n(points)}，请填写{reason_word}")
    if (suggestion.score is not None and score is not None and not na_with_points
            and quantize(score, profile.suggested_places) != suggestion.score):
        add("SCORE_VS_SUGGESTED", f"{base}.score",
            f"{name()}的得分 {_n(score)} 与建议得分 {_n(suggestion.score)} 不同（{suggestion.reason}）：请核对")
    if suggestion.unit_mismatch:
        add("UNIT_MISMATCH", f"{base}.actual", f"{name()}：{suggestion.reason}")
    if suggestion.far_above and suggestion.ratio is not None and not row.reason.strip():
        add("FAR_ABOVE_TARGET", f"{base}.actual",
            f"{name()}的实际完成值“{row.actual.strip()}”远超指标“{target_text(row).strip()}”"
            f"（{_n(quantize(suggestion.ratio, 2))} 倍，超过 {_n(profile.far_above_ratio)} 倍）："
            f"请在偏差原因分析中说明是否指标设置偏低")
    band = profile.band(row.grade) if row.grade else None
    if band is not None and score is not None and points is not None and suggestion.score is None:
        low, high = (points * b / Decimal(100) for b in band)
        inside = low <= score <= high if high == points else low <= score < high
        if not inside:
            upper = f"不超过 {_n(high)}" if high == points else f"低于 {_n(high)}"
            add("BAND", f"{base}.score",
                f"{name()}选择了“{row.grade}”，得分应不低于 {_n(low)} 且{upper}，现为 {_n(score)}")
    return tuple(found)
