"""A form as plain JSON-ready data and back, for the store and the clipboard.

Decimals travel as strings ("4560000.00") so nothing is ever a float; a numeric field holding text
the clerk typed is kept as {"text": "..."} so it comes back as text, not as a number.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from core.model import Form, FundRow, Indicator, Texts
from core.numbers import Entry, plain

ENTRY_FIELDS = {"initial_budget", "annual_budget", "executed", "points", "score", "funds_points"}
FORMAT_VERSION = 1

_Row = TypeVar("_Row", FundRow, Indicator, Texts)


def _entry_out(value: Entry) -> str | dict[str, str] | None:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, str):
        return {"text": value}
    return None


def _entry_in(value: object) -> Entry:
    if value is None:
        return None
    if isinstance(value, dict):
        return str(value.get("text", ""))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"not a decimal string: {value!r}") from None
    raise ValueError(f"not a stored entry: {value!r}")


def _row_out(row: FundRow | Indicator) -> dict:
    return {f.name: (_entry_out(getattr(row, f.name)) if f.name in ENTRY_FIELDS else getattr(row, f.name))
            for f in fields(row)}


# The fields each class has, named once: asking dataclasses.fields() per row was a tenth of a load.
_FIELD_NAMES = {cls: frozenset(f.name for f in fields(cls)) for cls in (Form, FundRow, Indicator, Texts)}
_ENTRY_NAMES = {cls: tuple(ENTRY_FIELDS & names) for cls, names in _FIELD_NAMES.items()}


def _row_in(cls: type[_Row], data: dict) -> _Row:
    known = _FIELD_NAMES[cls]
    values: dict[str, Any] = dict(data) if data.keys() <= known else {k: v for k, v in data.items() if k in known}
    for name in _ENTRY_NAMES[cls]:
        if name in values:
            values[name] = _entry_in(values[name])
    return cls(**values)


def form_to_dict(form: Form) -> dict:
    data = {}
    for f in fields(form):
        value = getattr(form, f.name)
        if f.name in ("fund_rows", "indicators"):
            value = [_row_out(row) for row in value]
        elif f.name == "texts":
            value = {t.name: getattr(value, t.name) for t in fields(Texts)}
        elif f.name in ENTRY_FIELDS:
            value = _entry_out(value)
        data[f.name] = value
    data["format"] = FORMAT_VERSION
    return data


def form_from_dict(data: dict) -> Form:
    """The form back; unknown keys (from a newer program) are ignored, missing ones take defaults."""
    known = _FIELD_NAMES[Form]
    values = {}
    for key, value in data.items():
        if key not in known:
            continue
        if key == "fund_rows":
            value = tuple(_row_in(FundRow, row) for row in value)
        elif key == "indicators":
            value = tuple(_row_in(Indicator, row) for row in value)
        elif key == "texts":
            value = _row_in(Texts, value)
        elif key in ENTRY_FIELDS:
            value = _entry_in(value)
        values[key] = value
    return Form(**values)
