"""The wording of the 自评报告: a TOML file per region family in resources/report_templates/, so a unit
rewords its report without code.

A template's sentences name facts in braces ("全年执行数{executed}{money_unit}"); the facts are the
texts core.self_report.facts gives. A part in "[?…]" is left out when a fact it names is absent or
empty ("[?，主管部门为{supervisor}]"); elsewhere an empty fact becomes a marked gap, "【请补充：主管部门】",
worded by the template's [gaps] table. The literal text of a template may hold no digit: every
number in the report comes from the form (headings count with Chinese numerals).

Which template: the file whose `layouts` lists the form's layout, looked for first in the unit's own
folder (report_templates/ beside the database file), then among the shipped ones; or a file given
explicitly (the command line's --template). A unit's file that cannot be used is reported and the
shipped template is used instead, as a broken rule profile is.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.os_errors import os_reason
from core.paths import resource
from core.self_report.facts import (
    STATUSES,
    FundRowFacts,
    IndicatorFacts,
    ReportFacts,
    scalar_names,
)

SHIPPED_FOLDER = resource("report_templates")
UNIT_FOLDER_NAME = "report_templates"
GAP = "【请补充：{}】"
GAP_PATTERN = re.compile(r"【请补充：[^】]*】")

# What each context's sentences may name. A group's sentences also get its Chinese ordinal `number`
# (二, 三, … in section 三, after the funds); an indicator's `status` is the word of [indicators.status].
FORM_NAMES = scalar_names(ReportFacts)
CONTEXTS = {
    "form": FORM_NAMES,
    "fund_row": FORM_NAMES + scalar_names(FundRowFacts),
    "group": FORM_NAMES + ("group", "points", "score", "number"),
    "indicator": FORM_NAMES + ("group",) + scalar_names(IndicatorFacts),
}

# key -> (context, many): `many` keys hold one paragraph or a list of paragraphs; the others one line.
KEYS: dict[str, tuple[str, bool]] = {
    "title": ("form", False),
    "basic.heading": ("form", False),
    "basic.overview_heading": ("form", False),
    "basic.overview": ("form", True),
    "basic.funding_heading": ("form", False),
    "basic.funding": ("form", True),
    "basic.funding_row": ("fund_row", True),
    "basic.units_heading": ("form", False),
    "basic.units": ("form", True),
    "goals.heading": ("form", False),
    "goals.expected_heading": ("form", False),
    "goals.expected": ("form", True),
    "goals.actual_heading": ("form", False),
    "goals.actual": ("form", True),
    "indicators.heading": ("form", False),
    "indicators.funds_heading": ("form", False),
    "indicators.funds": ("form", True),
    "indicators.group_heading": ("group", False),
    "indicators.group": ("group", True),
    "indicators.status_column": ("form", False),
    **{f"indicators.status.{s}": ("form", False) for s in STATUSES},
    **{f"indicators.sentence.{s}": ("indicator", True) for s in STATUSES},
    "deviations.heading": ("form", False),
    "deviations.funds": ("form", True),
    "deviations.indicator": ("indicator", True),
    "deviations.none": ("form", True),
    "deviations.closing": ("form", True),
    "conclusion.heading": ("form", False),
    "conclusion.summary": ("form", True),
    "conclusion.funds": ("form", False),
    "conclusion.group": ("group", False),
    "conclusion.closing": ("form", True),
    "other.heading": ("form", False),
    "other.text": ("form", True),
    "signature.unit": ("form", False),
    "signature.date": ("form", False),
}
ALL_NAMES = frozenset(name for names in CONTEXTS.values() for name in names)

# What a gap asks for when the template's [gaps] does not say.
DEFAULT_GAPS = {
    "code": "项目编码", "name": "项目名称", "year": "绩效自评年度", "implementing_unit": "实施单位",
    "budget_unit": "一级预算单位", "unit_code": "单位编码", "supervisor": "主管部门", "project_lead": "项目负责人",
    "initial_budget": "年初预算数", "annual_budget": "全年预算数", "executed": "全年执行数", "funds_points": "资金分值",
    "rate": "执行率", "funds_score": "资金得分", "funds_reason": "预算执行偏差的原因", "goal_expected": "预期目标",
    "goal_actual": "实际完成情况", "process": "项目实施内容及过程概述", "conclusion": "评价结论",
    "problems": "存在问题", "improvements": "改进措施", "other": "其他需说明的问题", "total_points": "总分值",
    "total_score": "总得分", "grade": "等级", "label": "资金项目", "source": "资金来源", "group": "一级指标",
    "points": "分值", "score": "得分", "level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
    "indicator": "指标名称", "nature": "指标性质", "target": "年度指标值", "unit": "度量单位", "actual": "实际完成值",
    "reason": "偏差原因分析及改进措施",
}

_FIELD = re.compile(r"\{([^{}]*)\}")


class TemplateError(ValueError):
    """A template that cannot be used; the message is Chinese and names the file and the key."""


@dataclass(frozen=True)
class Piece:
    """Literal text, or (field set) the name of a fact."""

    text: str
    field: bool = False


@dataclass(frozen=True)
class Segment:
    pieces: tuple[Piece, ...]
    optional: bool = False  # "[?…]": left out when a fact it names is absent or empty


Line = tuple[Segment, ...]


def parse_line(text: str, where: str, names: tuple[str, ...]) -> Line:
    """Raise TemplateError (naming `where`) for an unclosed "[?", a nested one, an unknown fact or a
    digit in the literal text."""
    segments: list[Segment] = []
    rest = text
    while rest:
        start = rest.find("[?")
        if start < 0:
            segments.append(Segment(_pieces(rest, where, names)))
            break
        if start:
            segments.append(Segment(_pieces(rest[:start], where, names)))
        end = rest.find("]", start)
        if end < 0:
            raise TemplateError(f"{where}：“[?”没有对应的“]”")
        inner = rest[start + 2:end]
        if "[?" in inner:
            raise TemplateError(f"{where}：“[?…]”不能嵌套")
        segments.append(Segment(_pieces(inner, where, names), optional=True))
        rest = rest[end + 1:]
    return tuple(segments)


def _pieces(text: str, where: str, names: tuple[str, ...]) -> tuple[Piece, ...]:
    pieces = []
    position = 0
    for match in _FIELD.finditer(text):
        pieces.append(Piece(text[position:match.start()]))
        name = match.group(1).strip()
        if name not in names:
            raise TemplateError(f"{where}：{{{name}}} 不是这里可用的字段（可用：{'、'.join(names)}）")
        pieces.append(Piece(name, field=True))
        position = match.end()
    pieces.append(Piece(text[position:]))
    for piece in pieces:
        if not piece.field:
            digit = next((ch for ch in unicodedata.normalize("NFKC", piece.text) if ch.isdigit()), None)
            if digit is not None:
                raise TemplateError(f"{where}：文字中有数字“{digit}”。报告中的数字只能来自自评表，"
                                    "请改用字段（如 {year}）或汉字（如 一、二）")
    return tuple(p for p in pieces if p.field or p.text)


def _present(value: str | None) -> bool:
    return value is not None and value.strip() != ""


@dataclass(frozen=True)
class Template:
    name: str
    layouts: tuple[str, ...]
    source: str
    lines: dict[str, tuple[Line, ...]]
    gaps: dict[str, str]

    def gap(self, name: str) -> str:
        return GAP.format(self.gaps.get(name) or DEFAULT_GAPS.get(name, name))

    def render(self, line: Line, values: dict[str, str | None]) -> str:
        out = []
        for segment in line:
            if segment.optional and not all(_present(values.get(p.text)) for p in segment.pieces if p.field):
                continue
            for piece in segment.pieces:
                if not piece.field:
                    out.append(piece.text)
                else:
                    value = values.get(piece.text)
                    out.append(value.strip() if _present(value) else self.gap(piece.text))  # type: ignore[union-attr]
        return "".join(out)

    def text(self, key: str, values: dict[str, str | None]) -> str:
        return self.render(self.lines[key][0], values)

    def paragraphs(self, key: str, values: dict[str, str | None]) -> list[str]:
        """The key's paragraphs, each a line of the report; one left empty (all optional) is dropped."""
        rendered = (self.render(line, values) for line in self.lines[key])
        return [text for text in rendered if text.strip()]


