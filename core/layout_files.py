"""Layout files: a form's layout as data (resources/layouts/<id>.toml, or a unit's own folder).

A layout describes the sheet as parts, top to bottom — rows of labels and fields, the funds table,
the goals, the indicator table as a repeating row with its group column and its total row, text
parts, a note — and, per layout, its money unit, decimals, printed number formats, rule profile and
how a form is identified. core.layouts builds the sheet of a form from it; the xlsx reader finds
the same labels in a clerk's file. docs/layouts.md is the guide for a unit's IT person.

Every problem of a file is reported with the key path where it sits ("parts[3].rows[1][2].role")
and, for TOML syntax errors, the line — in Chinese, so the person who wrote it can fix it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from core.cell_refs import column_letter, column_number
from core.fields import definition, generic
from core.paths import resource
from core.profile import forget_layout_profiles, layout_profile_problem
from core.text import CELL_CHARS

ROLES = ("title", "section", "label", "system", "clerk", "computed", "note")
KINDS = ("rows", "funds", "goals", "indicators")
IDENTITIES = ("code", "code_in_name", "name_year_unit")
FORMAT_KEYS = ("amount", "points", "rate", "funds_points")
NUMBER_FORMATS = re.compile(r"General|0(\.0+)?%?")
TOP_KEYS = {"id", "name", "family", "profile", "money_unit", "amount_places", "identity", "code_pattern", "font",
            "widths", "formats", "parts", "system_recomputes", "hand_filled"}
T = TypeVar("T")
TEXT_KINDS = ("text", "long")  # the field kinds a clerk writes words in (core.fields)
CELL_KEYS = {"at", "down", "role", "text", "field", "format", "align", "bold", "aliases", "template", "instructions",
             "max_chars"}
# Fields a template ("{code}-{name}") may hold, and what each looks like in the cell.
TEMPLATE_PATTERNS = {"code": r"[0-9A-Za-z]{6,30}", "year": r"\d{4}", "name": r".+?", "implementing_unit": r".+?",
                     "supervisor": r".+?"}


class LayoutError(Exception):
    """A layout file that cannot be used. Each of `problems` (Chinese) names a key path or a line;
    the message is all of them, a line each: a unit's IT person mends every cell at once."""

    def __init__(self, *problems: str):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _each(items: list, parse: Callable[[int, object], T]) -> tuple[T, ...]:
    """`parse(i, item)` of every item; the problems of all of them, when there are any."""
    parsed, problems = [], []
    for i, item in enumerate(items):
        try:
            parsed.append(parse(i, item))
        except LayoutError as exc:
            problems += exc.problems
    if problems:
        raise LayoutError(*problems)
    return tuple(parsed)


@dataclass(frozen=True)
class CellSpec:
    """One cell as the file describes it. `down` is a row count, or "all" for a label beside the
    whole indicator table (header, every row, total), or "rows" for one beside the header and the
    indicator rows only (四川's 绩效指标(90分), whose 合计 row runs under it)."""

    first_col: int
    last_col: int
    role: str
    text: str = ""
    field: str | None = None
    down: int | str = 1
    format: str = "@"  # a FORMAT_KEYS name or a number format; "@" is text
    align: str = "center"
    bold: bool = False
    aliases: tuple[str, ...] = ()  # other spellings of a label seen in real files
    template: str | None = None  # "{code}-{name}", "({year}年度)": the value printed inside fixed text
    instructions: tuple[str, ...] = ()  # the template's own instructions left in the cell: not answers
    max_chars: int | None = None  # the template's own limit on the answer ("(200字以内)"), in characters


@dataclass(frozen=True)
class Part:
    kind: str
    rows: tuple[tuple[CellSpec, ...], ...] = ()
    gap: int = 0  # empty rows before the part
    fund_rows: tuple[str, ...] = ()  # funds: the standard labels of its rows (the first is the total)
    header: tuple[CellSpec, ...] = ()  # indicators
    row: tuple[CellSpec, ...] = ()
    total: tuple[CellSpec, ...] = ()
    group_label: str = "{name}"  # indicators: how a group's cell prints ("{name} ({points}分)")


