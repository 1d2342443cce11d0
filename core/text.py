"""The text a form holds: every line ending a plain "\\n", no character a spreadsheet cannot store.

A clerk's text arrives from many places — typed, pasted from Word (soft line breaks are \\x0b) or
WPS (\\r\\n), read from files whose writers escaped a carriage return as "_x000D_". Normalized once,
where a form is made, it reads back from every file we write exactly as it was.
"""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 cannot carry (an xlsx cell holds tab and newline but not these).
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # the above, and \r
# Word's line and page breaks as pasted; they mean a new line.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")

# The most characters a spreadsheet cell holds (Excel and WPS).
CELL_CHARS = 32767


def needs_cleaning(text: str) -> bool:
    """True when clean_text() would change `text`."""
    return _NEEDS_CLEANING.search(text) is not None


def clean_text(text: str) -> str:
    """Line endings as "\\n" (also for \\r\\n, a lone \\r and Word's \\x0b/\\x0c) and no characters
    XML cannot carry. Fast for the usual text, which needs nothing."""
    if not _NEEDS_CLEANING.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS)
    return ILLEGAL_XML.sub("", text)


_ESCAPE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def escape_cell_text(text: str) -> str:
    """The text to store in a cell so that Excel, WPS and unescape_cell_text show `text` as it is:
    the "_" that starts a literal "_xHHHH_" is itself written "_x005F_" (every such start, also
    of overlapping ones: "_x0041_x0042_")."""
    if "_x" not in text:
        return text
    return _ESCAPE_START.sub("_x005F_", text)


def unescape_cell_text(text: str) -> str:
    """A cell's text with the spreadsheet escapes "_xHHHH_" decoded ("_x000D_" is a carriage
    return; "_x005F_" an underscore, so "_x005F_x000D_" stays the literal "_x000D_")."""
    if "_x" not in text:
        return text
    decoded = OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(decoded):
        # Each escape is a UTF-16 unit: a pair ("_xD83D__xDE00_") is one character; a lone one (a
        # damaged file) is no character and could not be stored, so it becomes U+FFFD.
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return decoded


_LATIN_RUN = re.compile(r"[!-~]+")  # printable ASCII but the space: letters, digits, "82.5%"
_NOT_COUNTED = re.compile(r"[!-~\s\u200b-\u200d\ufeff]")


def chinese_word_count(text: str) -> int:
    """字数 as WPS and Word count it for a limit such as "(200字以内)": each Chinese character or
    full-width mark is one, a run of Latin letters, digits and their punctuation ("82.5%") is one,
    spaces and line breaks are none."""
    return len(_LATIN_RUN.findall(text)) + len(_NOT_COUNTED.sub("", text))


def display_width(text: str) -> int:
    """Width in character cells as a spreadsheet or a terminal shows it: CJK and full-width
    characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def norm(text: str) -> str:
    """A label (or a name that identifies a form) as compared: half-width, no spaces, no leading
    '*', no trailing colon — "实施单位 ：" and "实施单位:" are the same label."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    return s.lstrip("*").rstrip(":")
