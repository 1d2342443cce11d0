"""What the reader looks for in a sheet, worked out from a layout file: the labels a layout prints
and the field each one names, so that a clerk's file is read by its labels, never by positions,
and no label string is typed twice (the layout file holds them all).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from core.layout_files import REGISTRY, CellSpec, LayoutSpec, Part, known_layouts, layout_spec
from core.numbers import normalize_width
from core.text import norm

_BRACKETED = re.compile(r"\([^()]*\)$")


@functools.lru_cache(maxsize=4096)
def base(label: str) -> str:
    """A normalized label without a trailing bracketed part: "执行率(%)" -> "执行率"."""
    return _BRACKETED.sub("", label)


@dataclass(frozen=True)
class Label:
    """A label of the layout, as normalized text with its other spellings; an alternative ending
    in "*" matches any label that starts with it ("偏差原因*")."""

    text: str
    alternatives: tuple[str, ...] = ()

    @functools.cached_property
    def _exact(self) -> frozenset[str]:
        return frozenset(w for w in (self.text, *self.alternatives) if not w.endswith("*"))

    @functools.cached_property
    def _bases(self) -> frozenset[str]:
        return frozenset(b for b in map(base, self._exact) if b)

    @functools.cached_property
    def _prefixes(self) -> tuple[str, ...]:
        return tuple(w[:-1] for w in self.alternatives if w.endswith("*"))

    def found_in(self, texts: set[str], bases: set[str]) -> bool:
        """True when one of a sheet's texts (and their bases, see base()) is this label."""
        if self._exact & texts or self._bases & bases:
            return True
        return any(t.startswith(p) for p in self._prefixes for t in texts)

    def columns_in(self, by_text: dict[str, set[int]], by_base: dict[str, set[int]]) -> set[int]:
        """The columns where a sheet shows this label (texts and their bases mapped to columns)."""
        columns: set[int] = set()
        for text in self._exact:
            columns |= by_text.get(text, set())
        for text in self._bases:
            columns |= by_base.get(text, set())
        for prefix in self._prefixes:  # rare: aliases ending in "*"
            for text, where in by_text.items():
                if text.startswith(prefix):
                    columns |= where
        return columns

    def matches(self, found: str) -> bool:
        if not found:
            return False
        return found in self._exact or base(found) in self._bases or any(found.startswith(p) for p in self._prefixes)


@dataclass(frozen=True)
class Template:
    """A value printed inside fixed text: "({year}年度)", "{code}-{name}"."""

    text: str
    pattern: re.Pattern[str]
    fields: tuple[str, ...]

    def parse(self, value: str) -> dict[str, str] | None:
        match = self.pattern.fullmatch(normalize_width(value).strip())
        return None if match is None else {k: v.strip() for k, v in match.groupdict().items()}


PATTERNS = {"code": r"[0-9A-Za-z]{6,30}", "year": r"\d{4}"}


def template_of(text: str) -> Template:
    """The template's regular expression: fixed text matched leniently (width, spaces)."""
    fields = tuple(re.findall(r"\{(\w+)\}", text))
    parts = re.split(r"(\{\w+\})", normalize_width(text))
    pattern = ""
    for piece in parts:
        name = re.fullmatch(r"\{(\w+)\}", piece)
        if name:
            pattern += f"(?P<{name.group(1)}>{PATTERNS.get(name.group(1), '.+?')})"
        elif piece.strip():  # fixed text, spaces around and inside it tolerated ("代码 - 名称")
            pattern += r"\s*" + r"\s*".join(re.escape(ch) for ch in piece.replace(" ", "")) + r"\s*"
    return Template(text, re.compile(pattern, re.S), fields)


@dataclass(frozen=True)
class Column:
    """A table column: its heading and the key it fills (a field's last part, or "level1")."""

    label: Label
    key: str
    path: str  # the layout's field path ("fund_rows[0].executed", "indicators[].actual")
    instructions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    """How one layout is found in a sheet and read."""

    spec: LayoutSpec
    anchors: tuple[Label, ...]  # every label the layout prints: how well a sheet matches it
    header: tuple[tuple[Label, str, Template | None, tuple[str, ...]], ...]  # label, field, template, instructions
    templates: tuple[tuple[str, Template], ...]  # (field, template) printed without a label ("(2024年度)")
    funds: tuple[Column, ...]
    fund_rows: tuple[str, ...]
    goals: tuple[Column, ...]  # the heading above each goal text
    indicators: tuple[Column, ...]
    totals: tuple[Label, ...]  # the total row's labels (总分, 合计)
    stops: tuple[Label, ...]  # labels that end the funds table (what follows it)
    anchor_columns: tuple[int, ...] = ()  # the column each anchor is printed in (1 = A)
    goals_first: bool = False  # the goals stand above the funds table (四川's 项目基本情况)

    @property
    def layout_id(self) -> str:
        return self.spec.id


def _label(cell: CellSpec) -> Label:
    return Label(norm(cell.text), tuple(norm(a[:-1]) + "*" if a.endswith("*") else norm(a) for a in cell.aliases))


