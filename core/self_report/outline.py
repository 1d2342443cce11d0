"""The 自评报告 as a list of blocks (title, headings, paragraphs, tables), in the published outline:

  一、项目基本情况          （一）项目概况 （二）资金来源与预算安排 （三）实施单位与主管部门
  二、绩效目标及完成情况    （一）年度总体目标 （二）年度总体目标完成情况
  三、绩效指标完成情况分析  （一）预算执行情况, then one part per 一级指标: a table of its 三级指标 and
                            one sentence each
  四、偏差原因分析及改进措施 the funds when their 得分 is below 分值, every indicator scored below its
                            points with the clerk's reason (or a marked gap)
  五、自评结论              总分, 等级, a sentence for the funds and each group
  六、其他需说明的问题

The order is the outline's; the words are the template's (core.self_report.template); the numbers
are the facts' (core.self_report.facts). The same blocks are what the .docx must read back as.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.self_report.facts import (
    GroupFacts,
    IndicatorFacts,
    ReportFacts,
    scalar_values,
)
from core.self_report.template import Template

TITLE, HEADING1, HEADING2, PARAGRAPH, TABLE, SIGNATURE = (
    "title", "heading1", "heading2", "paragraph", "table", "signature")

# Column widths of the tables (relative; about millimetres on the 156 mm type area), by the fact each
# column shows: a four-character heading (二级指标, 完成情况) and a ten-digit amount keep to one line.
FUNDS_WIDTHS = {"label": 30, "initial_budget": 25, "annual_budget": 25, "executed": 25, "points": 14, "rate": 21,
                "score": 16}
INDICATOR_WIDTHS = {"level2": 20, "level3": 40, "nature": 14, "target": 23, "unit": 16, "actual": 23, "points": 15,
                    "score": 15, "status": 20}
LEFT_ALIGNED = {"level3"}
# Columns some layouts have that a form may leave empty on every row (度量单位 in layout B): a table
# column with nothing in it is left out rather than squeeze the others.
OPTIONAL_COLUMNS = {"unit", "nature"}
# Punctuation a clerk ends a short cell with ("≤2小时。"): dropped where the value goes inside a sentence.
_TRAILING = "。；，、;,"
_INSIDE_SENTENCE = ("level2", "level3", "indicator", "nature", "target", "unit", "actual")


@dataclass(frozen=True)
class Block:
    """One paragraph or table of the report. Widths and alignment are how it looks, not what it
    says: they are not compared when the document is read back."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # a table's rows, its header row first
    widths: tuple[float, ...] = field(default=(), compare=False)
    aligns: tuple[str, ...] = field(default=(), compare=False)


_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (headings count without Arabic digits)."""
    if not 0 < n < 100:
        raise ValueError(f"no Chinese ordinal for {n}")
    tens, ones = divmod(n, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十"))
    return text + (_DIGITS[ones] if ones else "")


def _paragraphs(texts: list[str], kind: str = PARAGRAPH) -> list[Block]:
    """One block per line: a line break in the clerk's text starts a new paragraph."""
    blocks: list[Block] = []
    for text in texts:
        blocks.extend(Block(kind, line.strip()) for line in text.split("\n") if line.strip())
    return blocks


def _group_values(form: dict, group: GroupFacts, number: int) -> dict[str, str | None]:
    return {**form, "group": group.group, "points": group.points, "score": group.score,
            "number": chinese_ordinal(number)}


def _in_sentence(value: str | None) -> str | None:
    return None if value is None else value.strip().rstrip(_TRAILING).strip()


def _indicator_values(form: dict, row: IndicatorFacts, template: Template) -> dict[str, str | None]:
    values = {**form, "group": row.level1}
    values.update({name: _in_sentence(value) if name in _INSIDE_SENTENCE else value
                   for name, value in scalar_values(row).items()})
    values["status"] = template.text(f"indicators.status.{row.status}", form)
    return values


