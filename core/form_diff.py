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

ROWS = ("fund_rows", "indicators")  # compared row by row, after the rest
PATHS = {"funds_points": "funds.points", "funds_reason": "funds.reason"}  # attribute -> field path


@dataclass(frozen=True)
class Change:
    path: str
    before: object
    after: object


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and str(a) == str(b)


def _row_fields(name: str, index: int, before: FundRow | Indicator, after: FundRow | Indicator) -> list[Change]:
    return [Change(f"{name}[{index}].{f.name}", getattr(before, f.name), getattr(after, f.name))
            for f in fields(before) if not _same(getattr(before, f.name), getattr(after, f.name))]


def _rows(name: str, before: tuple, after: tuple) -> list[Change]:
    """Rows matched as a text diff matches lines: an indicator inserted or removed is one change,
    not a change of every row below it. A changed row is named by its place in `after`, a removed
    one by its place in `before`."""
    import difflib  # here: the store imports this module at start-up, and nothing diffs there

    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, [_key(row) for row in before], [_key(row) for row in after],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = _pairs(before, range(i1, i2), after, range(j1, j2))
        paired_after = {j: i for i, j in pairs.items()}
        # In the order of the sheet: a removed row where it stood among the rows of `after`.
        placed: list[tuple[tuple[int, int], list[Change]]] = [
            ((j1 + i - i1, 1), [Change(f"{name}[{i}]", before[i], None)]) for i in range(i1, i2) if i not in pairs]
        for j in range(j1, j2):
            i = paired_after.get(j)
            placed.append(((j, 0), _row_fields(name, j, before[i], after[j]) if i is not None
                           else [Change(f"{name}[{j}]", None, after[j])]))
        for _, found in sorted(placed, key=lambda item: item[0]):
            changes += found
    return changes


def _pairs(before: tuple, olds: range, after: tuple, news: range) -> dict[int, int]:
    """{before index: after index} of the rows of a differing stretch that are the same row edited:
    those of the same name first (an indicator keeps its 三级指标 when its score is typed), then,
    when as many are left on both sides, the rest in order (renamed in place)."""
    pairs: dict[int, int] = {}
    free = list(news)
    for i in olds:
        same = next((j for j in free if _name(after[j]) == _name(before[i])), None)
        if same is not None:
            pairs[i] = same
            free.remove(same)
    left = [i for i in olds if i not in pairs]
    if len(left) == len(free):
        pairs.update(zip(left, free, strict=True))
    return pairs


def _name(row: object) -> tuple:
    return tuple(getattr(row, attribute, None) for attribute in ("label", "level1", "level2", "level3"))


def _key(row: FundRow | Indicator) -> tuple:
    """A row as compared: its values as written (15 and 15.00 differ, as on the sheet)."""
    return tuple((type(value).__name__, str(value)) for value in (getattr(row, f.name) for f in fields(row)))


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
    for name in ROWS:
        changes += _rows(name, getattr(before, name), getattr(after, name))
    return tuple(changes)