@dataclass(frozen=True)
class LayoutSpec:
    id: str
    name: str
    widths: tuple[float, ...]
    parts: tuple[Part, ...]
    family: str = ""
    profile: str = "rule_profile"
    money_unit: str = "元"
    amount_places: int = 2
    identity: str = "code"
    # How the region's 项目代码 looks (a regular expression), for code_in_name layouts: a 项目名称
    # cell that holds only such a code is read as the code, its name missing. "" when unknown:
    # such a cell is then read as the name.
    code_pattern: str = ""
    font: str = "宋体"
    formats: dict[str, str] = field(default_factory=dict)
    # True where the budget system recomputes 执行率, 得分 and 总分 when the file is imported (深圳):
    # an export into the copy leaves those grey cells alone. False for hand-filled templates: the
    # export writes the recomputed values into them (never over a formula).
    system_recomputes: bool = True
    # True for a template the clerk fills by hand (河北, 安徽, 中江): no budget system owns its grey
    # cells, so they are edited without unlocking and exported without the system's warning.
    hand_filled: bool = False
    source: str = "shipped"  # "shipped" or "unit" (a unit's own file)
    path: Path | None = None

    @property
    def columns(self) -> int:
        return len(self.widths)

    def number_format(self, name: str) -> str:
        """A cell's number format: a FORMAT_KEYS name through [formats], anything else as written."""
        return self.formats.get(name, "General") if name in FORMAT_KEYS else name

    def cells(self) -> Iterator[tuple[str, Part, CellSpec]]:
        """Every CellSpec of the file, with its key path (for checks and the reader)."""
        for p, part in enumerate(self.parts):
            for r, row in enumerate(part.rows):
                for c, cell in enumerate(row):
                    yield f"parts[{p}].rows[{r}][{c}]", part, cell
            for name in ("header", "row", "total"):
                for c, cell in enumerate(getattr(part, name)):
                    yield f"parts[{p}].{name}[{c}]", part, cell

    @property
    def indicators_part(self) -> Part:
        return next(part for part in self.parts if part.kind == "indicators")  # exactly one: checked

    def has_field(self, path: str) -> bool:
        """True when the layout places this field (any row index)."""
        wanted = generic(path)
        for _, _, cell in self.cells():
            if cell.field is not None and generic(cell.field) == wanted:
                return True
            if cell.template and f"{{{wanted}}}" in cell.template:
                return True
        return False


# -- parsing -----------------------------------------------------------------------------------------

def _at(value: object, where: str, columns: int) -> tuple[int, int]:
    if not isinstance(value, str) or not re.fullmatch(r"\s*[A-Za-z]{1,2}\s*(:\s*[A-Za-z]{1,2}\s*)?", value):
        raise LayoutError(f"{where}.at：应为列字母如 \"B\" 或范围如 \"B:D\"，实际为 {value!r}")
    first, _, last = value.partition(":")
    a, b = column_number(first), column_number(last or first)
    if a > b:
        raise LayoutError(f"{where}.at：范围“{value}”的起始列在结束列之后")
    if b > columns:
        raise LayoutError(f"{where}.at：列“{value}”超出了 widths 给出的 {columns} 列")
    return a, b


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise LayoutError(f"{where}：应为文字或文字列表，实际为 {value!r}")


