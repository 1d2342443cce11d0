"""Decimal helpers: the one place where numbers are parsed, rounded and printed.

Money and scores never touch float. Text from cells and keyboards is parsed leniently (full-width
digits, thousands separators, stray spaces); anything that is not a number is kept as the text the
clerk typed, so nothing is lost and the checks can point at it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

# A numeric entry of the form: a Decimal when it is a number, the text as typed when it is not
# (the checks report it), None when the cell is empty.
Entry = Decimal | str | None

# The largest numbers the form holds: amounts up to 10^15 yuan (Excel keeps 15 digits), at most
# six decimals. Anything beyond is kept as text and reported, never computed with.
MAX_DIGITS = 15
MAX_PLACES = 6

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


# Ratios of bounded numbers never come near 60 digits. One context and one exponent per number of
# places, made once: entering a localcontext per call was a tenth of a form's evaluation.
_ROUNDING = Context(prec=60, rounding=ROUND_HALF_UP)
_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(13)}


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half-up (四舍五入) to `places` decimals. The only rounding function in the program."""
    if not isinstance(value, Decimal):
        raise TypeError(f"quantize needs a Decimal, got {type(value).__name__}")
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP, context=_ROUNDING)


def in_range(value: Decimal) -> bool:
    """A finite number the form can hold: under 10^15, at most six decimals."""
    return (value.is_finite() and (value.adjusted() < MAX_DIGITS or not value)
            and value.as_tuple().exponent >= -MAX_PLACES)  # type: ignore[operator]  # finite: an int


def normalize_width(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC)."""
    if text.isascii():
        return text  # NFKC leaves ASCII as it is
    return unicodedata.normalize("NFKC", text)


def parse_decimal(text: str) -> Decimal | None:
    """The number written in `text`, or None when it is not a plain number the form can hold.

    Accepts full-width digits, thousands separators ("4,560,000.00"), surrounding spaces and a sign.
    Rejects anything else (units, percent signs, words, exponents) rather than guessing, and
    numbers beyond MAX_DIGITS / MAX_PLACES.
    """
    number = _literal(text)
    return number if number is not None and in_range(number) else None


def out_of_range(text: str) -> bool:
    """True when `text` is a well-formed number the form cannot hold (too many digits)."""
    number = _literal(text)
    return number is not None and not in_range(number)


def _literal(text: str) -> Decimal | None:
    s = normalize_width(text).strip().replace(" ", "")
    if not s:
        return None
    if _GROUPED.fullmatch(s):
        s = s.replace(",", "")
    elif not _PLAIN.fullmatch(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the patterns above only admit valid literals
        return None


def from_cell_number(value: int | float) -> Decimal:
    """A number read from a spreadsheet cell, exactly as the cell prints it.

    openpyxl hands numeric cells over as int or float; repr() of a float is the shortest text that
    reads back to the same float, which is the decimal the cell holds (up to Excel's 15 digits).
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        if value.is_integer() and abs(value) < 1e15:
            return Decimal(int(value))
        return Decimal(repr(value))
    raise TypeError(f"not a cell number: {type(value).__name__}")


def to_entry(value: object) -> Entry:
    """Normalize a value typed or read for a numeric field. Floats are refused: convert at the
    boundary with from_cell_number()."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if in_range(value) else plain(value)
    if isinstance(value, bool):
        raise TypeError("a boolean is not a numeric entry")
    if isinstance(value, int):
        return to_entry(Decimal(value))
    if isinstance(value, float):
        raise TypeError("floats are not accepted for money or scores; use from_cell_number()")
    if isinstance(value, str):
        if not value.strip():
            return None
        number = parse_decimal(value)
        return number if number is not None else value
    raise TypeError(f"not a numeric entry: {type(value).__name__}")


def as_number(entry: Entry) -> Decimal | None:
    """The Decimal of an entry, None when it is empty or text."""
    return entry if isinstance(entry, Decimal) else None


def plain(value: Decimal) -> str:
    """A Decimal as ordinary positional text (never "1E+2"), keeping its trailing zeros."""
    return format(value, "f")


def compact(value: Decimal) -> str:
    """A Decimal without needless trailing zeros: 50.00 -> "50", 49.50 -> "49.5"."""
    text = format(value, "f")  # plain(), inlined: 建议得分's messages print ten numbers a row
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def places_of(value: Decimal) -> int:
    """How many decimals a Decimal is written with ("4481566.005" -> 3)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def format_number(value: Decimal, number_format: str) -> str:
    """Print a number the way a spreadsheet with this number format shows it.

    Only the formats layouts use: "0", "0.00", "0.0000", "General" (as a spreadsheet shows a
    number: no trailing zeros, 22.5 + 22.5 + 30 + 15 + 10 is "100"), and percentages "0%", "0.00%"
    for a value that already is a percentage (执行率 86.20 prints "86.20%").
    """
    if number_format == "General":
        return compact(value)
    match = re.fullmatch(r"0(?:\.(0+))?(%?)", number_format)
    if not match:
        raise ValueError(f"unsupported number format {number_format!r}")
    places = len(match.group(1) or "")
    return plain(quantize(value, places)) + match.group(2)


def entry_text(entry: Entry, number_format: str = "General") -> str:
    """What a cell shows for an entry: the formatted number, the text as typed, or nothing."""
    if entry is None:
        return ""
    if isinstance(entry, Decimal):
        return format_number(entry, number_format)
    return entry
