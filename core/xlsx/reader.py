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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from core.fields import TEXT_PARTS
from core.layouts import split_group_label, with_standard_fund_rows
from core.model import Form, FundRow, Indicator, Texts
from core.numbers import Entry, from_cell_number, normalize_width, plain, quantize, to_entry
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
from core.xlsx.labels import Reading, answer_in, base, is_placeholder, norm, readings
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
    # What each computed cell (执行率, 得分, 总分) holds: "formula", "text", "percent" (a number shown
    # as a percentage), "fixed" (a number in a format with fixed decimals), "number" (General) or
    # "empty" — how a recomputed value may be written back into it, and what precision it shows.
    computed_kinds: dict[str, str] = field(default_factory=dict)

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

    def last_col(self, row: int, col: int) -> int:
        """The last column of the merged range this cell begins (the cell's own when unmerged)."""
        for r0, c0, r1, c1 in self.merges:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return c1
        return col

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

    def labels_at(self) -> list[tuple[tuple[int, int], str]]:
        """((row, col), normalized text) of every text cell."""
        return [(pos, text) for pos, text in self._norm.items() if text]

    def texts(self, rows: Iterable[int]) -> list[tuple[tuple[int, int], str]]:
        """((row, col), the cell's text) for the non-empty cells of these rows."""
        wanted = set(rows)
        return [((r, c), _text(cell.value)) for (r, c), cell in sorted(self.cells.items())
                if r in wanted and not _is_formula(cell)]


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


def _computed_kind(cell: XlsxCell | None) -> str:
    if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
        return "empty"
    if _is_formula(cell):
        return "formula"
    if isinstance(cell.value, str):
        return "text"
    number_format = str(cell.number_format or "")
    if "%" in number_format:
        return "percent"
    return "fixed" if _shown_places(number_format) is not None else "number"


_FIXED_FORMAT = re.compile(r"[#,0]*0(?:\.(0+))?%?")


def _shown_places(number_format: str) -> int | None:
    """The decimals a fixed number format shows ("0.00" -> 2, "0%" -> 0); None for General and
    anything fancier, where the value shows as it is."""
    match = _FIXED_FORMAT.fullmatch(number_format.strip())
    return None if match is None else len(match.group(1) or "")


# (row, col) -> the cached value of a formula cell
CachedValues = Callable[[int, int], object]


