"""Exporting xlsx, shared by the command line and the window.

A form imported from the budget system's workbook goes back into a copy of that workbook, changing
only the clerk's cells; a workbook holding several forms is exported once, whole, every one of its
forms filled from the database, so no upload carries other projects half-filled. A form without a
workbook (or asked for with `fresh`) is drawn fresh from its layout. Every file is read back before
it takes its final name (core.xlsx.verify).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from core.atomic_write import write_atomically
from core.checks import Evaluation
from core.layout_files import layout_spec
from core.model import Form
from core.xlsx.patch import PatchError, changed_cells, is_macro_workbook, patch_workbook
from core.xlsx.reader import SheetForm, WorkbookRead, read_workbook_data
from core.xlsx.verify import refuse_too_long, verify_xlsx
from core.xlsx.writer import XlsxOptions, sheet_title_for, write_xlsx

if TYPE_CHECKING:
    from core.store import Store

MACRO_WARNING = "原工作簿含有宏（VBA 代码）：为安全起见不把宏复制到导出的 xlsx 中，已按官方版式重新生成"


@dataclass(frozen=True)
class SheetEntry:
    """A form sheet of the source workbook and what fills it: a stored form (id) or the form as read."""

    sheet: str
    evaluation: Evaluation | None  # None: no stored form for this sheet, it is kept as the file has it
    form_id: int | None = None


@dataclass(frozen=True)
class XlsxJob:
    """One xlsx file to write for the `requested` form.

    With a `source` workbook, `sheets` lists every form sheet of it in sheet order, the requested
    one included; the file is that workbook with each of them filled. Without one, the file is a
    fresh sheet of the requested form."""

    requested: Evaluation
    form_id: int | None = None
    source: bytes | None = None
    source_name: str = ""
    sheet: str | None = None
    read: WorkbookRead | None = None
    sheets: tuple[SheetEntry, ...] = ()

    @property
    def into_copy(self) -> bool:
        return self.source is not None and self.sheet is not None and self.requested.form.template_bound

    @property
    def filled(self) -> tuple[SheetEntry, ...]:
        """The sheets this export fills (the requested form alone for a fresh sheet)."""
        if not self.into_copy:
            return (SheetEntry(self.sheet or "", self.requested, self.form_id),)
        return tuple(e for e in self.sheets if e.evaluation is not None)

    @property
    def form_ids(self) -> tuple[int, ...]:
        """The stored forms the file holds: all of them become 已导出."""
        return tuple(e.form_id for e in self.filled if e.form_id is not None)

    @property
    def several(self) -> bool:
        """The file is a system workbook holding several forms (exported whole)."""
        return self.into_copy and len(self.sheets) > 1

    def stem(self, fallback: str) -> str:
        """`{code}_{year}`, or `{code}_{year}_{n}表` after its first form for a workbook of n forms."""
        evaluations = [e.evaluation for e in self.filled if e.evaluation is not None]  # every one of them
        first = evaluations[0].form if evaluations else self.requested.form
        stem = file_stem(first.code, first.year, fallback, first.name, first.implementing_unit)
        return f"{stem}_{len(self.sheets)}表" if self.several else stem

    def fresh(self) -> XlsxJob:
        """The requested form alone, on a freshly drawn sheet (只导出本表（新表样）)."""
        return XlsxJob(self.requested, self.form_id)


def job_from_source(requested_sheet: str, data: bytes, name: str, read: WorkbookRead,
                    evaluation_for: Callable[[str, Form], tuple[int | None, Evaluation] | None],
                    ) -> XlsxJob:
    """A job for the form on `requested_sheet` of a workbook; `evaluation_for(sheet, form as read)`
    says what fills each form sheet (a stored form) or None to keep the sheet as it is."""
    entries = []
    requested: tuple[int | None, Evaluation] | None = None
    for sheet_form in read.forms:
        found = evaluation_for(sheet_form.sheet, sheet_form.form)
        form_id, evaluation = found if found is not None else (None, None)
        entries.append(SheetEntry(sheet_form.sheet, evaluation, form_id))
        if sheet_form.sheet == requested_sheet and evaluation is not None:
            requested = (form_id, evaluation)
    if requested is None:
        raise PatchError(f"原工作簿中没有可识别的工作表“{requested_sheet}”")
    return XlsxJob(requested[1], requested[0], data, name, requested_sheet, read, tuple(entries))


def stored_job(store: Store, form_id: int, evaluate_form: Callable[[Form], Evaluation]) -> XlsxJob:
    """The export job of a stored form: its source workbook's sheets filled from the database (the
    form linked to each sheet, else the stored form with that sheet's code and year)."""
    evaluation = evaluate_form(store.form(form_id))
    source = store.source_workbook(form_id)
    if source is None or source.sheet is None or not evaluation.form.template_bound:
        return XlsxJob(evaluation, form_id)
    read = read_workbook_data(source.data, source.file_name, checked=True)
    linked = {sheet: sibling for sibling, sheet in store.workbook_forms(form_id)}

    def evaluation_for(sheet: str, form: Form) -> tuple[int | None, Evaluation] | None:
        if sheet == source.sheet:
            return form_id, evaluation
        sibling = linked.get(sheet)
        if sibling is None:
            sibling = store.find_same(form)  # by code + year, or 项目名称 + year + 实施单位
        return (sibling, evaluate_form(store.form(sibling))) if sibling is not None else None

    try:
        return job_from_source(source.sheet, source.data, source.file_name, read, evaluation_for)
    except PatchError:  # the sheet is gone from its workbook (cannot happen for a stored import)
        return XlsxJob(evaluation, form_id)


