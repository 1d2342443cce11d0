"""Read 项目支出绩效自评表 sheets of either layout from an xlsx workbook, by their labels.

Real files differ from the template in small ways: merged or unmerged cells, extra blank rows,
full-width colons and brackets, stray spaces, numbers stored as text, formulas in computed cells.
The reader finds each part by its label and never depends on fixed row numbers. Computed cells
(执行率, 得分, group points, 总分) are kept only as `printed` values, to compare with our own.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl.utils import get_column_letter

from core.layouts import TITLE, split_group_label
from core.model import Form, FundRow, Indicator
from core.numbers import Entry, from_cell_number, normalize_width, plain, to_entry
from core.text import unescape_cell_text
from core.xlsx.guard import (
    FIRST_READ_ROWS,
    FORM_MARGIN_ROWS,
    LIMITS,
    Limits,
    ReadError,
    SheetBounds,
    check_package,
    read_checked,
    reading_copy,
)
from core.xlsx.scan import sheet_titles

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as XlsxCell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

try:  # defusedxml makes openpyxl refuse entity-expansion attacks; it is a dependency.
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover
    DefusedXmlException = ()


@dataclass(frozen=True)
class Problem:
    """Something that could not be read. Rendered as one Chinese line naming file, sheet and cell."""

    file: str
    sheet: str | None
    message: str
    cell: str | None = None

    def line(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f"，工作表“{self.sheet}”"
        if self.cell:
            where += f"，单元格 {self.cell}"
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Note:
    """A finding the reader itself makes (a code in a numeric cell, a formula in a clerk's cell).
    Its level comes from the rule profile when the checks run."""

    rule: str
    field: str
    cell: str
    message: str


@dataclass(frozen=True)
class SheetForm:
    """One form read from one sheet, with where each field was found and what was printed."""

    sheet: str
    form: Form
    cells: dict[str, str] = field(default_factory=dict)  # field path -> "B2"
    printed: dict[str, Entry] = field(default_factory=dict)  # computed field path -> printed value
    notes: tuple[Note, ...] = ()
    last_row: int = 0  # the form's last row on the sheet (its 总分 row)

    @property
    def refusal(self) -> str | None:
        """Why this form must not be imported as it is (Chinese), or None. A code read from a
        numeric cell has lost digits or leading zeros: stored, it would become the form's identity
        and go back to the budget system wrong."""
        for note in self.notes:
            if note.rule == "NUMBER_FORMAT" and note.field in CODE_FIELDS:
                return f"{note.message}；本表未导入"
        return None


@dataclass
class WorkbookRead:
    path: str
    forms: list[SheetForm] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # read, but the clerk should know (not a failure)


class SheetError(Exception):
    def __init__(self, message: str, cell: str | None = None):
        super().__init__(message)
        self.cell = cell


def norm(text: str) -> str:
    """A label as compared: half-width, no spaces, no leading '*', no trailing colon."""
    s = normalize_width(text)
    s = re.sub(r"\s+", "", s)
    return s.lstrip("*").rstrip(":")


HEADER_LABELS = {
    "项目编码": "code",
    "项目名称": "name",
    "绩效自评年度": "year",
    "自评年度": "year",
    "实施单位": "implementing_unit",
    "一级预算单位": "budget_unit",
    "单位编码": "unit_code",
}
REQUIRED_HEADERS = ("code", "name", "year", "implementing_unit", "budget_unit")
FUNDS_COLUMNS = {
    "年初预算数": "initial_budget",
    "全年预算数": "annual_budget",
    "全年执行数": "executed",
    "分值": "points",
    "得分": "score",
}
INDICATOR_COLUMNS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "年度指标值": "target",
    "指标值": "target",
    "度量单位": "unit",
    "计量单位": "unit",
    "实际完成值": "actual",
    "分值": "points",
    "权重": "points",
    "得分": "score",
}
REQUIRED_INDICATOR_COLUMNS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "points": "分值/权重",
    "score": "得分",
    "reason": "偏差原因分析及改进措施",
}
CODE_FIELDS = ("code", "unit_code")


def cell_ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


class Grid:
    """The non-empty cells of a worksheet within the limits, with merged ranges resolved."""

    def __init__(self, ws: Worksheet, limits: Limits) -> None:
        self.title = ws.title
        self.cells: dict[tuple[int, int], XlsxCell] = {}
        self.too_long: tuple[int, int] | None = None
        # ws._cells holds only the cells the file defines; iterating it is bounded by the file,
        # whereas ws.iter_rows() would create every cell of a sparse million-row sheet.
        for (row, col), cell in ws._cells.items():
            if row > limits.rows or col > limits.columns or cell.value is None:
                continue
            value = cell.value
            if isinstance(value, str) and not value.strip() and cell.data_type != "f":
                continue
            if isinstance(value, str) and len(value) > limits.cell_chars and self.too_long is None:
                self.too_long = (row, col)
            self.cells[(row, col)] = cell
        self.merges = [
            (m.min_row, m.min_col, m.max_row, m.max_col)
            for m in list(ws.merged_cells.ranges)[:20000]
            if m.min_row <= limits.rows and m.min_col <= limits.columns
        ]
        self.rows = sorted({r for r, _ in self.cells})
        self.max_col = max((c for _, c in self.cells), default=0)
        self._norm = {pos: norm(_text(cell.value)) for pos, cell in self.cells.items() if not _is_formula(cell)}

    def origin(self, row: int, col: int) -> tuple[int, int]:
        if (row, col) in self.cells:
            return row, col
        for r0, c0, r1, c1 in self.merges:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return r0, c0
        return row, col

    def cell(self, row: int, col: int, merged: bool = False) -> XlsxCell | None:
        if merged:
            row, col = self.origin(row, col)
        return self.cells.get((row, col))

    def label(self, row: int, col: int) -> str:
        return self._norm.get((row, col), "")

    def find(self, predicate: Callable[[str], bool], after_row: int = 0,
             before_row: int | None = None) -> tuple[int, int] | None:
        for row in self.rows:
            if row <= after_row or (before_row is not None and row >= before_row):
                continue
            for col in range(1, self.max_col + 1):
                if predicate(self.label(row, col)):
                    return row, col
        return None

    def row_labels(self, row: int) -> dict[int, str]:
        return {col: self.label(row, col) for col in range(1, self.max_col + 1) if self.label(row, col)}

    def looks_like_form(self) -> bool:
        wanted = {norm(TITLE), "项目编码", "一级指标", "年初预算数"}
        return any(text in wanted for text in self._norm.values())


def _is_formula(cell: XlsxCell | None) -> bool:
    return cell is not None and cell.data_type == "f"


def _text(value: object) -> str:
    """A cell's value as the text a clerk sees."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unescape_cell_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        try:
            return plain(from_cell_number(value))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _entry(value: object) -> Entry:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return from_cell_number(value)
        except ValueError:
            return str(value)
    return to_entry(_text(value))


def _printed(value: object) -> Entry:
    """A printed computed value; tolerates "98.28%"."""
    if isinstance(value, str):
        stripped = normalize_width(value).strip().rstrip("%").strip()
        return to_entry(stripped)
    return _entry(value)


# (row, col) -> the cached value of a formula cell
CachedValues = Callable[[int, int], object]


class _SheetReader:
    def __init__(self, grid: Grid, cached_values: CachedValues) -> None:
        self.g = grid
        self.cached = cached_values  # callable (row, col) -> cached value of a formula cell
        self.cells: dict[str, str] = {}
        self.printed: dict[str, Entry] = {}
        self.notes: list[Note] = []

    # -- cell access -----------------------------------------------------------------------
    def _value(self, path: str, row: int, col: int, *, merged: bool = False, clerk: bool = False) -> object:
        """The value of a field's cell; formulas give their cached value, never evaluated."""
        if merged:
            row, col = self.g.origin(row, col)
        ref = cell_ref(row, col)
        self.cells[path] = ref
        cell = self.g.cell(row, col)
        if cell is None:
            return None
        if not _is_formula(cell):
            return cell.value
        formula = str(cell.value)[:60]
        value = self.cached(row, col)
        if value is None:
            self.notes.append(
                Note("FORMULA", path, ref, f"单元格 {ref} 是公式（{formula}），文件中没有它的计算结果："
                     "本程序不计算公式，请在 Excel/WPS 中打开并保存后再导入，或直接填写数值")
            )
        elif clerk:
            self.notes.append(
                Note("FORMULA", path, ref, f"单元格 {ref} 是公式（{formula}），已取其计算结果“{_text(value)}”；"
                     "请确认后直接填写数值")
            )
        return value

    def text(self, path: str, row: int, col: int, **kw: bool) -> str:
        return _text(self._value(path, row, col, **kw))

    def entry(self, path: str, row: int, col: int, **kw: bool) -> Entry:
        return _entry(self._value(path, row, col, **kw))

    def printed_value(self, path: str, row: int, col: int) -> None:
        row, col = self.g.origin(row, col)
        self.cells.setdefault(path, cell_ref(row, col))
        cell = self.g.cell(row, col)
        if cell is not None and not _is_formula(cell):  # a formula there is ignored: we recompute
            value = _printed(cell.value)
            if isinstance(value, Decimal):
                self.printed[path] = value

    # -- parts ---------------------------------------------------------------------------
    def header(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for row in self.g.rows[:40]:
            labels = self.g.row_labels(row)
            for col, text in labels.items():
                path = HEADER_LABELS.get(text)
                if path is None or path in values:
                    continue
                value_col = self._value_col(row, col)
                cell = self.g.cell(row, value_col)
                if path in CODE_FIELDS and cell is not None and cell.data_type == "n":
                    ref = cell_ref(row, value_col)
                    self.notes.append(
                        Note("NUMBER_FORMAT", path, ref,
                             f"单元格 {ref} 的{text}是数字格式（Excel 只保留 15 位有效数字，编码可能已被改变）："
                             "请把该单元格设为文本格式后重新输入完整编码")
                    )
                value = self.text(path, row, value_col)
                values[path] = value.strip() if path in CODE_FIELDS + ("year",) else value
        missing = [p for p in REQUIRED_HEADERS if p not in values]
        if missing:
            names = {v: k for k, v in reversed(list(HEADER_LABELS.items()))}
            raise SheetError(f"表头缺少“{names[missing[0]]}”标签，无法识别为项目支出绩效自评表")
        return values

    def _value_col(self, row: int, label_col: int) -> int:
        """The column of the value next to a label: the first non-empty cell to its right that is
        not another label; the cell right after the label when the value is empty."""
        for col in range(label_col + 1, self.g.max_col + 1):
            text = self.g.label(row, col)
            if text in HEADER_LABELS:
                break
            if self.g.cell(row, col) is not None:
                return col
        return label_col + 1

    def funds(self) -> tuple[tuple[FundRow, ...], Entry, int]:
        found = self.g.find(lambda t: t == "年初预算数")
        if not found:
            raise SheetError("未找到资金表头“年初预算数”，无法读取资金使用情况")
        header_row = found[0]
        columns: dict[str, int] = {}
        for col, text in self.g.row_labels(header_row).items():
            key = FUNDS_COLUMNS.get(text) or ("rate" if text.startswith("执行率") else None)
            if key and key not in columns:
                columns[key] = col
        for key, name in (("initial_budget", "年初预算数"), ("annual_budget", "全年预算数"),
                          ("executed", "全年执行数"), ("points", "分值"), ("rate", "执行率（%）"),
                          ("score", "得分")):
            if key not in columns:
                raise SheetError(f"资金表头（第 {header_row} 行）缺少“{name}”列")
        first_amount = min(columns["initial_budget"], columns["annual_budget"], columns["executed"])
        end = self.g.find(lambda t: t in ("项目目标完成情况", "年度总体目标", "预期目标", "实际完成情况",
                                          "一级指标"), after_row=header_row)
        end_row = end[0] if end else header_row + 10
        rows: list[FundRow] = []
        points: Entry = None
        for row in range(header_row + 1, end_row):
            labels = [(c, self.g.label(row, c)) for c in range(1, first_amount)]
            label_col = next((c for c, t in reversed(labels) if t and t != "项目资金(元)"), None)
            has_amount = any(self.g.cell(row, columns[k]) is not None
                             for k in ("initial_budget", "annual_budget", "executed"))
            if label_col is None and not has_amount:
                continue
            index = len(rows)
            if index == 0 and (label_col is None or "资金总额" not in self.g.label(row, label_col)):
                raise SheetError("资金表中第一行应为“年度资金总额”", cell_ref(row, label_col or 2))
            label = self.text(f"fund_rows[{index}].label", row, label_col or 2).strip()
            amounts = {
                key: self.entry(f"fund_rows[{index}].{key}", row, columns[key])
                for key in ("initial_budget", "annual_budget", "executed")
            }
            rows.append(FundRow(label, **amounts))
            if index == 0:
                points = self.entry("funds.points", row, columns["points"])
                self.printed_value("funds.rate", row, columns["rate"])
                self.printed_value("funds.score", row, columns["score"])
        if not rows:
            raise SheetError(f"资金表头（第 {header_row} 行）下没有“年度资金总额”行")
        return tuple(rows), points, end_row

    def goals(self, after_row: int, before_row: int) -> tuple[str, str]:
        expected = self.g.find(lambda t: t == "预期目标", after_row=after_row - 1)
        actual = self.g.find(lambda t: t == "实际完成情况", after_row=after_row - 1)
        if not expected:
            raise SheetError("未找到“预期目标”标签")
        if not actual:
            raise SheetError("未找到“实际完成情况”标签")
        texts = []
        for path, (row, col), (stop_col) in (
            ("goal_expected", expected, actual[1] - 1 if actual[1] > expected[1] else self.g.max_col),
            ("goal_actual", actual, self.g.max_col),
        ):
            texts.append(self._text_below(path, row, col, stop_col, before_row))
        return texts[0], texts[1]

    def _text_below(self, path: str, row: int, col: int, last_col: int, before_row: int) -> str:
        """The text under a goal label: the first non-empty cell in its columns on a later row."""
        for r in self.g.rows:
            if r <= row or r >= before_row:
                continue
            for c in range(col, max(col, last_col) + 1):
                cell = self.g.cell(r, c)
                if cell is not None and self.g.label(r, c) not in ("年度绩效指标", "年度总体目标"):
                    return self.text(path, r, c)
        self.cells[path] = cell_ref(row + 1, col)
        return ""

    def indicators(self, after_row: int) -> tuple[str, tuple[Indicator, ...], int]:
        found = self.g.find(lambda t: t == "一级指标", after_row=after_row - 1)
        if not found:
            raise SheetError("未找到指标表头“一级指标”，无法读取年度绩效指标")
        header_row = found[0]
        columns: dict[str, int] = {}
        header_text: dict[str, str] = {}
        for col, text in self.g.row_labels(header_row).items():
            key = INDICATOR_COLUMNS.get(text) or ("reason" if text.startswith("偏差原因") else None)
            if key and key not in columns:
                columns[key] = col
                header_text[key] = text
        for key, name in REQUIRED_INDICATOR_COLUMNS.items():
            if key not in columns:
                raise SheetError(f"指标表头（第 {header_row} 行）缺少“{name}”列")
        layout = "B" if "unit" in columns or header_text["points"] == "权重" else "A"
        left_cols = range(1, columns["level1"] + 1)  # 总分 sits under 一级指标, never in 三级指标
        total_row = next((row for row in self.g.rows if row > header_row
                          and any(self.g.label(row, c) == "总分" for c in left_cols)), None)
        if total_row is None:
            raise SheetError(f"指标表（第 {header_row} 行起）下未找到“总分”行")
        indicators: list[Indicator] = []
        level1 = ""
        level1_col = columns["level1"]
        for row in range(header_row + 1, total_row):
            if self.g.label(row, level1_col) == "一级指标":
                continue  # a header row repeated inside the table
            inside_group = self.g.origin(row, level1_col)[0] < row  # an empty row under a merged 一级指标
            if not inside_group and not any(self.g.cell(row, c) is not None for c in columns.values()):
                continue  # a blank row
            index = len(indicators)
            raw_level1 = self.text(f"indicators[{index}].level1", row, columns["level1"], merged=True)
            if raw_level1.strip():
                level1, _ = split_group_label(raw_level1)
            if not indicators or level1 != indicators[-1].level1:
                self._group_start(row, columns["level1"])
            values: dict[str, Any] = {"level1": level1}
            for key in ("level2", "level3", "target", "unit", "actual", "reason"):
                if key in columns:
                    values[key] = self.text(f"indicators[{index}].{key}", row, columns[key],
                                            merged=key == "level2", clerk=key in ("actual", "reason"))
            for key in ("points", "score"):
                values[key] = self.entry(f"indicators[{index}].{key}", row, columns[key], clerk=True)
            indicators.append(Indicator(**values))
        self.printed_value("total_points", total_row, columns["points"])
        self.printed_value("total_score", total_row, columns["score"])
        return layout, tuple(indicators), total_row

    def _group_start(self, row: int, level1_col: int) -> None:
        """Where a 一级指标 group starts: its cell, and the "(N分)" it prints."""
        group = sum(1 for path in self.cells if path.startswith("groups["))
        origin = self.g.origin(row, level1_col)
        path = f"groups[{group}].points"
        self.cells[path] = cell_ref(*origin)
        cell = self.g.cell(*origin)
        if cell is not None and not _is_formula(cell):
            _, points = split_group_label(_text(cell.value))
            value = to_entry(points) if points is not None else None
            if isinstance(value, Decimal):
                self.printed[path] = value


def read_sheet(grid: Grid, cached_values: CachedValues) -> SheetForm:
    if grid.too_long:
        row, col = grid.too_long
        length = len(grid.cells[(row, col)].value)
        raise SheetError(f"内容有 {length} 个字符，超过 Excel 单元格上限 {LIMITS.cell_chars} 个字符",
                         cell_ref(row, col))
    reader = _SheetReader(grid, cached_values)
    header = reader.header()
    indicator_header = grid.find(lambda t: t == "一级指标")
    fund_rows, funds_points, goals_row = reader.funds()
    before = indicator_header[0] if indicator_header else grid.rows[-1] + 1
    goal_expected, goal_actual = reader.goals(goals_row, before)
    layout, indicators, total_row = reader.indicators(goals_row)
    if layout == "A":
        fund_rows = fund_rows[:1]  # layout A has only 年度资金总额 (Form adds B's missing 其中 rows empty)
    form = Form(
        layout=layout,
        code=header.get("code", ""),
        name=header.get("name", ""),
        year=header.get("year", ""),
        implementing_unit=header.get("implementing_unit", ""),
        budget_unit=header.get("budget_unit", ""),
        unit_code=header.get("unit_code", "") if layout == "B" else "",
        fund_rows=fund_rows,
        funds_points=funds_points,
        goal_expected=goal_expected,
        goal_actual=goal_actual,
        indicators=indicators,
        template_bound=True,
    )
    return SheetForm(grid.title, form, reader.cells, reader.printed, tuple(reader.notes), total_row)


def read_workbook(path: str | Path, limits: Limits = LIMITS) -> WorkbookRead:
    """Every form in the workbook, and a Problem for each part that could not be read.

    Never raises for a bad file: a broken file gives a problem, a broken sheet gives a problem
    while the good sheets are still read. Hidden sheets (ids of the budget system) are skipped.
    """
    name = str(path)
    try:
        data = read_checked(path, limits)
    except ReadError as exc:
        return WorkbookRead(name, problems=[Problem(name, None, str(exc))])
    return read_workbook_data(data, name, limits, checked=True)


def read_workbook_data(data: bytes, name: str, limits: Limits = LIMITS, *, checked: bool = False) -> WorkbookRead:
    """read_workbook() for bytes already in memory (the original workbook kept with a form).

    Sheets are first read up to FIRST_READ_ROWS rows (core.xlsx.guard.reading_copy); a sheet whose
    form reaches beyond that, or could not be read within it, is read again up to the row limit.
    """
    result = WorkbookRead(name)
    loads: dict[tuple[int, bool], tuple[Workbook, dict[str, SheetBounds]]] = {}

    def load(max_rows: int, data_only: bool = False) -> tuple[Workbook, dict[str, SheetBounds]]:
        if (max_rows, data_only) not in loads:
            copy, bounds = reading_copy(data, max_rows, limits)
            titles = sheet_titles(data)
            loads[(max_rows, data_only)] = (_load(copy, data_only),
                                            {titles[part]: b for part, b in bounds.items() if part in titles})
        return loads[(max_rows, data_only)]

    try:
        if not checked:
            check_package(data, limits)
        workbook, bounds = load(FIRST_READ_ROWS)
    except ReadError as exc:
        result.problems.append(Problem(name, None, str(exc)))
        return result

    def cached_for(sheet_title: str, max_rows: int) -> CachedValues:
        """Cached results of formula cells, from a second, values-only load done only if needed."""
        def lookup(row: int, col: int) -> object:
            cached_workbook = load(max_rows, True)[0]
            cell = cached_workbook[sheet_title]._cells.get((row, col))
            return None if cell is None else cell.value
        return lookup

    for title in [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]:
        sheet_bounds = bounds.get(title)
        if sheet_bounds is not None and sheet_bounds.refused:
            result.problems.append(Problem(name, title, sheet_bounds.refused))
            continue
        max_rows = FIRST_READ_ROWS
        kept_to = sheet_bounds.kept_to if sheet_bounds is not None else 0  # 0: nothing was cut
        truncated = bool(kept_to)
        try:
            retry = False
            try:
                sheet_form = _read_one(load(max_rows)[0][title], limits, cached_for(title, max_rows))
            except SheetError:
                if not truncated:
                    raise
                sheet_form, retry = None, True  # perhaps the form goes on beyond the rows read first
            if sheet_form is None and not retry:
                continue  # not a form
            if truncated and (sheet_form is None or sheet_form.last_row > kept_to - FORM_MARGIN_ROWS):
                max_rows = limits.rows
                workbook_all, bounds_all = load(max_rows)
                sheet_bounds = bounds_all.get(title, sheet_bounds)
                sheet_form = _read_one(workbook_all[title], limits, cached_for(title, max_rows))
                if sheet_form is None:
                    continue
            assert sheet_form is not None  # None only on a retry, which is made (truncated) just above
            result.forms.append(sheet_form)
            if sheet_bounds is not None and sheet_bounds.kept_to:
                result.warnings.append(Problem(
                    name, title, f"工作表有 {sheet_bounds.rows} 行，只读取了前 {sheet_bounds.kept_to} 行中的自评表"
                                 f"（自评表在第 {sheet_form.last_row} 行结束）"))
        except SheetError as exc:
            result.problems.append(Problem(name, title, str(exc), exc.cell))
        except ReadError as exc:
            result.problems.append(Problem(name, title, str(exc)))
    if not result.forms and not result.problems:
        result.problems.append(Problem(name, None,
                                       "工作簿中没有找到项目支出绩效自评表（未找到“项目编码”“一级指标”等标签）"))
    return result


def _read_one(ws: Worksheet, limits: Limits, cached: CachedValues) -> SheetForm | None:
    grid = Grid(ws, limits)
    if not grid.looks_like_form():
        return None
    return read_sheet(grid, cached)


def _load(data: bytes, data_only: bool) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False,
                                          keep_vba=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged packages
        cause: BaseException | None = exc
        while cause is not None:  # openpyxl wraps the parser's error in a ValueError
            if DefusedXmlException and isinstance(cause, DefusedXmlException):
                raise ReadError("文件含有不安全的 XML 实体定义（可能是恶意构造的文件），已拒绝读取") from None
            cause = cause.__cause__ or cause.__context__
        raise ReadError(f"文件已损坏或不是有效的 xlsx 工作簿（{type(exc).__name__}），"
                        "请在 WPS/Excel 中打开后另存为 .xlsx 再导入") from None
