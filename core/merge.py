"""Re-import: fold a form read again from a workbook into the form already in the store.

The budget system owns the grey cells; the clerk owns the starred ones. When a clerk imports a
project code + year that is already stored (a corrected template, or an exported file edited in
WPS), the result is:

- system-owned fields (layout, header, fund rows and amounts, 预期目标, each indicator's
  一级/二级/三级指标, 年度指标值, 度量单位) come from the file, as the file says them;
- clerk-owned fields (goal_actual, each indicator's actual, points, score, reason; the funds 原因,
  项目负责人, 财务负责人 and the text parts of the layouts that have them) take the
  file's value when the file has one, and keep the stored value when the file's cell is empty:
  an empty cell never blanks a clerk's work. `grade` is never in a file and is always kept.
- The list of indicator rows comes from the file. Stored rows are matched to file rows by
  position when the structure is unchanged (same rows, same 一级/二级 sequence), otherwise by
  the text of 一级/二级/三级指标, then 二级/三级, then a meaningful 三级 alone. A stored row that
  no file row matches is not in the merged form (the revision before the re-import keeps it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from core.model import Form, Indicator
from core.numbers import Entry, normalize_width

CLERK_INDICATOR_FIELDS = ("actual", "points", "score", "reason")
# The text parts some layouts add (四川): the clerk writes them; the system's export leaves them empty.
CLERK_TEXT_PARTS = ("process", "conclusion", "problems", "improvements")
# 三级指标 texts that say "nothing here": matching rows by them alone would pair unrelated rows.
NOT_MEANINGFUL = {"", "无", "不适用", "/", "—", "-", "－", "——"}


_Value = TypeVar("_Value", bound=Entry | str)


def is_empty(value: Entry | str) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _keep_unless_empty(file_value: _Value, stored_value: _Value) -> _Value:
    return stored_value if is_empty(file_value) else file_value


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", normalize_width(text or ""))


def _group_key(row: Indicator) -> tuple[str, str]:
    return _norm(row.level1), _norm(row.level2)


def _full_key(row: Indicator) -> tuple[str, ...]:
    return _norm(row.level1), _norm(row.level2), _norm(row.level3)


def _level23_key(row: Indicator) -> tuple[str, ...]:
    return _norm(row.level2), _norm(row.level3)


def _level3_key(row: Indicator) -> tuple[str, ...] | None:
    text = _norm(row.level3)
    return None if text in NOT_MEANINGFUL else (text,)


def match_indicators(stored: tuple[Indicator, ...], imported: tuple[Indicator, ...]) -> list[int | None]:
    """For each imported row, the index of the stored row whose clerk values it inherits, or None.

    Each stored row is used at most once; repeated texts pair up in sheet order.
    """
    if len(stored) == len(imported) and all(_group_key(s) == _group_key(i)
                                            for s, i in zip(stored, imported, strict=True)):
        return list(range(len(imported)))
    result: list[int | None] = [None] * len(imported)
    used: set[int] = set()
    passes: tuple[Callable[[Indicator], tuple[str, ...] | None], ...] = (_full_key, _level23_key, _level3_key)
    for key_of in passes:
        free: dict[tuple[str, ...], list[int]] = {}
        for index, row in enumerate(stored):
            key = key_of(row)
            if index not in used and key is not None:
                free.setdefault(key, []).append(index)
        for index, row in enumerate(imported):
            key = key_of(row)
            if result[index] is None and key is not None and free.get(key):
                match = free[key].pop(0)
                result[index] = match
                used.add(match)
    return result


def _merge_indicator(file_row: Indicator, stored_row: Indicator | None) -> Indicator:
    if stored_row is None:
        return file_row
    changes = {name: _keep_unless_empty(getattr(file_row, name), getattr(stored_row, name))
               for name in CLERK_INDICATOR_FIELDS}
    changes["grade"] = stored_row.grade
    return replace(file_row, **changes)


def merge_reimport(stored: Form, imported: Form) -> Form:
    """The stored form updated from `imported` (a form read again from a workbook)."""
    matches = match_indicators(stored.indicators, imported.indicators)
    indicators = tuple(
        _merge_indicator(row, None if match is None else stored.indicators[match])
        for row, match in zip(imported.indicators, matches, strict=True)
    )
    texts = replace(imported.texts, **{name: _keep_unless_empty(getattr(imported.texts, name),
                                                                 getattr(stored.texts, name))
                                       for name in CLERK_TEXT_PARTS})
    return replace(
        imported,
        goal_actual=_keep_unless_empty(imported.goal_actual, stored.goal_actual),
        funds_reason=_keep_unless_empty(imported.funds_reason, stored.funds_reason),
        project_lead=_keep_unless_empty(imported.project_lead, stored.project_lead),
        finance_lead=_keep_unless_empty(imported.finance_lead, stored.finance_lead),
        texts=texts,
        # 分值 of the funds row is a fixed 10 in both layouts: a file that leaves it empty does not
        # take ten points off the clerk's total.
        funds_points=_keep_unless_empty(imported.funds_points, stored.funds_points),
        indicators=indicators,
    )
