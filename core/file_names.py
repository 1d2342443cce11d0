"""The file name the window's save dialog proposes for a form: "{项目名称}_{项目编码}_{年度}.xlsx".

A clerk recognises a file by the project's name, the budget system by its code; both are in the
name. Characters Windows refuses in a file name (\\ / : * ? " < > | and control characters) become
"_", a name Windows reserves (CON, NUL, COM1 …) gets a "_" in front, and the project name is cut
short (the code and year never are) so the whole path stays under 200 characters: deep folders on
old Windows tools and zip programs still choke on longer paths. The command line keeps SPEC's
`{code}_{year}` (core.export.file_stem).
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_PATH = 200  # a suggested path is shorter than this
FALLBACK = "自评表"
_INVALID = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_part(text: str) -> str:
    """`text` usable as (part of) a file name on Windows and Linux: invalid characters replaced,
    runs of white space made one space, no leading or trailing space or dot."""
    return " ".join(_INVALID.sub("_", text).split()).strip(" .")


def suggested_file_name(name: str, code: str, year: str, suffix: str, folder: str | Path) -> str:
    """"{name}_{code}_{year}{suffix}" made safe, leaving out empty parts, with the name shortened so
    that `folder` + separator + the file name has fewer than MAX_PATH characters (the code and
    year are never cut; the name is left out entirely if need be)."""
    name, code, year = safe_part(name), safe_part(code), safe_part(year)
    tail = "".join(f"_{part}" for part in (code, year) if part)
    room = MAX_PATH - 1 - len(str(folder)) - 1 - len(suffix)  # folder, separator, stem, suffix
    if name:
        keep = max(0, room - len(tail))
        name = name[:keep].rstrip(" ._")
    # In a folder so deep that not even "{code}_{year}" fits, that is proposed anyway: a name cut
    # inside the code would mislead, and the dialog lets the clerk pick a shorter folder.
    stem = (name + tail).lstrip("_") or FALLBACK
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem + suffix
