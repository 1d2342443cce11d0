"""The two official layouts (版式 A and B) as data: where every label and field sits on the sheet.

One description per layout drives every face of a form — the Qt grid, the xlsx writer and the PDF —
so the screen, the file and the paper cannot disagree. The xlsx reader does not depend on positions
(it finds parts by their labels) but uses the label texts defined here.

Rows and columns are 1-based, as in a spreadsheet. A cell's `field` is a path of core.fields.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from core.arithmetic import Computed
from core.fields import canonical, value_at
from core.model import Form, groups_of
from core.numbers import Entry, compact, entry_text

TITLE = "项目支出绩效自评表"
FONT_NAME = "宋体"
NOTE_LABEL = "备注："
NOTE_TEXT = (
    "作为导入模板，置灰信息无需录入且不可修改。置灰部分如强制修改导入系统，数据有出入请自行负责；"
    "作为导出模板，置灰信息系统"
)
TOTAL_LABEL = "总分"
NOT_APPLICABLE_CELL = "—"


def column_letter(col: int) -> str:
    """1 -> "A", 27 -> "AA" (the layouts are pure data; no need to load openpyxl for this)."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    version: str
    columns: int
    column_widths: tuple[float, ...]  # Excel character units
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


@dataclass(frozen=True)
class Version:
    """What differs between layout A and B."""

    name: str
    columns: int
    column_widths: tuple[float, ...]
    funds_title: str
    has_unit_code: bool
    has_unit_column: bool
    points_header: str
    points_format: str  # indicator 分值/得分 and 总分
    rate_format: str
    has_note: bool


VERSIONS = {
    "A": Version(
        name="A",
        columns=9,
        column_widths=(12, 16, 16, 26, 16, 18, 12, 12, 30),
        funds_title="资金使用情况",
        has_unit_code=False,
        has_unit_column=False,
        points_header="* 分值",
        points_format="0.00",
        rate_format="0.0000",
        has_note=True,
    ),
    "B": Version(
        name="B",
        columns=10,
        column_widths=(12, 18, 16, 26, 16, 10, 16, 10, 10, 30),
        funds_title="预算执行情况",
        has_unit_code=True,
        has_unit_column=True,
        points_header="* 权重",
        points_format="General",
        rate_format="General",
        has_note=False,
    ),
}

FUNDS_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率（%）", "得分")
FUNDS_LABEL = "项目资金（元）"
GOALS_TITLE = "项目目标完成情况"
GOAL_LABEL = "年度总体目标"
GOAL_EXPECTED = "预期目标"
GOAL_ACTUAL = "* 实际完成情况"
INDICATORS_LABEL = "年度绩效指标"
AMOUNT_FORMAT = "0.00"
FUNDS_POINTS_FORMAT = "General"


def indicator_headers(version: Version) -> tuple[str, ...]:
    unit = ("度量单位",) if version.has_unit_column else ()
    return (
        ("一级指标", "二级指标", "三级指标", "年度指标值")
        + unit
        + ("* 实际完成值", version.points_header, "* 得分", "偏差原因分析及改进措施")
    )


def group_label(name: str, points: Decimal) -> str:
    """The 一级指标 cell: the group's name and its Σ 分值, as the official sheet prints it."""
    return f"{name} ({compact(points)}分)".strip()


_GROUP_LABEL = re.compile(r"^(.*?)\s*[(（]\s*([0-9０-９.．]+)\s*分\s*[)）]\s*$")


def split_group_label(text: str) -> tuple[str, str | None]:
    """("产出指标", "50") for "产出指标 (50分)" or "产出指标（50分）"; (text, None) without points."""
    match = _GROUP_LABEL.match(text)
    if not match:
        return text.strip(), None
    return match.group(1).strip(), match.group(2)


def sheet_layout(form: Form) -> SheetLayout:
    """The layout of this form: depends only on its version and how its indicators group."""
    sizes = tuple(len(g.rows) for g in groups_of(form))
    return _build(form.layout, sizes)


