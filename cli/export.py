"""`export-xlsx`, `export-pdf` (SPEC §7) and `export-report` (the draft 自评报告, .docx).

    export-xlsx   ID|--all OUT [--db PATH] [--force] [--one-workbook] [--fresh]
    export-pdf    ID|--all OUT [--db PATH] [--force]
    export-report ID|--all OUT [--db PATH] [--force] [--template FILE.toml]

An argument naming an existing xlsx file exports the forms read from it instead of stored ones.
With --all OUT is a folder and each form becomes {code}_{year}.xlsx / .pdf / _自评报告.docx; a budget-system
workbook holding several forms is written once, whole, as {code}_{year}_{n}表.xlsx after its first
form (--fresh: each requested form alone on a freshly drawn sheet). An existing file is never
replaced without --force (a report may hold the clerk's own edits); a form that fails is
reported and the others are still written. A report leaves the form's status as it is: it is a
draft beside the form, not the form sent to the budget system.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cli.common import Outcome, Parser, UsageError, problem_line, profile_of, store_options, store_profile
from core.atomic_write import ExportError
from core.checks import Evaluation, evaluate
from core.export import XlsxJob, export_job, job_from_source, stored_job
from core.os_errors import os_reason
from core.pdf.writer import PdfOptions, write_pdf
from core.profile import Profile
from core.store import Store, resolve_db_path
from core.store.errors import StoreBusyError, StoreError
from core.store.unit_settings import UnitSettings
from core.xlsx.guard import ReadError, read_checked
from core.xlsx.reader import read_workbook_data
from core.xlsx.writer import XlsxOptions, sheet_title_for, write_xlsx

if TYPE_CHECKING:
    from core.self_report.template import Template

# What each export writes: the file name's ending, and what to call the file in a message.
SUFFIXES = {"xlsx": ".xlsx", "pdf": ".pdf", "report": "_自评报告.docx"}
KINDS = {"xlsx": (".xlsx", "Excel 工作簿"), "pdf": (".pdf", "PDF 文件"), "report": (".docx", "Word 文档")}


@dataclass(frozen=True)
class Item:
    """One form to export (an xlsx job: the file it goes into), with its id when stored."""

    job: XlsxJob
    form_id: int | None = None

    @property
    def evaluation(self) -> Evaluation:
        return self.job.requested


def add_parsers(commands: argparse._SubParsersAction[Parser]) -> None:
    for name, what in (("export-xlsx", "导出官方版式 xlsx"), ("export-pdf", "导出供签字盖章的 PDF"),
                       ("export-report", "根据自评表起草项目支出绩效自评报告（Word .docx）")):
        command = commands.add_parser(name, help=what)
        command.add_argument("targets", nargs="+", metavar="ID|FILE.xlsx OUT")
        command.add_argument("--all", action="store_true", help="导出数据库中的全部表；OUT 为文件夹")
        command.add_argument("--force", action="store_true", help="覆盖已存在的文件")
        if name == "export-xlsx":
            command.add_argument("--one-workbook", action="store_true", help="全部表写入 OUT 一个工作簿，每表一页")
            command.add_argument("--fresh", action="store_true",
                                 help="只导出所选的表，按官方表样重新生成（不写入原工作簿的副本）")
        if name == "export-report":
            command.add_argument("--template", metavar="FILE.toml",
                                 help="自评报告模板（默认按版式选用：数据库文件夹下 report_templates 中的，或内置的）")
        store_options(command)


def command(kind: str) -> Callable[[argparse.Namespace, Outcome], dict]:
    """The command function of export-xlsx or export-pdf."""
    def run(args: argparse.Namespace, outcome: Outcome) -> dict:
        return run_export(args, outcome, kind=kind)
    return run


def _split_targets(args: argparse.Namespace) -> tuple[str | None, Path]:
    if args.all:
        if len(args.targets) != 1:
            raise UsageError("用法错误：使用 --all 时只需给出输出文件夹 OUT")
        return None, Path(args.targets[0])
    if len(args.targets) != 2:
        raise UsageError("用法错误：需要 ID（或 xlsx 文件）和输出路径 OUT，或使用 --all OUT")
    return args.targets[0], Path(args.targets[1])


def _items_from_file(path: str, profile: Profile, outcome: Outcome) -> list[Item]:
    try:
        data = read_checked(path)
    except ReadError as exc:
        outcome.problem(path, None, str(exc), f"{path}：{exc}")
        return []
    result = read_workbook_data(data, path, checked=True)
    for problem in result.problems:
        problem_line(outcome, problem)
    evaluations = {f.sheet: evaluate(f.form, profile) for f in result.forms}
    return [Item(job_from_source(f.sheet, data, Path(path).name, result,
                                 lambda sheet, _form: (None, evaluations[sheet])))
            for f in result.forms]


def _open_to_read(args: argparse.Namespace, outcome: Outcome, profile: Profile) -> Store | None:
    """The store, read only (a report changes nothing in it, so it works beside the open window)."""
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        outcome.problem(str(path), None, f"数据库文件 {path} 不存在（请先用 import 导入，或用 --db 指定数据库）")
        return None
    try:
        return Store(path, read_only=True, profile=profile)
    except StoreError as exc:
        outcome.problem(str(path), None, str(exc))
        return None


def _open_for_export(args: argparse.Namespace, outcome: Outcome, profile: Profile) -> tuple[Store | None, bool]:
    """A writer (exports are recorded: status 已导出); read-only when the window holds the database,
    so the files are still written and the clerk is told the status could not be recorded. A
    database that does not exist is reported, not created empty; one that cannot be written (a
    read-only file or folder, a full disk) is reported before anything is written."""
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        outcome.problem(str(path), None, f"数据库文件 {path} 不存在（请先用 import 导入，或用 --db 指定数据库）")
        return None, False
    try:
        return Store(path, profile=profile), True
    except StoreBusyError:
        pass
    except StoreError as exc:
        outcome.problem(str(path), None, str(exc))
        return None, False
    try:
        store = Store(path, read_only=True, profile=profile)
    except StoreError as exc:
        outcome.problem(str(path), None, str(exc))
        return None, False
    outcome.problem(str(store.path), None,
                    "数据库正被其他程序（如本程序的窗口）使用：文件照常导出，但未记录“已导出”状态")
    return store, False


def _items_from_store(store: Store, target: str | None, profile: Profile, outcome: Outcome, kind: str,
                      fresh: bool) -> list[Item]:
    ids = [row.id for row in store.list_forms()] if target is None else [int(target)]
    items = []
    covered: set[int] = set()  # forms already in the file of an earlier one (one workbook, several forms)
    for form_id in ids:
        if form_id in covered:
            continue
        try:
            if kind == "xlsx" and not fresh:
                job = stored_job(store, form_id, lambda form: evaluate(form, profile))
            else:
                job = XlsxJob(evaluate(store.form(form_id), profile), form_id)
        except StoreError as exc:
            outcome.problem(str(store.path), None, str(exc))
            continue
        except Exception as exc:  # a bug must not stop the batch: report the form and go on
            outcome.problem(str(store.path), None, f"编号 {form_id} 的表无法准备导出（{type(exc).__name__}：{exc}）")
            continue
        covered.update(job.form_ids)
        items.append(Item(job, form_id))
    return items


def run_export(args: argparse.Namespace, outcome: Outcome, *, kind: str) -> dict:
    profile = profile_of(args, outcome)
    fresh = kind == "xlsx" and args.fresh
    target, out = _split_targets(args)
    store, writable = None, False
    if target is not None and (Path(target).exists() or not target.strip().isdigit()):
        items = _items_from_file(target, profile, outcome)
        if kind == "xlsx" and not fresh:
            items = items[:1]  # one workbook, written once, whole
        settings = UnitSettings()
    elif kind == "report":
        store = _open_to_read(args, outcome, profile)
        if store is None:
            return {}
        items = _items_from_store(store, target, store_profile(args, outcome, store, profile), outcome, kind, fresh)
        settings = UnitSettings.from_store(store)
    else:
        store, writable = _open_for_export(args, outcome, profile)
        if store is None:
            return {}
        items = _items_from_store(store, target, store_profile(args, outcome, store, profile), outcome, kind, fresh)
        settings = UnitSettings.from_store(store)
    try:
        written = _write(items, out, kind, args, settings, outcome, several=target is None or len(items) > 1,
                         store=store)
        if store is not None and writable:
            for form_id in written:
                try:
                    store.mark_exported(form_id)
                except (StoreBusyError, StoreError) as exc:
                    outcome.problem(str(store.path), None, str(exc))
    finally:
        if store is not None:
            store.close()
    return {}


def _unique_paths(items: list[Item], folder: Path, suffix: str, fresh: bool) -> list[Path]:
    seen: set[str] = set()
    paths = []
    for item in items:
        fallback = f"自评表-{item.form_id}" if item.form_id is not None else "自评表"
        job = item.job.fresh() if fresh else item.job
        stem = job.stem(fallback)
        if stem.casefold() in seen:
            stem = f"{stem}-{item.form_id or len(seen) + 1}"
        seen.add(stem.casefold())
        paths.append(folder / f"{stem}{suffix}")
    return paths


def _errors_warning(job: XlsxJob) -> str | None:
    """A workbook holding several forms: name those that still have 审核 errors."""
    if len(job.filled) < 2:
        return None
    names = [f"“{e.evaluation.form.name or e.evaluation.form.code}”（{len(e.evaluation.errors)} 个错误）"
             for e in job.filled if e.evaluation is not None and e.evaluation.errors]
    return f"工作簿中以下表仍有审核错误：{'、'.join(names)}" if names else None


def _write(items: list[Item], out: Path, kind: str, args: argparse.Namespace, settings: UnitSettings,
           outcome: Outcome, several: bool, store: Store | None = None) -> list[int]:
    """Write every item, going on past one that fails; returns the stored forms written."""
    if not items:
        return []
    one_workbook = kind == "xlsx" and args.one_workbook
    fresh = kind == "xlsx" and args.fresh
    if several and not one_workbook:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            outcome.problem(str(out), None, f"{out}：无法创建输出文件夹（{os_reason(exc)}）")
            return []
        paths = _unique_paths(items, out, SUFFIXES[kind], fresh or kind != "xlsx")
    else:
        suffix, what = KINDS[kind]
        if out.suffix.lower() != suffix and not (kind == "xlsx" and args.one_workbook and out.suffix.lower() == ""):
            outcome.problem(str(out), None, f"{out}：输出文件名应以 {suffix} 结尾（{what}）")
            return []
        paths = [out]
    options = XlsxOptions(protect_sheet=settings.protect_sheet)
    if one_workbook:
        try:
            write_xlsx(out, [(i.evaluation, sheet_title_for(i.evaluation.form)) for i in items], force=args.force,
                       options=options)
            outcome.out.append(str(out))
            return [i.form_id for i in items if i.form_id is not None]
        except ExportError as exc:
            outcome.problem(str(out), None, str(exc))
            return []
    written: list[int] = []
    templates = _Templates(args, outcome) if kind == "report" else None
    for item, path in zip(items, paths, strict=False):
        job = item.job.fresh() if fresh else item.job
        try:
            if templates is not None:
                from core.self_report.docx import write_report  # python-docx loads only for reports

                template = templates.for_layout(item.evaluation.form.layout, path)
                if template is None:
                    continue
                warnings = write_report(path, item.evaluation, template, overwrite=args.force)
            elif kind == "xlsx":
                warnings = export_job(path, job, force=args.force, options=options)
                warning = _errors_warning(job)
                if warning:
                    warnings.append(f"{path}：{warning}")
            else:
                signing = (settings.signing(store, item.form_id) if store is not None
                           else settings.signing(None, None))
                warnings = write_pdf(path, [item.evaluation], PdfOptions(
                    **signing, overwrite=args.force, font_file=settings.pdf_font or None))
        except ExportError as exc:
            outcome.problem(str(path), None, str(exc))
            continue
        except Exception as exc:  # a bug must not stop the batch: report the form and go on
            outcome.problem(str(path), None, f"{path}：导出失败（{type(exc).__name__}：{exc}）")
            continue
        outcome.out.append(str(path))
        outcome.warnings.extend(f"提醒：{w}" for w in warnings)
        if kind == "xlsx":
            written.extend(job.form_ids)
        elif kind == "pdf" and item.form_id is not None:
            written.append(item.form_id)
    return written


class _Templates:
    """The report template per layout (--template, the unit's folder beside the database, or the
    shipped one), each chosen once; a template problem is reported once for the batch."""

    def __init__(self, args: argparse.Namespace, outcome: Outcome) -> None:
        from core.self_report.template import unit_folder

        self.explicit = getattr(args, "template", None)
        self.folder = unit_folder(resolve_db_path(getattr(args, "db", None)))
        self.outcome = outcome
        self.chosen: dict = {}  # layout -> TemplateChoice

    def for_layout(self, layout: str, path: Path) -> Template | None:
        from core.self_report.template import choose_template

        if layout not in self.chosen:
            choice = self.chosen[layout] = choose_template(layout, self.folder, self.explicit)
            for problem in choice.problems:
                self.outcome.problem(str(self.explicit or self.folder), None, problem)
        choice = self.chosen[layout]
        if choice.template is None:
            self.outcome.problem(str(path), None, f"{path}：未生成（没有适用于版式 {layout} 的自评报告模板）")
        return choice.template