def _heading(header: tuple[CellSpec, ...], cell: CellSpec) -> CellSpec | None:
    for above in header:
        if above.role == "label" and above.first_col <= cell.first_col <= above.last_col and norm(above.text):
            return above
    return None


def _key(path: str) -> str:
    if path.startswith("groups["):
        return "level1"
    if path.startswith("funds."):
        return path[len("funds."):]
    return path.rsplit(".", 1)[-1]


@functools.lru_cache(maxsize=64)
def reading_of(layout_id: str) -> Reading:
    spec = layout_spec(layout_id)
    assert spec is not None, layout_id
    return _reading(spec)


def _reading(spec: LayoutSpec) -> Reading:
    anchors: list[Label] = []
    anchor_columns: list[int] = []
    header: list[tuple[Label, str, Template | None, tuple[str, ...]]] = []
    templates: list[tuple[str, Template]] = []
    funds: list[Column] = []
    goals: list[Column] = []
    indicators: list[Column] = []
    totals: list[Label] = []
    fund_rows: tuple[str, ...] = ()
    stops: list[Label] = []
    seen_funds = False
    goals_first = False
    for part in spec.parts:
        labels = [c for row in part.rows for c in row] + list(part.header) + list(part.total)
        for cell in labels:
            if cell.role in ("label", "title", "section") and norm(cell.text) not in ("", "—", "/"):
                anchors.append(_label(cell))
                anchor_columns.append(cell.first_col)
                if seen_funds and part.kind != "funds":
                    stops.append(_label(cell))
        if part.kind == "funds":
            seen_funds = True
            fund_rows = part.fund_rows
            for cell in part.rows[1]:
                if cell.field and (above := _heading(part.rows[0], cell)) is not None:
                    funds.append(Column(_label(above), _key(cell.field), cell.field, cell.instructions))
        elif part.kind == "goals":
            goals_first = goals_first or not seen_funds
            for row in part.rows[1:]:
                for cell in row:
                    if cell.field and (above := _heading(part.rows[0], cell)) is not None:
                        goals.append(Column(_label(above), cell.field, cell.field, cell.instructions))
        elif part.kind == "indicators":
            for cell in part.row:
                if cell.field and (above := _heading(part.header, cell)) is not None:
                    indicators.append(Column(_label(above), _key(cell.field), cell.field, cell.instructions))
            totals.extend(_label(c) for c in part.total if c.role == "label" and norm(c.text) not in ("", "—"))
        else:
            _rows_part(part, header, templates)
    return Reading(spec, tuple(anchors), tuple(header), tuple(templates), tuple(funds), fund_rows, tuple(goals),
                   tuple(indicators), tuple(totals), tuple(stops), tuple(anchor_columns), goals_first)


def _rows_part(part: Part, header: list, templates: list) -> None:
    for row in part.rows:
        for cell in row:
            if not cell.field:
                continue
            template = template_of(cell.template) if cell.template else None
            left = [c for c in row if c.role == "label" and c.last_col < cell.first_col and norm(c.text)]
            if left:
                header.append((_label(max(left, key=lambda c: c.last_col)), cell.field, template, cell.instructions))
            elif template is not None:
                templates.append((cell.field, template))


def readings() -> list[Reading]:
    """One Reading per known layout (shipped and a unit's)."""
    return [reading_of(spec.id) if spec.source == "shipped" else _reading(spec) for spec in known_layouts()]


# An instruction a template leaves in a clerk's cell ends in its length limit: "…(100字以内)".
_INSTRUCTION = re.compile(r"^(对照|结合|针对|说明|简要说明|请|填写|按照).{4,}[(（]\s*\d+\s*字以内\s*[)）][。.]?$", re.S)
_SEPARATORS = " \t\n:：,，;；。."


def answer_in(text: str, instructions: tuple[str, ...] = ()) -> str:
    """The clerk's answer in a cell that may still hold the template's instruction: "" when it
    holds only the instruction (one the layout lists, compared as labels are, or any text shaped
    like one); what follows when the clerk wrote on after it; otherwise the text as it is."""
    stripped = normalize_width(text).strip()
    if not stripped:
        return text
    squeezed = norm(stripped)
    for instruction in instructions:
        wanted = norm(instruction)
        if not wanted:
            continue
        if squeezed == wanted:
            return ""
        if squeezed.startswith(wanted):
            return _after(stripped, wanted).lstrip(_SEPARATORS)
    return "" if _INSTRUCTION.match(stripped) else text


def _after(text: str, prefix: str) -> str:
    """`text` after the characters of `prefix` (spaces in `text` skipped, as norm() drops them)."""
    matched = 0
    for index, ch in enumerate(text):
        if matched == len(prefix):
            return text[index:]
        if ch.isspace():
            continue
        matched += 1
    return ""


# Rows a template keeps empty for more indicators ("指标2", "……"): not indicators, not errors.
_PLACEHOLDER = re.compile(r"^(指标\s*\d+|[…．.。·\s]+|……)$")


def is_placeholder(level3: str) -> bool:
    return bool(_PLACEHOLDER.match(normalize_width(level3).strip())) if level3.strip() else False


REGISTRY.on_change.append(reading_of.cache_clear)
