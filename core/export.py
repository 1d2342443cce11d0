"""Exporting a form, shared by the command line and the window: into a copy of the budget system's
workbook when the form came from one, otherwise drawn fresh from the layout description."""

from __future__ import annotations

import re
from pathlib import Path

from core.checks import Evaluation
from core.xlsx_patch import PatchError
from core.xlsx_writer import XlsxOptions, sheet_title_for, write_into_copy, write_xlsx


def export_xlsx(path: Path, evaluation: Evaluation, *, source: bytes | None = None, sheet: str | None = None,
                force: bool = False, options: XlsxOptions = XlsxOptions()) -> list[str]:
    """Write one form; returns warnings (Chinese) such as a fallback to a fresh sheet."""
    warnings = []
    if source is not None and sheet is not None and evaluation.form.template_bound:
        try:
            write_into_copy(path, evaluation, source, sheet, force=force)
            return warnings
        except PatchError as exc:
            warnings.append(f"{path}：无法写入原工作簿的副本（{exc}），已按官方版式重新生成")
    write_xlsx(path, [(evaluation, sheet_title_for(evaluation.form))], force=force, options=options)
    return warnings


def file_stem(code: str, year: str, fallback: str) -> str:
    """`{code}_{year}` as SPEC §7 names batch files, safe on Windows and Linux."""
    stem = f"{code.strip()}_{year.strip()}" if code.strip() else fallback
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem).strip(" .") or fallback