@functools.lru_cache(maxsize=64)
def _build(version_name: str, group_sizes: tuple[int, ...]) -> SheetLayout:
    v = VERSIONS[version_name]
    last = v.columns
    cells: list[Cell] = []

    def put(row: int, col: int, role: Role, text: str = "", fld: str | None = None, rowspan: int = 1, colspan: int = 1,
            fmt: str = "@", align: str = "center", bold: bool = False) -> None:
        cells.append(Cell(row, col, role, text, fld, rowspan, colspan, fmt, align, bold))

    # Title and header (rows 1-3).
    put(1, 1, Role.TITLE, TITLE, colspan=last, bold=True)
    put(2, 1, Role.LABEL, "项目编码：")
    put(2, 2, Role.SYSTEM, fld="code", colspan=2)
    put(2, 4, Role.LABEL, "项目名称：")
    if v.has_unit_code:
        put(2, 5, Role.SYSTEM, fld="name", colspan=2)
        put(2, 7, Role.LABEL, "绩效自评年度：")
        put(2, 8, Role.SYSTEM, fld="year", colspan=last - 7)
        put(3, 1, Role.LABEL, "实施单位：")
        put(3, 2, Role.SYSTEM, fld="implementing_unit", colspan=2)
        put(3, 4, Role.LABEL, "一级预算单位：")
        put(3, 5, Role.SYSTEM, fld="budget_unit", colspan=2)
        put(3, 7, Role.LABEL, "单位编码：")
        put(3, 8, Role.SYSTEM, fld="unit_code", colspan=last - 7)
    else:
        put(2, 5, Role.SYSTEM, fld="name")
        put(2, 6, Role.LABEL, "绩效自评年度：")
        put(2, 7, Role.SYSTEM, fld="year", colspan=last - 6)
        put(3, 1, Role.LABEL, "实施单位：")
        put(3, 2, Role.SYSTEM, fld="implementing_unit", colspan=2)
        put(3, 4, Role.LABEL, "一级预算单位：")
        put(3, 5, Role.SYSTEM, fld="budget_unit", colspan=last - 4)

    # Funds block (row 4 on).
    put(4, 1, Role.SECTION, v.funds_title, colspan=last, bold=True)
    fund_row_count = 4 if version_name == "B" else 1
    score_span = last - 7
    if version_name == "B":
        put(5, 1, Role.LABEL, FUNDS_LABEL, rowspan=1 + fund_row_count)
        put(5, 2, Role.LABEL, "")
    else:
        put(5, 1, Role.LABEL, "", colspan=2)
    for offset, header in enumerate(FUNDS_HEADERS):
        span = score_span if offset == 5 else 1
        put(5, 3 + offset, Role.LABEL, header, colspan=span)
    for i in range(fund_row_count):
        row = 6 + i
        if version_name == "A":
            put(row, 1, Role.LABEL, FUNDS_LABEL)
        put(row, 2, Role.SYSTEM, fld=f"fund_rows[{i}].label")
        for offset, column in enumerate(("initial_budget", "annual_budget", "executed")):
            put(row, 3 + offset, Role.SYSTEM, fld=f"fund_rows[{i}].{column}", fmt=AMOUNT_FORMAT)
        if i == 0:
            put(row, 6, Role.SYSTEM, fld="funds.points", fmt=FUNDS_POINTS_FORMAT)
            put(row, 7, Role.COMPUTED, fld="funds.rate", fmt=v.rate_format)
            put(row, 8, Role.COMPUTED, fld="funds.score", fmt=v.points_format, colspan=score_span)
        else:
            put(row, 6, Role.LABEL, NOT_APPLICABLE_CELL)
            put(row, 7, Role.LABEL, NOT_APPLICABLE_CELL)
            put(row, 8, Role.LABEL, NOT_APPLICABLE_CELL, colspan=score_span)

    # Goals.
    row = 6 + fund_row_count
    split = 6 if v.has_unit_column else 5  # first column of 实际完成情况
    put(row, 1, Role.SECTION, GOALS_TITLE, colspan=last, bold=True)
    put(row + 1, 1, Role.LABEL, GOAL_LABEL, rowspan=2)
    put(row + 1, 2, Role.LABEL, GOAL_EXPECTED, colspan=split - 1)
    put(row + 1, split + 1, Role.LABEL, GOAL_ACTUAL, colspan=last - split)
    put(row + 2, 2, Role.SYSTEM, fld="goal_expected", colspan=split - 1, align="left")
    put(row + 2, split + 1, Role.CLERK, fld="goal_actual", colspan=last - split, align="left")

    # Indicators.
    header_row = row + 3
    n = sum(group_sizes)
    put(header_row, 1, Role.LABEL, INDICATORS_LABEL, rowspan=n + 2)
    for offset, header in enumerate(indicator_headers(v)):
        put(header_row, 2 + offset, Role.LABEL, header)
    columns = ["level2", "level3", "target"] + (["unit"] if v.has_unit_column else [])
    clerk_columns = ["actual", "points", "score", "reason"]
    indicator_rows = []
    index = 0
    for g, size in enumerate(group_sizes):
        put(header_row + 1 + index, 2, Role.COMPUTED, fld=f"groups[{g}].points", rowspan=size)
        for _ in range(size):
            r = header_row + 1 + index
            indicator_rows.append(r)
            col = 3
            for name in columns:
                align = "left" if name == "level3" else "center"
                put(r, col, Role.SYSTEM, fld=f"indicators[{index}].{name}", align=align)
                col += 1
            for name in clerk_columns:
                fmt = v.points_format if name in ("points", "score") else "@"
                align = "left" if name == "reason" else "center"
                put(r, col, Role.CLERK, fld=f"indicators[{index}].{name}", fmt=fmt, align=align)
                col += 1
            index += 1
    total_row = header_row + 1 + n
    points_col = last - 2
    put(total_row, 2, Role.LABEL, TOTAL_LABEL, colspan=points_col - 2, bold=True)
    put(total_row, points_col, Role.COMPUTED, fld="total_points", fmt=v.points_format, bold=True)
    put(total_row, points_col + 1, Role.COMPUTED, fld="total_score", fmt=v.points_format, bold=True)
    put(total_row, last, Role.LABEL, NOT_APPLICABLE_CELL)
    rows = total_row
    if v.has_note:
        put(total_row + 2, 1, Role.NOTE, NOTE_LABEL, colspan=last, align="left")
        put(total_row + 3, 1, Role.NOTE, NOTE_TEXT, colspan=last, align="left")
        rows = total_row + 3

    headings = {6 + i: 5 for i in range(fund_row_count)}
    headings[row + 2] = row + 1  # the goal texts under 预期目标 / * 实际完成情况
    headings.update({r: header_row for r in indicator_rows + [total_row]})
    by_field = {c.field: c for c in cells if c.field}
    by_position = {}
    for c in cells:
        for r in range(c.row, c.last_row + 1):
            for col in range(c.col, c.last_col + 1):
                by_position[(r, col)] = c
    return SheetLayout(
        version=version_name,
        columns=last,
        column_widths=v.column_widths,
        cells=tuple(cells),
        rows=rows,
        indicator_header_row=header_row,
        indicator_rows=tuple(indicator_rows),
        total_row=total_row,
        headings=headings,
        by_field=by_field,
        by_position=by_position,
    )


def cell_value(cell: Cell, form: Form, computed: Computed) -> Entry:
    """What a cell holds: its fixed text, the group label, or the field's value (Entry/str/None)."""
    if cell.field is None:
        return cell.text
    if cell.field.startswith("groups["):
        group = computed.groups[int(cell.field[len("groups["):].split("]")[0])]
        return group_label(group.name, group.points)
    return value_at(form, computed, cell.field)


def cell_text(cell: Cell, form: Form, computed: Computed) -> str:
    """What a cell shows, printed with the layout's number format."""
    value = cell_value(cell, form, computed)
    if isinstance(value, str):
        return value
    fmt = "General" if cell.number_format == "@" else cell.number_format
    return entry_text(value, fmt)
