"""Reading an exported xlsx back before it replaces the target, as backup tools verify what they wrote.

A file is accepted only when the package opens, every XML part parses, and each form read back by
our own reader equals the form exported in every field its layout shows (computed cells aside: the
system's workbook keeps its own). Anything else is a bug in the writer, never a reason to fall
back to another kind of file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from core.atomic_write import ExportError, VerifyError
from core.fields import field_label, value_at
from core.layout_files import layout_spec
from core.layouts import Role, UnknownLayoutError, sheet_layout
from core.model import Form
from core.text import CELL_CHARS, ILLEGAL_XML
from core.xlsx.reader import read_workbook_data
from core.xlsx.scan import ScanError, check_well_formed, decode_part


def refuse_too_long(target: Path, forms: list[Form]) -> None:
    """Raise ExportError before anything is written when a form's layout file is missing, or a
    text is longer than a cell holds: the file could not hold it (and would not read back)."""
    for form in forms:
        if layout_spec(form.layout) is None:
            raise ExportError(f"无法导出 {target}：{UnknownLayoutError(form.layout)}", target)
    for form in forms:
        for spec in sheet_layout(form).cells:
            if spec.field is None or spec.role not in (Role.CLERK, Role.SYSTEM):
                continue
            value = value_at(form, None, spec.field)
            if isinstance(value, str) and len(value) > CELL_CHARS:
                who = form.name or form.code or "自评表"
                raise ExportError(f"无法导出 {target}：“{who}”的{field_label(spec.field)}（{spec.ref}）"
                                  f"有 {len(value)} 个字符，超过电子表格单元格的上限 {CELL_CHARS} 个字符，"
                                  "请删减后再导出", target)


def verify_xlsx(path: Path, expected: Mapping[str, Form]) -> None:
    """Raise VerifyError unless the xlsx at `path` holds `expected` ({sheet name: form})."""
    data = Path(path).read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            broken = archive.testzip()
            if broken is not None:
                raise VerifyError(f"压缩包中的 {broken} 已损坏")
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        check_well_formed(decode_part(archive.read(name))[0])
                    except ScanError as exc:
                        raise VerifyError(f"{name}：{exc}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise VerifyError(f"文件无法作为 xlsx 打开（{exc}）") from None
    read = read_workbook_data(data, str(path), checked=True)
    forms = {f.sheet: f.form for f in read.forms}
    for sheet, form in expected.items():
        if sheet not in forms:
            problems = [p.message for p in read.problems if p.sheet == sheet] or ["没有读到自评表"]
            raise VerifyError(f"工作表“{sheet}”：{problems[0]}")
        difference = first_difference(form, forms[sheet])
        if difference:
            raise VerifyError(f"工作表“{sheet}”（{form.name or form.code}）{difference}")


def first_difference(expected: Form, actual: Form) -> str | None:
    """The first field the layout shows (computed cells aside) where `actual` differs, described
    in Chinese; None when they agree."""
    if expected.layout != actual.layout:
        return f"版式应为 {expected.layout}，读回为 {actual.layout}"
    if len(expected.indicators) != len(actual.indicators):
        return f"应有 {len(expected.indicators)} 个指标，读回 {len(actual.indicators)} 个"
    for spec in sheet_layout(expected).cells:
        if spec.field is None or spec.role not in (Role.CLERK, Role.SYSTEM):
            continue
        want = value_at(expected, None, spec.field)
        got = value_at(actual, None, spec.field)
        if not same_cell_value(want, got):
            return f"{field_label(spec.field)}（{spec.ref}）应为“{_shown(want)}”，读回为“{_shown(got)}”"
    return None


def same_cell_value(want: object, got: object) -> bool:
    """Equal as a cell holds them: numbers by value (7 and 7.00), text as written, where empty and
    blank are the same and characters XML cannot carry are dropped."""
    if isinstance(want, Decimal) and isinstance(got, Decimal):
        return want == got
    if isinstance(want, Decimal) or isinstance(got, Decimal):
        return False
    return _text(want) == _text(got)


def _text(value: object) -> str:
    text = ILLEGAL_XML.sub("", "" if value is None else str(value))
    return text if text.strip() else ""


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:40] + "…"
