"""The two official layouts (版式 A and B) as data: where every label and field sits on the sheet.

One description per layout drives every face of a form — the Qt grid, the xlsx writer and the PDF —
so the screen, the file and the paper cannot disagree. The xlsx reader does not depend on positions
(it finds parts by their labels) but uses the label texts defined here.

Rows and columns are 1-based, as in a spreadsheet. A cell's `field` is a path of core.fields.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum

from core.arithmetic import Computed
from core.cell_refs import column_letter
from core.fields import AMOUNT_COLUMNS, canonical, definition, field_label, generic, split, value_at
from core.layout_files import REGISTRY, CellSpec, LayoutSpec, layout_spec
from core.model import Form, FundRow, blank_indicators, groups_of
from core.numbers import Entry, compact, entry_text

TITLE = "项目支出绩效自评表"
FONT_NAME = "宋体"
TOTAL_LABEL = "总分"
NOT_APPLICABLE_CELL = "—"


class Role(Enum):
    """What a cell is. Everything but CLERK (and the title and note) is grey: the system owns it."""

    TITLE = "title"
    SECTION = "section"  # a heading spanning the table: 资金使用情况, 项目目标完成情况
    LABEL = "label"  # fixed text: 项目编码：, 年初预算数, 总分, "—"
    SYSTEM = "system"  # a value the budget system fills (grey)
    CLERK = "clerk"  # a value the clerk fills (white)
    COMPUTED = "computed"  # recomputed by the program (grey)
    NOTE = "note"  # layout A's 备注 block

    @property
    def grey(self) -> bool:
        return self not in (Role.CLERK, Role.TITLE, Role.NOTE)


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    role: Role
    text: str = ""  # fixed text of a label; for a field cell, empty
    field: str | None = None
    rowspan: int = 1
    colspan: int = 1
    number_format: str = "@"  # "@" text, "General", "0", "0.00", "0.0000"
    align: str = "center"  # "center" or "left"
    bold: bool = False
    template: str | None = None  # the value printed inside fixed text: "({year}年度)", "{code}-{name}",
    #                              for the 一级指标 cell "{name} ({points}分)"

    @functools.cached_property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1

    @property
    def range_ref(self) -> str:
        end = f"{column_letter(self.last_col)}{self.last_row}"
        return self.ref if end == self.ref else f"{self.ref}:{end}"

    @property
    def merged(self) -> bool:
        return self.rowspan > 1 or self.colspan > 1


@dataclass(frozen=True)
class SheetLayout:
    """A form's sheet, cell by cell: its layout file applied to its indicator groups."""

    version: str  # the layout's id
    columns: int
    column_widths: tuple[float, ...]
    cells: tuple[Cell, ...]
    rows: int
    indicator_header_row: int
    indicator_rows: tuple[int, ...]
    total_row: int
    # row -> the row of column headings its values sit under; a table continued on a new page
    # (PDF) repeats that heading row above the continued rows.
    headings: dict[int, int] = field(compare=False, repr=False, default_factory=dict)
    by_field: dict[str, Cell] = field(compare=False, repr=False, default_factory=dict)
    by_position: dict[tuple[int, int], Cell] = field(compare=False, repr=False, default_factory=dict)
    spec: LayoutSpec | None = field(compare=False, repr=False, default=None)

    def cell_of(self, path: str) -> Cell | None:
        return self.by_field.get(canonical(path))

    def heading_of(self, row: int) -> int | None:
        """The heading row to repeat above `row` when the table continues on a new page."""
        return self.headings.get(row)

    @functools.cached_property
    def origins(self) -> dict[tuple[int, int], Cell]:
        """Cells by their top-left position, 0-based (row, column) as a Qt model counts."""
        return {(c.row - 1, c.col - 1): c for c in self.cells}

    @functools.cached_property
    def computed_fields(self) -> tuple[str, ...]:
        """Fields the program recomputes (rates, scores, group points, totals)."""
        return tuple(c.field for c in self.cells if c.field and (c.role is Role.COMPUTED))

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell whose top-left is (row, col), or that covers it when merged."""
        return self.by_position.get((row, col))


class UnknownLayoutError(Exception):
    """A form names a layout no file describes (a unit's file removed or renamed)."""

    def __init__(self, layout_id: str):
        super().__init__(f"没有找到版式“{layout_id}”的版式文件（可能已被删除或改名）：本表只能查看，放回该版式文件后才能导出")
        self.layout_id = layout_id


def spec_of(layout_id: str) -> LayoutSpec:
    """The layout file of this id; UnknownLayoutError when none describes it."""
    spec = layout_spec(layout_id)
    if spec is None:
        raise UnknownLayoutError(layout_id)
    return spec


def points_format(layout_id: str) -> str:
    """How the layout prints indicator points, scores and totals ("0.00", "General")."""
    spec = layout_spec(layout_id)
    return spec.number_format("points") if spec else "General"


def group_label(name: str, points: Decimal, template: str = "{name} ({points}分)") -> str:
    """The 一级指标 cell: the group's name and (as the layout prints it) its Σ 分值."""
    return template.format(name=name, points=compact(points)).strip()


_GROUP_LABEL = re.compile(r"^(.*?)\s*[(（]\s*([0-9０-９.．]+)\s*分\s*[)）]\s*$")


def split_group_label(text: str) -> tuple[str, str | None]:
    """("产出指标", "50") for "产出指标 (50分)" or "产出指标（50分）"; (text, None) without points."""
    match = _GROUP_LABEL.match(text)
    if not match:
        return text.strip(), None
    return match.group(1).strip(), match.group(2)


def sheet_layout(form: Form, *, fallback: bool = False) -> SheetLayout:
    """The layout of this form: depends only on its layout id and how its indicators group.
    UnknownLayoutError when no file describes its layout, unless `fallback` (to show and check a
    form whose layout file is gone, never to export it): then layout A's arrangement."""
    sizes = tuple(len(g.rows) for g in groups_of(form))
    if fallback and layout_spec(form.layout) is None:
        return _build("A", sizes)
    return _build(form.layout, sizes)


def blank_form(layout_id: str, funds_points: Decimal = Decimal(10)) -> Form:
    """A new empty form of this layout: its fund rows, one indicator row per 二级指标."""
    spec = spec_of(layout_id)
    return Form(layout=layout_id, fund_rows=tuple(FundRow(label) for label in fund_row_labels(spec)),
                funds_points=funds_points, indicators=blank_indicators())


def fund_row_labels(spec: LayoutSpec) -> tuple[str, ...]:
    return next(p.fund_rows for p in spec.parts if p.kind == "funds")


def with_standard_fund_rows(form: Form) -> Form:
    """The form with every fund row its layout shows (a file may lack some 其中 rows)."""
    spec = layout_spec(form.layout)
    if spec is None:
        return form
    standard = fund_row_labels(spec)
    rows = tuple(form.fund_rows[:len(standard)])
    if len(rows) < len(standard):
        rows += tuple(FundRow(label) for label in standard[len(rows):])
    return form if rows == form.fund_rows else replace(form, fund_rows=rows)


@functools.lru_cache(maxsize=128)
def _build(layout_id: str, group_sizes: tuple[int, ...]) -> SheetLayout:
    spec = spec_of(layout_id)
    cells: list[Cell] = []
    headings: dict[int, int] = {}
    n = sum(group_sizes)
    indicator_rows: list[int] = []
    header_row = total_row = 0

    def place(spec_cell: CellSpec, row: int, field_path: str | None = None, down: int | None = None,
              template: str | None = None) -> None:
        rowspan = down if down is not None else (spec_cell.down if isinstance(spec_cell.down, int) else 1)
        cells.append(Cell(row, spec_cell.first_col, Role(spec_cell.role), spec_cell.text,
                          field_path if field_path is not None else spec_cell.field, rowspan,
                          spec_cell.last_col - spec_cell.first_col + 1, spec.number_format(spec_cell.format),
                          spec_cell.align, spec_cell.bold, template or spec_cell.template))

    row = 1
    for part in spec.parts:
        row += part.gap
        if part.kind != "indicators":
            first = row
            for cells_of_row in part.rows:
                for spec_cell in cells_of_row:
                    place(spec_cell, row)
                if part.kind in ("funds", "goals") and row > first:
                    headings[row] = first  # a table's first row heads the rows under it
                row += 1
            continue
        header_row = row
        for spec_cell in part.header:
            reach = {"all": n + 2, "rows": n + 1}.get(str(spec_cell.down))
            place(spec_cell, row, down=reach)
        index = 0
        for g, size in enumerate(group_sizes):
            for offset in range(size):
                r = header_row + 1 + index
                indicator_rows.append(r)
                for spec_cell in part.row:
                    path = spec_cell.field or ""
                    if path.startswith("groups[]"):
                        if offset == 0:
                            place(spec_cell, r, path.replace("[]", f"[{g}]"), down=size, template=part.group_label)
                        continue
                    place(spec_cell, r, path.replace("[]", f"[{index}]") if path else None)
                index += 1
        total_row = header_row + 1 + n
        for spec_cell in part.total:
            place(spec_cell, total_row)
        headings.update({r: header_row for r in indicator_rows + [total_row]})
        row = total_row + 1
    by_field = {c.field: c for c in cells if c.field}
    by_position = {}
    for c in cells:
        for r in range(c.row, c.last_row + 1):
            for col in range(c.col, c.last_col + 1):
                by_position[(r, col)] = c
    return SheetLayout(
        version=layout_id,
        columns=spec.columns,
        column_widths=spec.widths,
        cells=tuple(cells),
        rows=row - 1,
        indicator_header_row=header_row,
        indicator_rows=tuple(indicator_rows),
        total_row=total_row,
        headings=headings,
        by_field=by_field,
        by_position=by_position,
        spec=spec,
    )


def cell_value(cell: Cell, form: Form, computed: Computed) -> Entry:
    """What a cell holds: its fixed text, the group label, the field's value (Entry/str/None), or
    the field printed inside its template ("(2024年度)")."""
    if cell.field is None:
        return cell.text
    if cell.field.startswith("groups["):
        group = computed.groups[int(cell.field[len("groups["):].split("]")[0])]
        return group_label(group.name, group.points, cell.template or "{name} ({points}分)")
    if cell.template:
        values = {name: value_at(form, computed, name) for name in re.findall(r"\{(\w+)\}", cell.template)}
        if not any(str(v or "").strip() for v in values.values()):
            return ""
        return fill_template(cell.template, {k: "" if v is None else str(v) for k, v in values.items()})
    return value_at(form, computed, cell.field)


def fill_template(template: str, values: dict[str, str]) -> str:
    """The template with its fields filled; an empty field at either end takes its separator
    with it: "{code}-{name}" without a code prints the name alone, not "-工资性支出"."""
    pieces = re.split(r"(\{\w+\})", template)
    first, last = 1, len(pieces) - 2  # the first and last field pieces (re.split keeps the ends)
    if len(pieces) > 3 and pieces[0] == "" and not values.get(pieces[first][1:-1], "").strip():
        pieces[first] = pieces[first + 1] = ""
    elif len(pieces) > 3 and pieces[-1] == "" and not values.get(pieces[last][1:-1], "").strip():
        pieces[last] = pieces[last - 1] = ""
    return "".join(values.get(p[1:-1], "") if p.startswith("{") and p.endswith("}") else p for p in pieces)


def cell_text(cell: Cell, form: Form, computed: Computed) -> str:
    """What a cell shows, printed with the layout's number format."""
    value = cell_value(cell, form, computed)
    if isinstance(value, str):
        return value
    fmt = "General" if cell.number_format == "@" else cell.number_format
    return entry_text(value, fmt)


_NUMBERING = re.compile(r"^\s*[0-9０-９一二三四五六七八九十]+\s*[.．、]\s*")  # "2." before a label


@dataclass(frozen=True)
class LayoutFacts:
    """What the checks, the report and the reader ask of a layout, worked out once per layout."""

    layout_id: str
    fields: frozenset[str]  # generic paths the layout places ("indicators[].unit"), templates included
    labels: dict[str, str]  # generic path -> the label the sheet prints for it ("* 权重", "项目编码：")
    money_unit: str = "元"
    amount_places: int = 2
    # field as the layout names it ("indicators[].reason", "fund_rows[4].label") -> the most 字 the
    # template asks for there ("(200字以内)", 四川)
    char_limits: dict[str, int] = field(default_factory=dict)

    def has(self, path: str) -> bool:
        return generic(path) in self.fields

    def word(self, path: str, default: str) -> str:
        """The field's label as a word for messages: "权重" for "* 权重", "项目编码" for "项目编码：",
        "项目实施内容及过程概述" for 四川's "2.项目实施内容及过程概述"."""
        label = self.labels.get(generic(path), "")
        return _NUMBERING.sub("", label.strip().lstrip("*").strip().rstrip(":：").strip()) or default


@functools.lru_cache(maxsize=64)
def facts(layout_id: str) -> LayoutFacts:
    """The layout's facts; those of layout A for a layout no file describes (read-only forms)."""
    spec = layout_spec(layout_id) or spec_of("A")
    limits = {cell.field: cell.max_chars for _, _, cell in spec.cells() if cell.field and cell.max_chars}
    return LayoutFacts(layout_id, frozenset(_placed_fields(spec)), field_labels(spec), spec.money_unit,
                       spec.amount_places, limits)


def _placed_fields(spec: LayoutSpec) -> set[str]:
    placed = set()
    for _, _, cell in spec.cells():
        if cell.field:
            placed.add(generic(cell.field))
        if cell.template:
            placed.update(generic(name) for name in re.findall(r"\{(\w+)\}", cell.template))
    placed.update(f"fund_rows[].{column}" for column in ("label",) if any(p.kind == "funds" for p in spec.parts))
    return placed


def sheet_field_label(form: Form, path: str) -> str:
    """A field named as the form's own sheet names it, where core.fields' generic name would not
    be on it: a funds cell by its row and column ("其中:财政资金的调整后预算数" on 四川's sheet, where
    the generic name is "第 2 行资金的全年预算数")."""
    table, index, column = split(path)
    if table == "fund_rows" and index is not None and index < len(form.fund_rows) and column in AMOUNT_COLUMNS:
        label = form.fund_rows[index].label.strip()
        word = facts(form.layout).word(f"fund_rows[].{column}", field_label(path))
        if label:
            return f"{label}的{word}"
    found = definition(path)
    if index is None and found is not None and found.kind == "long":
        return facts(form.layout).word(path, found.name)  # a paragraph by its label: 四川's 原因
    return field_label(path)


def field_labels(spec: LayoutSpec) -> dict[str, str]:
    """{generic field path: the label the sheet prints for it}: the column heading above a table's
    field (funds, goals, indicators), the label to the left of a field in other rows."""
    labels: dict[str, str] = {}

    def heading(header: tuple[CellSpec, ...], cell: CellSpec) -> str | None:
        for above in header:
            if above.role == "label" and above.first_col <= cell.first_col <= above.last_col and above.text.strip():
                return above.text
        return None

    for part in spec.parts:
        if part.kind == "indicators":
            for cell in (*part.row, *part.total):
                found = heading(part.header, cell) if cell.field else None
                if cell.field and found:
                    labels.setdefault(generic(cell.field), found)
            continue
        table = part.kind in ("funds", "goals")
        for number, row in enumerate(part.rows):
            for cell in row:
                if not cell.field:
                    continue
                found = heading(part.rows[0], cell) if table and number > 0 else None
                if found is None:
                    left = [c for c in row if c.role == "label" and c.last_col < cell.first_col and c.text.strip()]
                    found = max(left, key=lambda c: c.last_col).text if left else None
                if found:
                    labels.setdefault(generic(cell.field), found)
    return labels


REGISTRY.on_change += [_build.cache_clear, facts.cache_clear]
