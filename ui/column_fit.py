"""Fitting a table's columns into the width it has, without a horizontal scroll bar.

Columns the clerk must see are never hidden; the others shrink to their minimum (their text is
elided, the tooltip has it whole) and, when even that does not fit, are hidden, least important
first. Spare width goes to the columns that want more, most important first; the rest to the one
that stretches.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnNeed:
    preferred: int  # the width that shows the whole content
    minimum: int  # below this the column is hidden (a kept column is squeezed to it)
    priority: int  # higher: more important — hidden last, widened first
    keep: bool = False  # never hidden
    stretch: bool = False  # takes the width nobody else wants


def fit_columns(available: int, needs: list[ColumnNeed]) -> list[int]:
    """A width for each column, 0 for a hidden one; the widths add up to at most `available`
    (more only when the kept columns' minimums alone need more)."""
    shown = set(range(len(needs)))
    by_importance = sorted(shown, key=lambda i: (-needs[i].priority, i))
    for i in reversed(by_importance):
        if sum(min(needs[j].minimum, needs[j].preferred) for j in shown) <= available:
            break
        if not needs[i].keep:
            shown.discard(i)
    widths = [min(needs[i].minimum, needs[i].preferred) if i in shown else 0 for i in range(len(needs))]
    spare = available - sum(widths)
    for i in by_importance:
        if i in shown and spare > 0:
            grow = min(spare, needs[i].preferred - widths[i])
            if grow > 0:
                widths[i] += grow
                spare -= grow
    stretching = [i for i in by_importance if i in shown and needs[i].stretch]
    if spare > 0 and stretching:
        widths[stretching[0]] += spare
    return widths