class _SheetReader:
    def __init__(self, grid: Grid, cached_values: CachedValues, reading: Reading) -> None:
        self.g = grid
        self.reading = reading
        self.cached = cached_values  # callable (row, col) -> cached value of a formula cell
        self.cells: dict[str, str] = {}
        self.printed: dict[str, Entry] = {}
        self.notes: list[Note] = []
        self.funds_header_row = 0
        self.computed_kinds: dict[str, str] = {}

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

    def printed_value(self, path: str, row: int, col: int, percent: bool = False) -> None:
        """A computed value as the file printed it, to the places it shows: 8.62 formatted "0"
        is the 9 a reader sees (the check compares at that precision). With `percent`, a number
        formatted as a percentage (0.862 shown as "86%") is taken as the percentage it shows."""
        row, col = self.g.origin(row, col)
        self.cells.setdefault(path, cell_ref(row, col))
        cell = self.g.cell(row, col)
        self.computed_kinds[path] = _computed_kind(cell)
        if cell is not None and not _is_formula(cell):  # a formula there is ignored: we recompute
            value = _printed(cell.value)
            if isinstance(value, Decimal):
                number_format = str(cell.number_format or "")
                if not isinstance(cell.value, str):
                    if percent and "%" in number_format:
                        value = value * 100
                    shown = _shown_places(number_format)
                    if shown is not None:
                        value = quantize(value, shown)
                self.printed[path] = value

    # -- parts ---------------------------------------------------------------------------
    def header(self) -> dict[str, str]:
        """Fields written beside their label (header, text parts), and those printed inside fixed
        text ("(2024年度)"); a code inside 项目名称 ("代码-名称") is split out."""
        values: dict[str, str] = {}
        reading = self.reading
        for row in self.g.rows:
            for col, text in self.g.row_labels(row).items():
                for label, path, template, instructions in reading.header:
                    if path in values or not label.matches(text):
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
                    value = answer_in(self.text(path, row, value_col), instructions)
                    if template is not None:
                        parts = template.parse(value) if value.strip() else None
                        if parts is None and "name" in template.fields and path != "name":
                            # "工资性支出" without its "代码-": the text is the name; the code is
                            # missing (the check says so, at this cell). A code alone, as the
                            # layout's code_pattern describes the region's codes, is a code.
                            code_pattern = reading.spec.code_pattern
                            alone = re.fullmatch(code_pattern, normalize_width(value).strip()) if code_pattern else None
                            parts = {"name": "", path: alone.group(0)} if alone else {"name": value, path: ""}
                        for name, part in (parts or {path: value}).items():
                            if name not in values:
                                values[name] = part
                                self.cells.setdefault(name, cell_ref(row, value_col))
                    values[path] = values.get(path, value)
                    break
        for path, template in reading.templates:
            if path in values:
                continue
            for (row, col), text in self.g.texts(self.g.rows[:12]):
                parts = template.parse(text)
                if parts:
                    self.cells[path] = cell_ref(row, col)
                    for name, part in parts.items():
                        values.setdefault(name, part)
                    break
        for path in CODE_FIELDS + ("year",):
            if path in values:
                values[path] = values[path].strip()
        return values

    def _value_col(self, row: int, label_col: int) -> int:
        """The column of the value next to a label: the first non-empty cell to its right that is
        not another label; the cell right after the label (after its merged range: 四川's
        "财务负责人:" spans F:G) when the value is empty."""
        after = self.g.last_col(row, label_col) + 1
        for col in range(after, self.g.max_col + 1):
            text = self.g.label(row, col)
            if any(label.matches(text) for label, _, _, _ in self.reading.header):
                break
            if self.g.cell(row, col) is not None:
                return col
        return after

    def funds(self) -> tuple[tuple[FundRow, ...], Entry, str, int]:
        """The funds table: its heading row (the row naming most of its columns), then one row per
        fund row until what follows the table; the first is the total (…总额)."""
        reading = self.reading
        header_row, columns = self._heading_row(reading.funds, reading.stops)
        if header_row is None:
            wanted = next((c.label.text for c in reading.funds if c.key == "annual_budget"), "全年预算数")
            raise SheetError(f"未找到资金表头“{wanted}”，无法读取资金情况")
        for column in reading.funds:
            if column.key in ("annual_budget", "executed") and column.key not in columns:
                raise SheetError(f"资金表头（第 {header_row} 行）缺少“{column.label.text}”列")
        self.funds_header_row = header_row
        amount_keys = [k for k in ("initial_budget", "annual_budget", "executed") if k in columns]
        first_amount = min(columns[k] for k in amount_keys)
        end = self.g.find(lambda t: any(label.matches(t) for label in reading.stops), after_row=header_row)
        end_row = end[0] if end else header_row + 10
        anchors = reading.anchors
        rows: list[FundRow] = []
        points: Entry = None
        reason = ""
        for row in range(header_row + 1, end_row):
            labels = [(c, self.g.label(row, c)) for c in range(1, first_amount)]
            label_col = next((c for c, t in reversed(labels) if t and not any(a.matches(t) for a in anchors)), None)
            has_amount = any(self.g.cell(row, columns[k]) is not None for k in amount_keys)
            if label_col is None and not has_amount:
                continue
            index = len(rows)
            if index >= max(len(reading.fund_rows), 1) + 3:
                break  # beyond the table (a layout's rows and a few more the file may add)
            if index == 0 and (label_col is None or "总额" not in self.g.label(row, label_col)):
                raise SheetError("资金表中第一行应为“年度资金总额”（或“总额”）", cell_ref(row, label_col or 2))
            label = self.text(f"fund_rows[{index}].label", row, label_col or 2).strip().rstrip(":：")
            amounts: dict[str, Entry] = {
                key: self.entry(f"fund_rows[{index}].{key}", row, columns[key]) for key in amount_keys}
            rows.append(FundRow(label, **amounts))
            if index == 0:
                if "points" in columns:
                    points = self.entry("funds.points", row, columns["points"])
                if "rate" in columns:
                    self.printed_value("funds.rate", row, columns["rate"], percent=True)
                if "score" in columns:
                    self.printed_value("funds.score", row, columns["score"])
                if "reason" in columns:
                    column = next(c for c in reading.funds if c.key == "reason")
                    reason = answer_in(self.text("funds.reason", row, columns["reason"], clerk=True),
                                       column.instructions)
        if not rows:
            raise SheetError(f"资金表头（第 {header_row} 行）下没有“年度资金总额”行")
        return tuple(rows), points, reason, end_row

    def _heading_row(self, wanted: tuple, stops: tuple = ()) -> tuple[int | None, dict[str, int]]:
        """The row whose cells name most of the `wanted` columns, with {key: column}."""
        best_row: int | None = None
        best: dict[str, int] = {}
        for row in self.g.rows:
            columns: dict[str, int] = {}
            for col, text in self.g.row_labels(row).items():
                for column in wanted:
                    if column.key not in columns and column.label.matches(text):
                        columns[column.key] = col
                        break
            if len(columns) > len(best):
                best_row, best = row, columns
        return best_row, best

    def goals(self, after_row: int, before_row: int) -> dict[str, str]:
        """Each goal text under its heading (预期目标, 实际完成情况 …)."""
        values = {}
        found = []
        for column in self.reading.goals:
            at = self.g.find(column.label.matches, after_row=after_row - 1, before_row=before_row)
            if at is None:
                raise SheetError(f"未找到“{column.label.text}”标签")
            found.append((column, at))
        for column, (row, col) in found:
            later = [c for _, (r, c) in found if r == row and c > col]
            stop_col = min(later) - 1 if later else self.g.max_col
            text = self._text_below(column.path, row, col, stop_col, before_row)
            values[column.path] = answer_in(text, column.instructions)
        return values

    def _text_below(self, path: str, row: int, col: int, last_col: int, before_row: int) -> str:
        """The text under a goal label: the first non-empty cell in its columns on a later row,
        before a row that starts something else (a label the heading row does not show: 四川's
        "2.项目实施内容及过程概述" under an empty 项目年度目标)."""
        headings = {label for label in self.reading.anchors}
        heading_row = set(self.g.row_labels(row).values())
        for r in self.g.rows:
            if r <= row or r >= before_row:
                continue
            if any(text not in heading_row and any(h.matches(text) for h in headings)
                   for text in self.g.row_labels(r).values()):
                break
            for c in range(col, max(col, last_col) + 1):
                cell = self.g.cell(r, c)
                if cell is not None and not any(h.matches(self.g.label(r, c)) for h in headings):
                    return self.text(path, r, c)
        self.cells[path] = cell_ref(row + 1, col)
        return ""

    def indicators(self, after_row: int) -> tuple[tuple[Indicator, ...], int]:
        reading = self.reading
        level1 = next(c for c in reading.indicators if c.key == "level1")
        found = self.g.find(lambda t: level1.label.matches(t), after_row=after_row - 1)
        if not found:
            raise SheetError(f"未找到指标表头“{level1.label.text}”，无法读取年度绩效指标")
        header_row = found[0]
        columns: dict[str, int] = {}
        labels = self.g.row_labels(header_row)
        for column in reading.indicators:
            for col, text in labels.items():
                if column.label.matches(text) and col not in columns.values():
                    columns[column.key] = col
                    break
        for column in reading.indicators:
            if column.key not in columns:
                raise SheetError(f"指标表头（第 {header_row} 行）缺少“{column.label.text}”列")
        level1_col = columns["level1"]
        left_cols = range(1, level1_col + 1)  # 总分 sits under 一级指标 or left of it, never in 三级指标
        total_row = next((row for row in self.g.rows if row > header_row
                          and any(label.matches(self.g.label(row, c)) for c in left_cols for label in reading.totals)),
                         None)
        if total_row is None:
            names = "”或“".join(label.text for label in reading.totals) or "总分"
            raise SheetError(f"指标表（第 {header_row} 行起）下未找到“{names}”行")
        indicators: list[Indicator] = []
        level1_name = ""
        text_keys = [c.key for c in reading.indicators if c.key not in ("level1", "points", "score")]
        for row in range(header_row + 1, total_row):
            if level1.label.matches(self.g.label(row, level1_col)):
                continue  # a header row repeated inside the table
            inside_group = self.g.origin(row, level1_col)[0] < row  # an empty row under a merged 一级指标
            if not inside_group and not any(self.g.cell(row, c) is not None for c in columns.values()):
                continue  # a blank row
            if self._placeholder(row, columns):
                continue
            index = len(indicators)
            raw_level1 = self.text(f"indicators[{index}].level1", row, level1_col, merged=True)
            if raw_level1.strip():
                level1_name, _ = split_group_label(raw_level1)
            if not indicators or level1_name != indicators[-1].level1:
                self._group_start(row, level1_col)
            values: dict[str, object] = {"level1": level1_name}
            for key in text_keys:
                values[key] = self.text(f"indicators[{index}].{key}", row, columns[key],
                                        merged=key == "level2", clerk=key in ("actual", "reason"))
            for key in ("points", "score"):
                values[key] = self.entry(f"indicators[{index}].{key}", row, columns[key], clerk=True)
            indicators.append(Indicator(**values))  # type: ignore[arg-type]
        total_points = next(c for c in reading.indicators if c.key == "points")
        total_score = next(c for c in reading.indicators if c.key == "score")
        self.printed_value("total_points", total_row, columns[total_points.key])
        self.printed_value("total_score", total_row, columns[total_score.key])
        return tuple(indicators), total_row

    def _placeholder(self, row: int, columns: dict[str, int]) -> bool:
        """A template's spare row ("指标2", "……") with nothing else in it."""
        level3 = self.g.label(row, columns["level3"]) if "level3" in columns else ""
        if not is_placeholder(level3):
            return False
        return all(self.g.cell(row, col) is None for key, col in columns.items()
                   if key not in ("level1", "level2", "level3"))

    def _group_start(self, row: int, level1_col: int) -> None:
        """Where a 一级指标 group starts: its cell, and the "(N分)" it prints."""
        group = sum(1 for path in self.cells if path.startswith("groups["))
        origin = self.g.origin(row, level1_col)
        path = f"groups[{group}].points"
        self.cells[path] = cell_ref(*origin)
        cell = self.g.cell(*origin)
        self.computed_kinds[path] = _computed_kind(cell)
        if cell is not None and not _is_formula(cell):
            _, points = split_group_label(_text(cell.value))
            value = to_entry(points) if points is not None else None
            if isinstance(value, Decimal):
                self.printed[path] = value


