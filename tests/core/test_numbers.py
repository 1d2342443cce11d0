from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import compact, entry_text, format_number, from_cell_number, parse_decimal, quantize, to_entry


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4560000.00", "4560000.00"),
        ("4,560,000.00", "4560000.00"),
        ("４５６００００.００", "4560000.00"),
        ("４，５６０，０００", "4560000"),
        (" 15 ", "15"),
        ("-3.5", "-3.5"),
        (".5", "0.5"),
        ("1,23", None),  # not a thousands grouping: do not guess
        ("15分", None),
        ("98.28%", None),
        ("1E5", None),
        ("", None),
        ("十五", None),
    ],
)
def test_parse_decimal_accepts_what_clerks_type_and_nothing_else(text, expected):
    result = parse_decimal(text)
    assert (None if result is None else str(result)) == expected


def test_quantize_is_half_up():
    assert quantize(Decimal("2.345"), 2) == Decimal("2.35")
    assert quantize(Decimal("-2.345"), 2) == Decimal("-2.35")
    assert quantize(Decimal("9.825"), 2) == Decimal("9.83")
    with pytest.raises(TypeError):
        quantize(2.345, 2)  # type: ignore[arg-type]  # the point: a float is refused


def test_cell_numbers_become_the_decimal_the_cell_shows():
    assert from_cell_number(4481566.0) == Decimal("4481566")
    assert str(from_cell_number(98.28)) == "98.28"
    assert str(from_cell_number(0.1)) == "0.1"
    assert from_cell_number(7) == Decimal(7)


def test_formats_of_the_layouts():
    assert format_number(Decimal("98.28"), "0.0000") == "98.2800"
    assert format_number(Decimal("15"), "0.00") == "15.00"
    assert format_number(Decimal("7"), "General") == "7"
    assert format_number(Decimal("1E+2"), "General") == "100"
    assert compact(Decimal("50.00")) == "50" and compact(Decimal("49.50")) == "49.5"
    assert entry_text("abc", "0.00") == "abc" and entry_text(None) == ""


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_typed_numbers_round_trip_through_text(value):
    assert to_entry(format_number(value, "General")) == value


@pytest.mark.parametrize("text", ["1" + "0" * 30, "1" * 16, "0.0000001", "1E+300"])
def test_numbers_the_form_cannot_hold_stay_text(text):
    assert to_entry(text) == text
    assert to_entry(Decimal(text)) == format(Decimal(text), "f")


def test_the_largest_amounts_are_numbers():
    assert to_entry("999999999999999.99") == Decimal("999999999999999.99")
    assert to_entry("0.000001") == Decimal("0.000001")
    assert quantize(Decimal("999999999999999") / Decimal("0.000001"), 2) == Decimal("999999999999999000000.00")
