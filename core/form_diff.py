"""What differs between two states of a form (two revisions), field by field.

Paths are the field paths of core.fields ("name", "fund_rows[0].executed", "indicators[3].score");
"funds_points" is the funds row's 分值; a row present on one side only is reported once as
"indicators[5]" with None on the missing side. Numbers compare as written: 15 and 15.00 differ,
because they print differently on the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from core.model import Form, FundRow, Indicator

FORM_FIELDS = ("layout", "code", "name", "year", "implementing_unit", "budget_unit", "unit_code",
               "funds_points", "goal_expected", "goal_actual", "template_bound")


@dataclass(frozen=True)
class Change:
    path: str
    before: object
    after: object


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and str(a) == str(b)


def _rows(name: str, before: tuple, after: tuple, cls: type) -> list[Change]:
    changes = []
    for index in range(max(len(before), len(after))):
        if index >= len(before) or index >= len(after):
            old = before[index] if index < len(before) else None
            new = after[index] if index < len(after) else None
            changes.append(Change(f"{name}[{index}]", old, new))
            continue
        for f in fields(cls):
            old, new = getattr(before[index], f.name), getattr(after[index], f.name)
            if not _same(old, new):
                changes.append(Change(f"{name}[{index}].{f.name}", old, new))
    return changes


def diff_forms(before: Form, after: Form) -> tuple[Change, ...]:
    changes = [Change(name, getattr(before, name), getattr(after, name))
               for name in FORM_FIELDS if not _same(getattr(before, name), getattr(after, name))]
    changes += _rows("fund_rows", before.fund_rows, after.fund_rows, FundRow)
    changes += _rows("indicators", before.indicators, after.indicators, Indicator)
    return tuple(changes)