@dataclass(frozen=True)
class Match:
    """How well a sheet shows one layout's labels."""

    reading: Reading
    found: int
    missing: tuple[str, ...]
    placed: int = 0  # labels found in the column the layout prints them in

    @property
    def score(self) -> float:
        total = self.found + len(self.missing)
        return self.found / total if total else 0.0


def match_layouts(grid: Grid) -> list[Match]:
    """Every known layout, best match first: the share of its labels the sheet shows; on a tie,
    the layout with more labels in their own columns (a unit's variant of A with its columns in
    another order has A's labels), then the one with more labels (the more specific)."""
    by_text: dict[str, set[int]] = {}
    by_base: dict[str, set[int]] = {}
    for (_, col), text in grid.labels_at():
        by_text.setdefault(text, set()).add(col)
        by_base.setdefault(base(text), set()).add(col)
    texts, bases = set(by_text), set(by_base)
    matches = []
    for reading in readings():
        found, placed, missing = 0, 0, []
        for label, col in zip(reading.anchors, reading.anchor_columns, strict=True):
            if label.found_in(texts, bases):
                found += 1
                placed += col in label.columns_in(by_text, by_base)
            else:
                missing.append(label.text)
        matches.append(Match(reading, found, tuple(dict.fromkeys(missing)), placed))
    return sorted(matches, key=lambda m: (m.score, m.placed, m.found), reverse=True)