def parse_template(text: str, source: str = "") -> Template:
    """Raise TemplateError naming the key and the problem when `text` is not a usable template."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"格式错误：{exc}") from None
    name = data.get("name", "")
    if not isinstance(name, str):
        raise TemplateError(f"name 应为文字，实际为 {name!r}")
    layouts = data.get("layouts")
    if not isinstance(layouts, list) or not layouts or not all(isinstance(x, str) for x in layouts):
        raise TemplateError("layouts 应为版式列表，如 layouts = [\"A\", \"B\"]")
    gaps = data.get("gaps", {})
    if not isinstance(gaps, dict) or not all(isinstance(v, str) for v in gaps.values()):
        raise TemplateError("[gaps] 应为“字段 = 文字”的表")
    for gap_name, wording in gaps.items():
        if gap_name not in ALL_NAMES:
            raise TemplateError(f"gaps.{gap_name} 不是可用的字段")
        parse_line(wording, f"gaps.{gap_name}", ())  # no digits there either
    lines = {}
    for key, (context, many) in KEYS.items():
        value = _lookup(data, key)
        if isinstance(value, str):
            texts = [value]
        elif many and isinstance(value, list) and all(isinstance(x, str) for x in value):
            texts = value
        elif value is None:
            raise TemplateError(f"缺少 {key}")
        else:
            kind = "文字或文字列表" if many else "文字"
            raise TemplateError(f"{key} 应为{kind}，实际为 {value!r}")
        lines[key] = tuple(parse_line(t, key, CONTEXTS[context]) for t in texts)
    unknown = sorted(set(_leaves(data)) - set(KEYS) - {"name", "layouts"} - {f"gaps.{g}" for g in gaps})
    if unknown:
        raise TemplateError(f"{unknown[0]} 不是自评报告模板的已知项")
    return Template(name, tuple(layouts), source, lines, dict(gaps))


def _lookup(data: dict, key: str) -> object:
    value: object = data
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _leaves(data: dict, prefix: str = "") -> Iterator[str]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def load_template(path: str | Path) -> Template:
    """Raise TemplateError with a Chinese message naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if len(raw) > 1_000_000:
            raise TemplateError("文件超过 1 MB，不像自评报告模板")
        return parse_template(raw.decode("utf-8-sig"), str(path))
    except OSError as exc:
        raise TemplateError(f"无法读取自评报告模板 {path}：{os_reason(exc)}") from None
    except UnicodeDecodeError:
        raise TemplateError(f"自评报告模板 {path} 不是 UTF-8 编码的文本") from None
    except TemplateError as exc:
        if str(path) in str(exc):
            raise
        raise TemplateError(f"自评报告模板 {path} 有误：{exc}") from None


