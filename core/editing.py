"""Edits a clerk makes beyond typing in one cell: pasting a block, clearing cells, accepting
建议得分, picking a qualitative grade, adding, removing and moving indicator rows.

Each returns the new form and the paths it changed — or None for the paths when the rows
themselves changed (added, removed, moved), so everything below must be redrawn. The window wraps
each in one undo step.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from core.checks import Evaluation
from core.fields import with_value
from core.layouts import Cell, SheetLayout
from core.model import Form, Indicator
from core.numbers import as_number, quantize
from core.profile import Profile

MAX_PASTE_CELLS = 20000


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows of cells from a block copied in WPS/Excel (tab-separated, quoted cells may hold newlines)."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t")]


def paste_block(form: Form, layout: SheetLayout, row: int, col: int, text: str,
                editable: Callable[[Cell], bool]) -> tuple[Form, tuple[str, ...]]:
    """Fill consecutive cells the clerk may edit, from (row, col) (1-based), skipping grey ones.

    `editable(cell) -> bool` says which cells take values. Rows and values beyond the sheet are dropped.
    """
    block = parse_clipboard(text)
    paths: list[str] = []
    count = 0
    for offset, values in enumerate(block):
        r = row + offset
        if r > layout.rows:
            break
        targets: list[str] = []  # the fields of the cells the values go into
        c = col
        while c <= layout.columns and len(targets) < len(values):
            cell = layout.cell_at(r, c)
            if cell is not None and (cell.row, cell.col) == (r, c) and cell.field is not None and editable(cell):
                targets.append(cell.field)
            c = cell.last_col + 1 if cell is not None else c + 1
        for path, value in zip(targets, values, strict=False):
            count += 1
            if count > MAX_PASTE_CELLS:
                break
            form = with_value(form, path, value)
            paths.append(path)
    return form, tuple(paths)


def clear_fields(form: Form, paths: list[str]) -> tuple[Form, tuple[str, ...]]:
    """Empty the given fields; returns the paths that held something."""
    changed = []
    for path in paths:
        cleared = with_value(form, path, None if path.endswith((".points", ".score")) else "")
        if cleared != form:
            changed.append(path)
        form = cleared
    return form, tuple(changed)


def accept_suggestions(evaluation: Evaluation, rows: list[int] | None = None) -> tuple[Form, tuple[str, ...]]:
    """Set 得分 to 建议得分 for the given rows (all rows with a suggestion when None)."""
    form = evaluation.form
    paths = []
    indices = range(len(form.indicators)) if rows is None else rows
    for i in indices:
        suggestion = evaluation.suggestions[i]
        if suggestion.score is not None and as_number(form.indicators[i].score) != suggestion.score:
            form = with_value(form, f"indicators[{i}].score", suggestion.score)
            paths.append(f"indicators[{i}].score")
    return form, tuple(paths)


def set_grade(form: Form, index: int, grade: str, profile: Profile) -> tuple[Form, tuple[str, ...]]:
    """Pick a qualitative grade; a score outside the grade's band moves into it (full points for
    the top grade, the band's lower bound otherwise), so the score always matches the grade."""
    indicator = form.indicators[index]
    grade_path, score_path = f"indicators[{index}].grade", f"indicators[{index}].score"
    form = with_value(form, grade_path, grade)
    changed: tuple[str, ...] = (grade_path,) if grade != indicator.grade else ()
    profile = profile.for_layout(form.layout)
    band = profile.band(grade)
    points = as_number(indicator.points)
    if band is None or points is None:
        return form, changed
    low, high = (points * b / Decimal(100) for b in band)
    score = as_number(indicator.score)
    top = high == points
    inside = score is not None and (low <= score <= high if top else low <= score < high)
    if not inside:
        target = points if top else low
        form = with_value(form, score_path, quantize(target, profile.suggested_places))
        changed += (score_path,)
    return form, changed


def _same_group(a: Indicator, b: Indicator) -> bool:
    return a.level1 == b.level1 and a.level2 == b.level2


def insert_indicator(form: Form, index: int) -> tuple[Form, None]:
    """A new empty row after row `index`, in the same 一级/二级指标."""
    rows = list(form.indicators)
    model = rows[index]
    rows.insert(index + 1, Indicator(level1=model.level1, level2=model.level2))
    return replace(form, indicators=tuple(rows)), None


def remove_indicator(form: Form, index: int) -> tuple[Form, None]:
    rows = list(form.indicators)
    del rows[index]
    return replace(form, indicators=tuple(rows)), None


def move_indicator(form: Form, index: int, delta: int) -> tuple[Form, None] | None:
    """Move a row up (-1) or down (+1) within its 二级指标; None when it cannot move."""
    target = index + delta
    rows = list(form.indicators)
    if not 0 <= target < len(rows) or not _same_group(rows[index], rows[target]):
        return None
    rows[index], rows[target] = rows[target], rows[index]
    return replace(form, indicators=tuple(rows)), None
