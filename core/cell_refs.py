"""Spreadsheet column letters, without loading openpyxl: 1 <-> "A", 27 <-> "AA"."""

from __future__ import annotations


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """ValueError for anything but letters."""
    number = 0
    for ch in letters.strip().upper():
        if not "A" <= ch <= "Z":
            raise ValueError(letters)
        number = number * 26 + ord(ch) - 64
    return number