MATCH_NEEDED = 0.75  # the share of a layout's labels a sheet must show to be read as that layout
LOOKS_LIKE_A_FORM = 0.3  # below this share for every layout, a sheet is not a form at all (a note, ids)


def read_sheet(grid: Grid, cached_values: CachedValues, reading: Reading | None = None,
               matches: list[Match] | None = None) -> SheetForm:
    """The form on this sheet, read with `reading` (the best-matching layout when None; `matches`
    when the caller has already matched the sheet)."""
    if grid.too_long:
        row, col = grid.too_long
        length = len(grid.cells[(row, col)].value)
        raise SheetError(f"内容有 {length} 个字符，超过 Excel 单元格上限 {LIMITS.cell_chars} 个字符",
                         cell_ref(row, col))
    if reading is None:
        best = (matches or match_layouts(grid))[0]
        if best.score < MATCH_NEEDED:
            shown = "、".join(f"“{m}”" for m in best.missing[:6]) + ("等" if len(best.missing) > 6 else "")
            raise SheetError(f"不是已知的版式；最接近的是 {best.reading.spec.name}，缺少标签：{shown}")
        reading = best.reading
    reader = _SheetReader(grid, cached_values, reading)
    header = reader.header()
    fund_rows, funds_points, funds_reason, goals_row = reader.funds()
    level1 = next(c for c in reading.indicators if c.key == "level1")
    indicator_header = grid.find(lambda t: level1.label.matches(t), after_row=goals_row - 1)
    before = indicator_header[0] if indicator_header else grid.rows[-1] + 1
    if reading.goals_first:  # above the funds table, under the header
        goals = reader.goals(grid.rows[0], reader.funds_header_row) if reading.goals else {}
    else:
        goals = reader.goals(goals_row, before) if reading.goals else {}
    indicators, total_row = reader.indicators(goals_row)
    texts = {name: header.get(f"texts.{name}", "") for name in TEXT_PARTS}
    form = Form(
        layout=reading.layout_id,
        code=header.get("code", ""),
        name=header.get("name", ""),
        year=header.get("year", ""),
        implementing_unit=header.get("implementing_unit", ""),
        budget_unit=header.get("budget_unit", ""),
        unit_code=header.get("unit_code", ""),
        supervisor=header.get("supervisor", ""),
        project_lead=header.get("project_lead", ""),
        finance_lead=header.get("finance_lead", ""),
        fund_rows=fund_rows[:len(reading.fund_rows)],
        funds_points=funds_points if reading.spec.has_field("funds.points") else None,
        funds_reason=funds_reason,
        goal_expected=goals.get("goal_expected", ""),
        goal_actual=goals.get("goal_actual", ""),
        indicators=indicators,
        texts=Texts(**texts),
        template_bound=True,
    )
    form = with_standard_fund_rows(form)
    return SheetForm(grid.title, form, reader.cells, reader.printed, tuple(reader.notes), total_row,
                     reader.computed_kinds)


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
                                       "工作簿中没有找到项目支出绩效自评表（未找到“项目名称”“一级指标”等标签）"))
    return result