def _cell(data: object, where: str, columns: int, kind: str) -> CellSpec:
    if not isinstance(data, dict):
        raise LayoutError(f"{where}：应为一个单元格 {{at = …, role = …}}，实际为 {data!r}")
    unknown = set(data) - CELL_KEYS
    if unknown:
        raise LayoutError(f"{where}：未知的键 {'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(CELL_KEYS))}）")
    first, last = _at(data.get("at"), where, columns)
    role = data.get("role")
    if role not in ROLES:
        raise LayoutError(f"{where}.role：未知的角色 {role!r}（可用：{'、'.join(ROLES)}）")
    text = data.get("text", "")
    if not isinstance(text, str):
        raise LayoutError(f"{where}.text：应为文字，实际为 {text!r}")
    path = data.get("field")
    template = data.get("template")
    if path is not None:
        if not isinstance(path, str) or definition(path.replace("[]", "[0]")) is None:
            raise LayoutError(f"{where}.field：没有名为 {path!r} 的字段（见 docs/layouts.md 的字段表）")
        if "[]" in path and kind != "indicators" and not path.startswith("fund_rows"):
            raise LayoutError(f"{where}.field：“{path}”里的 [] 只能用在指标部分的 row 中")
        if role in ("label", "title", "section", "note"):
            raise LayoutError(f"{where}：角色为 {role} 的单元格不能有 field（字段请用 system、clerk 或 computed）")
        if role == "computed" and definition(path.replace("[]", "[0]")).kind != "computed":  # type: ignore[union-attr]
            raise LayoutError(f"{where}：字段“{path}”由填表人或系统填写，不是程序计算的，角色不能是 computed")
        if role != "computed" and definition(path.replace("[]", "[0]")).kind == "computed":  # type: ignore[union-attr]
            raise LayoutError(f"{where}：字段“{path}”由程序计算，角色应为 computed")
    elif role in ("system", "clerk", "computed"):
        raise LayoutError(f"{where}：角色为 {role} 的单元格需要 field")
    if template is not None:
        if not isinstance(template, str):
            raise LayoutError(f"{where}.template：应为文字，实际为 {template!r}")
        names = re.findall(r"\{(\w+)\}", template)
        bad = [n for n in names if n not in TEMPLATE_PATTERNS]
        if not names or bad:
            raise LayoutError(f"{where}.template：模板“{template}”应含 {{code}}、{{name}}、{{year}} 等字段"
                              + (f"，不认识 {'、'.join(bad)}" if bad else ""))
        if path not in names:
            raise LayoutError(f"{where}.template：模板“{template}”应含本单元格的字段 {{{path}}}")
    down = data.get("down", 1)
    if not (down in ("all", "rows") and kind == "indicators") and not (isinstance(down, int) and down >= 1):
        allowed = "正整数、\"all\" 或 \"rows\"" if kind == "indicators" else "正整数"
        raise LayoutError(f"{where}.down：应为{allowed}，实际为 {down!r}")
    number_format = data.get("format", "@")
    if number_format != "@" and number_format not in FORMAT_KEYS and not (
            isinstance(number_format, str) and NUMBER_FORMATS.fullmatch(number_format)):
        raise LayoutError(f"{where}.format：应为 {'、'.join(FORMAT_KEYS)} 之一或数字格式如 \"0.00\"，"
                          f"实际为 {number_format!r}")
    align = data.get("align", "center")
    if align not in ("center", "left"):
        raise LayoutError(f"{where}.align：应为 \"center\" 或 \"left\"，实际为 {align!r}")
    bold = data.get("bold", False)
    if not isinstance(bold, bool):
        raise LayoutError(f"{where}.bold：应为 true 或 false，实际为 {bold!r}")
    max_chars = data.get("max_chars")
    if max_chars is not None:
        if isinstance(max_chars, bool) or not isinstance(max_chars, int) or not 1 <= max_chars <= CELL_CHARS:
            raise LayoutError(f"{where}.max_chars：应为 1 到 {CELL_CHARS} 的整数（字数上限），实际为 {max_chars!r}")
        if path is None or role != "clerk" or definition(path.replace("[]", "[0]")).kind not in TEXT_KINDS:  # type: ignore[union-attr]
            raise LayoutError(f"{where}.max_chars：只能用在填表人填写文字的单元格（role = \"clerk\"，文字字段）")
    return CellSpec(first, last, role, text, path, down, number_format, align, bold,
                    _strings(data.get("aliases", []), f"{where}.aliases"), template,
                    _strings(data.get("instructions", []), f"{where}.instructions"), max_chars)