@functools.cache
def shipped_templates() -> tuple[Template, ...]:
    """The program's own templates. A broken one is a bug of ours: raise."""
    return tuple(load_template(path) for path in sorted(SHIPPED_FOLDER.glob("*.toml")))


@dataclass(frozen=True)
class TemplateChoice:
    template: Template | None  # None: no template covers the layout
    problems: tuple[str, ...] = ()


def unit_folder(db_path: str | Path | None) -> Path | None:
    """The unit's own templates: report_templates/ beside the database file."""
    return None if db_path is None else Path(db_path).resolve().parent / UNIT_FOLDER_NAME


def choose_template(layout: str, folder: Path | None = None, explicit: str | Path | None = None) -> TemplateChoice:
    """The template for a form of `layout`: `explicit` when given and usable, else the unit's file in
    `folder` that lists the layout, else the shipped one. Problems with the unit's files are returned
    (Chinese), never raised."""
    problems: list[str] = []
    if explicit is not None:
        try:
            return TemplateChoice(load_template(explicit))
        except TemplateError as exc:
            problems.append(f"{exc}；已改用内置模板。")
    elif folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                template = load_template(path)
            except TemplateError as exc:
                problems.append(f"{exc}；已跳过此文件。")
                continue
            if layout in template.layouts:
                return TemplateChoice(template, tuple(problems))
    for template in shipped_templates():
        if layout in template.layouts:
            return TemplateChoice(template, tuple(problems))
    problems.append(f"没有适用于版式 {layout} 的自评报告模板")
    return TemplateChoice(None, tuple(problems))