def export_job(path: Path, job: XlsxJob, *, force: bool = False, options: XlsxOptions = XlsxOptions()) -> list[str]:
    """Write the job's file; returns warnings (Chinese). Raises ExportError (nothing is left under
    `path` when the file does not read back as meant)."""
    if not job.into_copy:
        write_xlsx(path, [(job.requested, sheet_title_for(job.requested.form))], force=force, options=options)
        return []
    filled = job.filled
    assert job.source is not None  # into_copy: there is a source workbook
    if is_macro_workbook(job.source, job.source_name):
        _write_fresh(path, filled, force, options)
        return [f"{path}：{MACRO_WARNING}"]
    try:
        return write_into_copy(path, job, force=force)
    except PatchError as exc:
        _write_fresh(path, filled, force, options)
        return [f"{path}：无法写入原工作簿的副本（{exc}），已按官方版式重新生成"]


def _write_fresh(path: Path, entries: tuple[SheetEntry, ...], force: bool, options: XlsxOptions) -> None:
    items = [(e.evaluation, sheet_title_for(e.evaluation.form)) for e in entries if e.evaluation is not None]
    write_xlsx(path, items, force=force, options=options)


def write_into_copy(path: Path, job: XlsxJob, *, force: bool = False) -> list[str]:
    """The source workbook with its forms' clerk cells filled (and grey cells the clerk unlocked and
    changed). Raises PatchError when it cannot be patched at all."""
    assert job.source is not None and job.read is not None
    by_sheet = {f.sheet: f for f in job.read.forms}
    expected = {e.sheet: e.evaluation.form for e in job.filled}  # type: ignore[union-attr]
    refuse_too_long(path, list(expected.values()))
    changes: dict[str, dict[str, object]] = {}
    warnings: list[str] = []
    for entry in job.sheets:
        if entry.evaluation is None:
            form = by_sheet[entry.sheet].form
            warnings.append(f"工作表“{entry.sheet}”（{form.name or form.code}）在数据库中没有对应的表，"
                            "已按原工作簿内容保留，请确认后再上传")
            continue
        sheet_changes = changed_cells(by_sheet[entry.sheet], entry.evaluation)
        changes[entry.sheet] = sheet_changes.cells
        layout = layout_spec(entry.evaluation.form.layout)
        stale = _stale_totals(by_sheet[entry.sheet], entry.evaluation) if layout and layout.system_recomputes else ""
        if stale:
            warnings.append(f"工作表“{entry.sheet}”中置灰的{stale}仍是预算系统原来的数，与您填写的合计不同："
                            "置灰部分不由本程序修改，导入预算系统后由系统重新计算")
        if sheet_changes.unlocked:
            from core.fields import field_label

            cells = "、".join(f"{ref}（{field_label(sheet_changes.paths[ref])}）" for ref in sheet_changes.unlocked)
            warnings.append(f"工作表“{entry.sheet}”中您解锁修改的置灰单元格已写入：{cells}。"
                            "置灰部分如强制修改导入系统，数据有出入请自行负责")
    data = patch_workbook(job.source, changes)
    write_atomically(path, data, overwrite=force, verify=lambda temp: verify_xlsx(temp, expected))
    return warnings


def _stale_totals(original: SheetForm, evaluation: Evaluation) -> str:
    """The computed cells the system printed that differ from the recomputed values ("总分、…")."""
    computed = evaluation.computed
    ours: dict[str, Decimal | None] = {"funds.rate": computed.rate, "funds.score": computed.funds_score,
            "total_points": computed.total_points, "total_score": computed.total_score}
    ours.update({f"groups[{i}].points": group.points for i, group in enumerate(computed.groups)})
    names = {"funds.rate": "执行率", "funds.score": "资金得分", "total_points": "总分值", "total_score": "总得分"}
    differing = []
    for path, printed in original.printed.items():
        value = ours.get(path)
        if value is not None and printed != value:
            if path.startswith("groups["):
                differing.append(f"“{computed.groups[int(path[7:].split(']')[0])].name}”分值")
            else:
                differing.append(names[path])
    return "、".join(differing)


def file_stem(code: str, year: str, fallback: str, name: str = "", unit: str = "") -> str:
    """`{code}_{year}` as SPEC §7 names batch files, safe on Windows and Linux; a form without a
    code (its layout has none) is `{name}_{unit}_{year}`, each cut to 40 characters."""
    if code.strip():
        stem = f"{code.strip()}_{year.strip()}"
    elif name.strip():
        stem = "_".join(" ".join(part.split())[:40] for part in (name, unit, year) if part.strip())
    else:
        stem = fallback
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem).strip(" .") or fallback


def export_xlsx(path: Path, evaluation: Evaluation, *, source: bytes | None = None, sheet: str | None = None,
                source_name: str = "", force: bool = False, options: XlsxOptions = XlsxOptions()) -> list[str]:
    """Write one form read from a workbook (`source`, its `sheet`) or drawn fresh; returns warnings.
    Other forms of the same workbook are kept as the file holds them."""
    if source is None or sheet is None or not evaluation.form.template_bound:
        return export_job(path, XlsxJob(evaluation), force=force, options=options)
    read = read_workbook_data(source, source_name or str(path), checked=True)
    try:
        job = job_from_source(sheet, source, source_name, read,
                              lambda s, _form: (None, evaluation) if s == sheet else None)
    except PatchError as exc:
        write_xlsx(path, [(evaluation, sheet_title_for(evaluation.form))], force=force, options=options)
        return [f"{path}：无法写入原工作簿的副本（{exc}），已按官方版式重新生成"]
    return export_job(path, job, force=force, options=options)