def _read_one(ws: Worksheet, limits: Limits, cached: CachedValues) -> SheetForm | None:
    grid = Grid(ws, limits)
    matches = match_layouts(grid)
    if not matches or matches[0].score < LOOKS_LIKE_A_FORM:
        return None  # not a form at all (notes, ids, an empty sheet)
    return read_sheet(grid, cached, matches=matches)


STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"


class _ExactStringsReader(ExcelReader):
    """openpyxl's reader, with the shared strings as the file holds them. openpyxl deletes every
    "x005F_" from them, which turns the escaped literal "_x005F_x000D_" (a clerk's "_x000D_") into
    the escape of a carriage return; _text decodes each cell's text once, as Excel does."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings = []
        with self.archive.open(part.PartName[1:]) as source:
            for _, node in iterparse(source):  # defusedxml's when installed, as openpyxl's own
                if node.tag == STRING_TAG:
                    strings.append(Text.from_tree(node).content)
                    node.clear()
        self.shared_strings = strings


def _load(data: bytes, data_only: bool) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            # openpyxl.load_workbook, with the shared strings read exactly
            reader = _ExactStringsReader(io.BytesIO(data), read_only=False, keep_vba=False, data_only=data_only,
                                         keep_links=False, rich_text=False)
            reader.read()
            return reader.wb
    except Exception as exc:  # openpyxl raises many kinds on damaged packages
        cause: BaseException | None = exc
        while cause is not None:  # openpyxl wraps the parser's error in a ValueError
            if DefusedXmlException and isinstance(cause, DefusedXmlException):
                raise ReadError("文件含有不安全的 XML 实体定义（可能是恶意构造的文件），已拒绝读取") from None
            cause = cause.__cause__ or cause.__context__
        raise ReadError(f"文件已损坏或不是有效的 xlsx 工作簿（{type(exc).__name__}），"
                        "请在 WPS/Excel 中打开后另存为 .xlsx 再导入") from None
