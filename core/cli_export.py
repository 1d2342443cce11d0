"""`export-xlsx` and `export-pdf` (SPEC §7).

    export-xlsx ID|--all OUT [--db PATH] [--force] [--one-workbook]
    export-pdf  ID|--all OUT [--db PATH] [--force]

An argument naming an existing xlsx file exports the forms read from it instead of stored ones.
With --all (or a file holding several forms) OUT is a folder and each form becomes
{code}_{year}.xlsx / .pdf. An existing file is never replaced without --force; a file that cannot
be written is reported and the others are still written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.checks import Evaluation, evaluate
from core.export import export_xlsx, file_stem
from core.pdf_writer import PdfOptions, write_pdf
from core.store import resolve_db_path
from core.store_errors import StoreBusyError, StoreError
from core.unit_settings import UnitSettings
from core.xlsx_guard import ReadError, read_checked
from core.xlsx_reader import read_workbook_data
from core.atomic_write import ExportError
from core.xlsx_writer import XlsxOptions, sheet_title_for, write_xlsx


@dataclass(frozen=True)
class Item:
    """One form to export, with the workbook it came from (if any)."""

    evaluation: Evaluation
    stem: str
    form_id: int | None = None
    source: bytes | None = None
    sheet: str | None = None


def add_parsers(commands, store_options) -> None:
    for name, what in (("export-xlsx", "导出官方版式 xlsx"), ("export-pdf", "导出供签字盖章的 PDF")):
        command = commands.add_parser(name, help=what)
        command.add_argument("targets", nargs="+", metavar="ID|FILE.xlsx OUT")
        command.add_argument("--all", action="store_true", help="导出数据库中的全部表；OUT 为文件夹")
        command.add_argument("--force", action="store_true", help="覆盖已存在的文件")
        if name == "export-xlsx":
            command.add_argument("--one-workbook", action="store_true", help="全部表写入 OUT 一个工作簿，每表一页")
        store_options(command)


def _split_targets(args, usage_error) -> tuple[str | None, Path]:
    if args.all:
        if len(args.targets) != 1:
            raise usage_error("用法错误：使用 --all 时只需给出输出文件夹 OUT")
        return None, Path(args.targets[0])
    if len(args.targets) != 2:
        raise usage_error("用法错误：需要 ID（或 xlsx 文件）和输出路径 OUT，或使用 --all OUT")
    return args.targets[0], Path(args.targets[1])


def _items_from_file(path: str, profile, outcome, problem_line) -> list[Item]:
    try:
        data = read_checked(path)
    except ReadError as exc:
        outcome.problem(path, None, str(exc), f"{path}：{exc}")
        return []
    result = read_workbook_data(data, path, checked=True)
    for problem in result.problems:
        problem_line(outcome, problem)
    return [Item(evaluate(f.form, profile), file_stem(f.form.code, f.form.year, f.sheet), None, data, f.sheet)
            for f in result.forms]


def _open_for_export(args, outcome, open_store, profile):
    """A writer (exports are recorded: status 已导出); read-only when the window holds the database,
    so the files are still written and the clerk is told the status could not be recorded. A
    database that does not exist is reported, not created empty."""
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        outcome.problem(str(path), None, f"数据库文件 {path} 不存在（请先用 import 导入，或用 --db 指定数据库）")
        return None, False
    store = open_store(args, _Quiet(), read_only=False, profile=profile)
    if store is not None:
        return store, True
    store = open_store(args, outcome, read_only=True, profile=profile)
    if store is not None:
        outcome.problem(str(store.path), None, "数据库正被其他程序（如本程序的窗口）使用：文件照常导出，但未记录“已导出”状态")
    return store, False


class _Quiet:
    """Swallows the first open attempt's problem; the second attempt reports."""

    def problem(self, *args, **kwargs) -> None:
        pass


def _items_from_store(store, target: str | None, profile, outcome) -> list[Item]:
    ids = [row.id for row in store.list_forms()] if target is None else [int(target)]
    items = []
    for form_id in ids:
        try:
            stored = store.get(form_id)
            source = store.source_workbook(form_id)
        except StoreError as exc:
            outcome.problem(str(store.path), None, str(exc))
            continue
        form = stored.form
        items.append(Item(evaluate(form, profile), file_stem(form.code, form.year, f"form-{form_id}"), form_id,
                          source.data if source else None, source.sheet if source else None))
    return items


def _unique_paths(items: list[Item], folder: Path, suffix: str) -> list[Path]:
    seen: set[str] = set()
    paths = []
    for item in items:
        stem = item.stem
        if stem.casefold() in seen:
            stem = f"{stem}-{item.form_id or len(seen) + 1}"
        seen.add(stem.casefold())
        paths.append(folder / f"{stem}{suffix}")
    return paths


def run_export(args, outcome, *, kind: str, open_store, profile, store_profile, problem_line, usage_error) -> dict:
    target, out = _split_targets(args, usage_error)
    store, writable = None, False
    if target is not None and (Path(target).exists() or not target.strip().isdigit()):
        items = _items_from_file(target, profile, outcome, problem_line)
        settings = UnitSettings()
    else:
        store, writable = _open_for_export(args, outcome, open_store, profile)
        if store is None:
            return {}
        items = _items_from_store(store, target, store_profile(store), outcome)
        settings = UnitSettings.from_store(store)
    try:
        written = _write(items, out, kind, args, settings, outcome, several=target is None or len(items) > 1,
                         store=store)
        if store is not None and writable:
            for item in written:
                try:
                    store.mark_exported(item.form_id)
                except (StoreBusyError, StoreError) as exc:
                    outcome.problem(str(store.path), None, str(exc))
    finally:
        if store is not None:
            store.close()
    return {}


def _write(items: list[Item], out: Path, kind: str, args, settings: UnitSettings, outcome,
           several: bool, store=None) -> list[Item]:
    if not items:
        return []
    one_workbook = kind == "xlsx" and getattr(args, "one_workbook", False)
    if several and not one_workbook:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            outcome.problem(str(out), None, f"{out}：无法创建输出文件夹（{exc.strerror or exc}）")
            return []
        paths = _unique_paths(items, out, f".{kind}")
    else:
        paths = [out]
    written = []
    if one_workbook:
        try:
            write_xlsx(out, [(i.evaluation, sheet_title_for(i.evaluation.form)) for i in items], force=args.force,
                       options=XlsxOptions(protect_sheet=settings.protect_sheet))
            outcome.out.append(str(out))
            return [i for i in items if i.form_id is not None]
        except ExportError as exc:
            outcome.problem(str(out), None, str(exc))
            return []
    for item, path in zip(items, paths):
        try:
            if kind == "xlsx":
                warnings = export_xlsx(path, item.evaluation, source=item.source, sheet=item.sheet, force=args.force,
                                       options=XlsxOptions(protect_sheet=settings.protect_sheet))
            else:
                signing = settings.signing(store, item.form_id) if store is not None else settings.signing(None, None)
                warnings = write_pdf(path, [item.evaluation], PdfOptions(
                    **signing, overwrite=args.force, font_file=settings.pdf_font or None))
        except ExportError as exc:
            outcome.problem(str(path), None, str(exc))
            continue
        outcome.out.append(str(path))
        outcome.warnings.extend(f"提醒：{w}" for w in warnings)
        if item.form_id is not None:
            written.append(item)
    return written
