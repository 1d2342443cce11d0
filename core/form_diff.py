"""What differs between two states of a form (two revisions), field by field.

Paths are the field paths of core.fields ("name", "funds.points", "texts.conclusion",
"fund_rows[0].executed", "indicators[3].score"); a row present on one side only is reported once as
"indicators[5]" with None on the missing side. Numbers compare as written: 15 and 15.00 differ,
because they print differently on the sheet. Every field of the form is compared — a restore brings
back the whole revision, so the history must not be blind to any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from core.model import Form, FundRow, Indicator, Texts

ROWS = {"fund_rows": FundRow, "indicators": Indicator}  # compared row by row, after the rest
PATHS = {"funds_points": "funds.points", "funds_reason": "funds.reason"}  # attribute -> field path


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
    changes = []
    for f in fields(Form):
        if f.name in ROWS:
            continue
        if f.name == "texts":
            for part in fields(Texts):
                old, new = getattr(before.texts, part.name), getattr(after.texts, part.name)
                if not _same(old, new):
                    changes.append(Change(f"texts.{part.name}", old, new))
        elif not _same(getattr(before, f.name), getattr(after, f.name)):
            changes.append(Change(PATHS.get(f.name, f.name), getattr(before, f.name), getattr(after, f.name)))
    for name, cls in ROWS.items():
        changes += _rows(name, getattr(before, name), getattr(after, name), cls)
    return tuple(changes)