def outline(facts: ReportFacts, template: Template) -> tuple[Block, ...]:
    form = facts.values()
    t = template
    blocks: list[Block] = [Block(TITLE, t.text("title", form))]

    def heading(key: str, kind: str = HEADING1, values: dict | None = None) -> None:
        blocks.append(Block(kind, t.text(key, values if values is not None else form)))

    def paragraphs(key: str, values: dict | None = None) -> None:
        blocks.extend(_paragraphs(t.paragraphs(key, values if values is not None else form)))

    # 一、项目基本情况
    heading("basic.heading")
    heading("basic.overview_heading", HEADING2)
    paragraphs("basic.overview")
    heading("basic.funding_heading", HEADING2)
    paragraphs("basic.funding")
    for fund_row in facts.fund_rows[1:]:
        if not (fund_row.initial_budget or fund_row.annual_budget or fund_row.executed):
            continue  # a 其中 row the form leaves blank (no such funds): nothing to tell, nothing to ask for
        paragraphs("basic.funding_row", {**form, **scalar_values(fund_row)})
    heading("basic.units_heading", HEADING2)
    paragraphs("basic.units")

    # 二、绩效目标及完成情况
    heading("goals.heading")
    heading("goals.expected_heading", HEADING2)
    paragraphs("goals.expected")
    heading("goals.actual_heading", HEADING2)
    paragraphs("goals.actual")

    # 三、绩效指标完成情况分析
    heading("indicators.heading")
    heading("indicators.funds_heading", HEADING2)
    paragraphs("indicators.funds")
    blocks.append(_funds_table(facts))
    for number, group in enumerate(facts.groups, start=2):
        values = _group_values(form, group, number)
        heading("indicators.group_heading", HEADING2, values)
        paragraphs("indicators.group", values)
        blocks.append(_indicator_table(facts, group, t))
        for row in group.indicators:
            paragraphs(f"indicators.sentence.{row.status}", _indicator_values(values, row, t))

    # 四、偏差原因分析及改进措施
    heading("deviations.heading")
    short = [(group, row) for group in facts.groups for row in group.indicators if row.short]
    if facts.funds_short:
        paragraphs("deviations.funds")
    for group, row in short:
        paragraphs("deviations.indicator", _indicator_values(_group_values(form, group, 1), row, t))
    if not facts.funds_short and not short:
        paragraphs("deviations.none")
    paragraphs("deviations.closing")

    # 五、自评结论
    heading("conclusion.heading")
    paragraphs("conclusion.summary")
    sentences = [t.text("conclusion.funds", form)]
    sentences += [t.text("conclusion.group", _group_values(form, g, 1)) for g in facts.groups]
    blocks.extend(_paragraphs(["".join(sentences)]))
    paragraphs("conclusion.closing")

    # 六、其他需说明的问题
    heading("other.heading")
    paragraphs("other.text")

    blocks.extend(_paragraphs([t.text("signature.unit", form), t.text("signature.date", form)], SIGNATURE))
    return tuple(blocks)


def _funds_table(facts: ReportFacts) -> Block:
    columns = [(key, label) for key, label in facts.funds_columns]
    header = tuple(label for _, label in columns)
    rows = tuple(tuple(getattr(row, key) or "" for key, _ in columns) for row in facts.fund_rows)
    return Block(TABLE, rows=(header,) + rows, widths=tuple(FUNDS_WIDTHS.get(k, 3) for k, _ in columns),
                 aligns=tuple("center" for _ in columns))


def _indicator_columns(facts: ReportFacts) -> list[tuple[str, str]]:
    rows = [row for group in facts.groups for row in group.indicators]
    return [(key, label) for key, label in facts.indicator_columns
            if key not in OPTIONAL_COLUMNS or any((getattr(row, key) or "").strip() for row in rows)]


def _indicator_table(facts: ReportFacts, group: GroupFacts, template: Template) -> Block:
    columns = _indicator_columns(facts)
    form = facts.values()
    header = tuple(label for _, label in columns) + (template.text("indicators.status_column", form),)
    rows = tuple(tuple(getattr(row, key) or "" for key, _ in columns)
                 + (template.text(f"indicators.status.{row.status}", form),) for row in group.indicators)
    keys = [key for key, _ in columns] + ["status"]
    return Block(TABLE, rows=(header,) + rows, widths=tuple(INDICATOR_WIDTHS.get(k, 3) for k in keys),
                 aligns=tuple("left" if k in LEFT_ALIGNED else "center" for k in keys))
