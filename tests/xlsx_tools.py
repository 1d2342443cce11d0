"""Helpers for tests that need xlsx files openpyxl cannot write directly (cached formula results)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def set_cached_values(path: Path, sheet_part: str, values: dict[str, str]) -> None:
    """Give formula cells a cached result, as Excel does when it saves: openpyxl writes `<v />`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    xml = parts[sheet_part].decode("utf-8")
    for ref, value in values.items():
        pattern = re.compile(rf'(<c r="{ref}"[^>]*>)(<f>.*?</f>)<v\s*/>')
        def cached(m: re.Match[str], value: str = value) -> str:  # bound now: one value per cell
            return f"{m.group(1)}{m.group(2)}<v>{value}</v>"

        xml, count = pattern.subn(cached, xml)
        assert count == 1, f"no formula cell {ref} in {sheet_part}"
    parts[sheet_part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def rewrite_part(path: Path, part: str, edit) -> None:
    """Rewrite one part of an xlsx package with `edit(xml_text) -> xml_text`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts[part] = edit(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def set_inline_string(path: Path, sheet_part: str, ref: str, text: str) -> None:
    """Put a string in a cell as raw XML, bypassing openpyxl's 32 767-character truncation."""
    def edit(xml: str) -> str:
        cell = f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
        new, count = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', lambda _: cell, xml, count=1, flags=re.S)
        assert count == 1, f"no cell {ref} in {sheet_part}"
        return new
    rewrite_part(path, sheet_part, edit)