def _row(data: object, where: str, columns: int, kind: str) -> tuple[CellSpec, ...]:
    if not isinstance(data, list):
        raise LayoutError(f"{where}：应为单元格列表，实际为 {data!r}")
    return _each(data, lambda i, c: _cell(c, f"{where}[{i}]", columns, kind))


def _check_overlaps(rows: list[tuple[str, tuple[CellSpec, ...]]], all_rows: int | None = None) -> None:
    """No two cells share a grid square: cells of a row, and a cell reaching down (`down`) into the
    rows under it. `all_rows` is how far down = "all" reaches (the indicator part's rows)."""
    taken: dict[tuple[int, int], str] = {}
    for r, (where, cells) in enumerate(rows):
        for i, cell in enumerate(cells):
            reach = {"all": all_rows or 1, "rows": (all_rows or 1) - 1}
            down = reach[cell.down] if isinstance(cell.down, str) else cell.down
            for rr in range(r, r + down):
                for col in range(cell.first_col, cell.last_col + 1):
                    if (rr, col) in taken:
                        other = taken[(rr, col)]
                        how = "同一行" if other.startswith(where + "[") else "上方单元格向下合并的区域"
                        raise LayoutError(f"{where}[{i}]：与 {other} 重叠（{how}的 {column_letter(col)} 列）")
                    taken[(rr, col)] = f"{where}[{i}]"


def _part(data: object, where: str, columns: int) -> Part:
    if not isinstance(data, dict):
        raise LayoutError(f"{where}：应为一个部分 [[parts]]")
    kind = data.get("kind")
    if kind not in KINDS:
        raise LayoutError(f"{where}.kind：未知的部分 {kind!r}（可用：{'、'.join(KINDS)}）")
    gap = data.get("gap", 0)
    if not isinstance(gap, int) or gap < 0:
        raise LayoutError(f"{where}.gap：应为不小于 0 的整数，实际为 {gap!r}")
    if kind == "indicators":
        for key in ("header", "row", "total"):
            if key not in data:
                what = {"header": "表头行", "row": "重复的指标行", "total": "总分（合计）行"}[key]
                raise LayoutError(f"{where}.{key}：指标部分缺少{what}")
        header, row, total = _each(["header", "row", "total"],
                                   lambda _, key: _row(data[key], f"{where}.{key}", columns, kind))
        _check_overlaps([(f"{where}.header", header), (f"{where}.row", row), (f"{where}.total", total)], 3)
        if not any(c.field == "groups[].points" for c in row):
            raise LayoutError(f"{where}.row：缺少一级指标（分组）所在的列：一个 field = \"groups[].points\" 的单元格")
        fields_in_total = {c.field for c in total}
        if not {"total_points", "total_score"} <= fields_in_total:
            raise LayoutError(f"{where}.total：总分（合计）行应有 field = \"total_points\" 和 "
                              "\"total_score\" 两个单元格")
        for name in ("indicators[].points", "indicators[].score"):
            if not any(c.field == name for c in row):
                raise LayoutError(f"{where}.row：缺少 {name}（每个指标的{'分值' if 'points' in name else '得分'}）")
        group_label = data.get("group_label", "{name}")
        if not isinstance(group_label, str) or "{name}" not in group_label:
            raise LayoutError(f"{where}.group_label：应含 {{name}}（可再含 {{points}}），实际为 {group_label!r}")
        return Part(kind, gap=gap, header=header, row=row, total=total, group_label=group_label)
    rows_data = data.get("rows")
    if not isinstance(rows_data, list) or not rows_data:
        raise LayoutError(f"{where}.rows：应为非空的行列表")
    rows = _each(rows_data, lambda i, r: _row(r, f"{where}.rows[{i}]", columns, kind))
    _check_overlaps([(f"{where}.rows[{i}]", r) for i, r in enumerate(rows)])
    fund_rows: tuple[str, ...] = ()
    if kind == "funds":
        fund_rows = _strings(data.get("fund_rows", []), f"{where}.fund_rows")
        if not fund_rows:
            raise LayoutError(f"{where}.fund_rows：资金部分应列出各资金行的名称（第一行为总额）")
        if len(rows) != len(fund_rows) + 1:
            raise LayoutError(f"{where}.rows：应有表头一行加每个资金行一行，共 {len(fund_rows) + 1} 行，"
                              f"实际 {len(rows)} 行")
    return Part(kind, rows, gap, fund_rows)


LAYOUT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")


def _is_layout_id(text: str) -> bool:
    return LAYOUT_ID.fullmatch(text) is not None  # also keeps a stored form's id from naming a path


def parse_layout(text: str, source: str = "shipped", path: Path | None = None) -> LayoutSpec:
    """The layout in `text`; LayoutError naming the key path (or the line) of the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        lead = f"第 {where.group(1)} 行第 {where.group(2)} 列：" if where else ""
        raise LayoutError(f"{lead}TOML 语法错误（{message}）") from None
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise LayoutError(f"未知的键 {'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(TOP_KEYS))}）")
    for key in ("id", "name", "widths", "parts"):
        if key not in data:
            raise LayoutError(f"{key}：缺少这个键")
    layout_id = data["id"]
    if not isinstance(layout_id, str) or not _is_layout_id(layout_id):
        raise LayoutError(f"id：应为字母、数字、-、_ 组成的编号，实际为 {layout_id!r}")
    widths = data["widths"]
    if not isinstance(widths, list) or not widths or not all(isinstance(w, (int, float)) and 0 < w <= 255
                                                             for w in widths):
        raise LayoutError(f"widths：应为各列宽度（正数，Excel 字符宽度）的列表，实际为 {widths!r}")
    for key in ("name", "family", "profile", "money_unit", "font"):
        if key in data and not isinstance(data[key], str):
            raise LayoutError(f"{key}：应为文字，实际为 {data[key]!r}")
    places = data.get("amount_places", 2)
    if not isinstance(places, int) or not 0 <= places <= 6:
        raise LayoutError(f"amount_places：应为 0 到 6 的整数，实际为 {places!r}")
    identity = data.get("identity", "code")
    if identity not in IDENTITIES:
        raise LayoutError(f"identity：应为 {'、'.join(IDENTITIES)} 之一，实际为 {identity!r}")
    code_pattern = data.get("code_pattern", "")
    if not isinstance(code_pattern, str) or not _compiles(code_pattern):
        raise LayoutError("code_pattern：应为项目代码的正则表达式，如 '\\d{8}[A-Z]\\d{12}'，"
                          f"实际为 {code_pattern!r}")
    recomputes, hand_filled = data.get("system_recomputes", True), data.get("hand_filled", False)
    for key, value in (("system_recomputes", recomputes), ("hand_filled", hand_filled)):
        if not isinstance(value, bool):
            raise LayoutError(f"{key}：应为 true 或 false，实际为 {value!r}")
    formats = data.get("formats", {})
    if not isinstance(formats, dict):
        raise LayoutError("formats：应为一个表 [formats]")
    for key, value in formats.items():
        if key not in FORMAT_KEYS:
            raise LayoutError(f"formats.{key}：未知的格式名（可用：{'、'.join(FORMAT_KEYS)}）")
        if not isinstance(value, str) or not NUMBER_FORMATS.fullmatch(value):
            raise LayoutError(f"formats.{key}：应为数字格式如 \"0.00\"、\"0.0000\"、\"0%\" 或 \"General\"，"
                              f"实际为 {value!r}")
    parts_data = data["parts"]
    if not isinstance(parts_data, list) or not parts_data:
        raise LayoutError("parts：应有至少一个部分 [[parts]]")
    columns = len(widths)
    parts = _each(parts_data, lambda i, p: _part(p, f"parts[{i}]", columns))
    spec = LayoutSpec(id=layout_id, name=data["name"], widths=tuple(widths),
                      parts=parts, family=data.get("family", ""), profile=data.get("profile", "rule_profile"),
                      money_unit=data.get("money_unit", "元"), amount_places=places, identity=identity,
                      code_pattern=code_pattern,
                      font=data.get("font", "宋体"), formats=dict(formats), system_recomputes=recomputes,
                      hand_filled=hand_filled, source=source, path=path)
    _check_whole(spec)
    return spec


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _sheet_rows(spec: LayoutSpec) -> list[tuple[str, tuple[CellSpec, ...]]]:
    """The rows a form of this layout has, top to bottom, with two indicator rows (where a cell
    merged down into the next row, or into the next part, shows)."""
    rows: list[tuple[str, tuple[CellSpec, ...]]] = []
    for p, part in enumerate(spec.parts):
        rows += [("", ())] * part.gap
        if part.kind == "indicators":
            rows += [(f"parts[{p}].header", part.header), (f"parts[{p}].row", part.row),
                     (f"parts[{p}].row", part.row), (f"parts[{p}].total", part.total)]
        else:
            rows += [(f"parts[{p}].rows[{r}]", row) for r, row in enumerate(part.rows)]
    return rows


def _check_whole(spec: LayoutSpec) -> None:
    _check_overlaps(_sheet_rows(spec), 4)  # across parts too: a down that reaches into the next part
    kinds = [p.kind for p in spec.parts]
    if kinds.count("indicators") != 1:
        raise LayoutError(f"parts：应有且只有一个 kind = \"indicators\" 的指标部分，"
                          f"实际 {kinds.count('indicators')} 个")
    if kinds.count("funds") != 1:
        raise LayoutError(f"parts：应有且只有一个 kind = \"funds\" 的资金部分，实际 {kinds.count('funds')} 个")
    seen: dict[str, str] = {}
    for where, _, cell in spec.cells():
        if cell.field is not None:
            if cell.field in seen:
                raise LayoutError(f"{where}：字段“{cell.field}”已在 {seen[cell.field]} 出现过")
            seen[cell.field] = where
    if spec.identity == "code" and not spec.has_field("code"):
        raise LayoutError("identity：为 \"code\" 时版式中应有 field = \"code\" 的单元格（或改用 \"name_year_unit\"）")
    if spec.identity == "code_in_name" and not any(c.template and "{code}" in c.template for _, _, c in spec.cells()):
        raise LayoutError("identity：为 \"code_in_name\" 时应有 template 含 {code} 的单元格，如 \"{code}-{name}\"")
    for needed in ("fund_rows[0].annual_budget", "fund_rows[0].executed", "funds.points"):
        if not spec.has_field(needed):
            raise LayoutError(f"parts：资金部分缺少字段“{needed}”")


# -- the known layouts -------------------------------------------------------------------------------

class LayoutRegistry:
    """The shipped layouts and a unit's own (a `layouts/` folder beside the database, or --layouts).
    A unit's file may not reuse a shipped id."""

    def __init__(self) -> None:
        self._layouts: dict[str, LayoutSpec] = {}
        self.problems: list[str] = []  # unit files that could not be used (Chinese, naming the file)
        self._shipped_loaded = False
        self._not_shipped: set[str] = set()  # ids whose file, on a disk ignoring case, is another id's
        # What is worked out from a layout by id (sheets, readings, facts) is cached by the modules
        # that work it out; they register here to forget it when the set of layouts changes.
        self.on_change: list[Callable[[], None]] = []

    def _changed(self) -> None:
        for forget in self.on_change:
            forget()

    def _load_shipped(self) -> None:
        if self._shipped_loaded:
            return
        self._shipped_loaded = True
        for path in sorted(resource("layouts").glob("*.toml")):
            if path.stem not in self._layouts:
                self._load_one_shipped(path)

    def _load_one_shipped(self, path: Path) -> LayoutSpec:
        spec = parse_layout(path.read_text(encoding="utf-8"), "shipped", path)  # ours: a broken one is a bug
        return self._layouts.setdefault(spec.id, spec)  # one object per layout: caches compare by identity

    def _shipped(self, layout_id: str) -> LayoutSpec | None:
        """The shipped layout `layout_id`, parsed when first asked for: start-up opens one form, and
        parsing all five files would cost ~6 ms of it. A shipped file is named by its id (a test
        checks), but ids are case-sensitive and the disks of Windows and macOS are not: "b.toml"
        finds "B.toml" there, so the file's own id must be the one asked for."""
        spec = self._layouts.get(layout_id)
        if spec is not None or self._shipped_loaded:
            return spec if spec is not None and spec.source == "shipped" else None
        path = resource("layouts") / f"{layout_id}.toml"
        if layout_id in self._not_shipped or not _is_layout_id(layout_id) or not path.is_file():
            return None
        spec = self._load_one_shipped(path)
        if spec.id != layout_id:
            self._not_shipped.add(layout_id)  # not parsed again each time a form of it is shown
            return None
        return spec

    def _is_shipped(self, layout_id: str) -> bool:
        return self._shipped(layout_id) is not None

    def get(self, layout_id: str) -> LayoutSpec | None:
        return self._layouts.get(layout_id) or self._shipped(layout_id)

    def all(self) -> list[LayoutSpec]:
        self._load_shipped()
        return sorted(self._layouts.values(), key=lambda s: (s.source != "shipped", s.id))

    def add_folder(self, folder: str | Path) -> list[str]:
        """Load a unit's layout files from `folder`; returns (and keeps) the problems, one line each."""
        problems: list[str] = []
        folder = Path(folder)
        if not folder.is_dir():
            return problems
        for path in sorted(folder.glob("*.toml")):
            try:
                text = path.read_text(encoding="utf-8-sig")
                if _is_rule_profile(text):
                    continue  # a unit's own rules beside its layouts (docs/layouts.md §6)
                spec = parse_layout(text, "unit", path)
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"版式文件 {path} 无法读取：{exc}")
                continue
            except LayoutError as exc:
                problems.append(f"版式文件 {path} 有误：" + "\n    ".join(exc.problems))
                continue
            if self._is_shipped(spec.id):
                problems.append(f"版式文件 {path} 的 id “{spec.id}”与程序自带的版式相同，未使用；请换一个 id")
                continue
            existing = self._layouts.get(spec.id)
            if existing is not None and existing.path != path:
                problems.append(f"版式文件 {path} 的 id “{spec.id}”与 {existing.path} 相同，未使用")
                continue
            self._layouts[spec.id] = spec
            rules = layout_profile_problem(spec.profile, path.parent)
            if rules:
                problems.append(f"版式文件 {path}：{rules}；这种表暂按程序自带的规则评分")
        self.problems.extend(problems)
        self._changed()
        return problems

    def forget_unit_layouts(self) -> None:
        """Back to the shipped layouts only (another database's folder, or a test's)."""
        self._layouts = {k: v for k, v in self._layouts.items() if v.source == "shipped"}
        self.problems.clear()
        self._changed()


def _is_rule_profile(text: str) -> bool:
    """A rule profile (it has [weights] and no parts), not a layout."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return "weights" in data and "parts" not in data and "id" not in data


REGISTRY = LayoutRegistry()
REGISTRY.on_change.append(forget_layout_profiles)


def layout_spec(layout_id: str) -> LayoutSpec | None:
    """The layout with this id (shipped or a unit's), None when no file describes it."""
    return REGISTRY.get(layout_id)


def known_layouts() -> list[LayoutSpec]:
    return REGISTRY.all()


def add_layout_folder(folder: str | Path) -> list[str]:
    return REGISTRY.add_folder(folder)


def forget_unit_layouts() -> None:
    REGISTRY.forget_unit_layouts()
