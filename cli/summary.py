"""`summary`: the 绩效自评结果汇总表 of one year, as xlsx or PDF (the suffix of OUT decides).

    summary --year 2024 [--unit TEXT] [--supervisor TEXT] [--status S] OUT.xlsx|OUT.pdf [--db PATH] [--force]

--unit keeps one 实施单位, --supervisor one 主管部门 (layouts A and B have none: their 一级预算单位
stands for it), both compared as the window compares them (spaces and full/half width ignored).
The database is only read (it may be open in the window meanwhile). An existing OUT is never
replaced without --force; a scope without forms writes nothing and exits 1 naming what exists.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from cli.common import Outcome, Parser, profile_of, store_options, store_profile
from core.atomic_write import ExportError, check_target
from core.model import STATUSES
from core.pdf.writer import PdfOptions
from core.store import Store, resolve_db_path
from core.store.errors import StoreError
from core.store.unit_settings import UnitSettings
from core.summary.rows import SummaryRow
from core.summary.table import (
    SummaryScope,
    grade_names,
    in_scope,
    in_stored_words,
    normalized,
    rows_of_year,
    summarize,
)

KINDS = {".xlsx": "xlsx", ".pdf": "pdf"}
HINT_NAMES = 8  # units named in the "nothing in scope" message


def _year(text: str) -> str:
    year = text.strip()
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise argparse.ArgumentTypeError(f"年度应为四位数字，如 2024（实际为“{text}”）")
    return year


def add_parser(commands: argparse._SubParsersAction[Parser]) -> None:
    command = commands.add_parser("summary", help="生成一个年度全部项目的绩效自评结果汇总表（xlsx 或 PDF）")
    command.add_argument("--year", required=True, type=_year, metavar="YEAR", help="绩效自评年度，如 2024")
    command.add_argument("--unit", metavar="TEXT", default="", help="只汇总这个实施单位的表")
    command.add_argument("--supervisor", metavar="TEXT", default="",
                         help="只汇总这个主管部门的表（A、B 版式按“一级预算单位”）")
    command.add_argument("--status", choices=STATUSES, default="", help="只汇总这个状态的表")
    command.add_argument("out", metavar="OUT.xlsx|OUT.pdf", help="输出文件；扩展名决定格式")
    command.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    store_options(command)


def _scope_words(scope: SummaryScope) -> str:
    words = [f"{scope.year} 年度"]
    if scope.implementing_unit:
        words.append(f"实施单位“{scope.implementing_unit}”")
    if scope.supervisor:
        words.append(f"主管部门（一级预算单位）“{scope.supervisor}”")
    if scope.status:
        words.append(f"状态“{scope.status}”")
    return "，".join(words)


def _nothing_found(store: Store, scope: SummaryScope, year_rows: list[SummaryRow]) -> str:
    """Why the scope is empty, and what the year does hold."""
    message = f"数据库 {store.path} 中没有符合条件的表：{_scope_words(scope)}"
    if not year_rows:
        years = sorted({s.year.strip() for s in store.list_forms() if s.year.strip()})
        return message + (f"。已有的年度：{'、'.join(years)}" if years else "（数据库中还没有自评表）")
    for wanted, label, values in (
            (scope.implementing_unit, "实施单位", [r.implementing_unit for r in year_rows]),
            (scope.supervisor, "主管部门（一级预算单位）", [r.supervisor or "" for r in year_rows])):
        names = [name for name in dict.fromkeys(values) if name]
        if wanted and normalized(wanted) not in {normalized(n) for n in names} and names:
            shown = "、".join(names[:HINT_NAMES]) + ("等" if len(names) > HINT_NAMES else "")
            message += f"。{scope.year} 年度的{label}有：{shown}"
    if scope.status:
        others = [status for status in STATUSES if any(r.status == status for r in year_rows
                                                       if in_scope(r, replace(scope, status="")))]
        if others and scope.status not in others:
            message += f"。符合其他条件的表的状态有：{'、'.join(others)}"
    return message


def run_summary(args: argparse.Namespace, outcome: Outcome) -> dict:
    profile = profile_of(args, outcome)
    out = Path(args.out)
    kind = KINDS.get(out.suffix.lower())
    if kind is None:
        outcome.problem(str(out), None, f"{out}：输出文件名应以 .xlsx（Excel 工作簿）或 .pdf（PDF 文件）结尾")
        return {}
    try:
        check_target(out, overwrite=args.force)  # before reading a thousand forms
    except ExportError as exc:
        outcome.problem(str(out), None, str(exc))
        return {}
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        outcome.problem(str(path), None, f"数据库文件 {path} 不存在（请先用 import 导入，或用 --db 指定数据库）")
        return {}
    scope = SummaryScope(args.year, args.unit.strip(), args.supervisor.strip(), args.status)
    try:
        with Store(path, read_only=True, profile=profile) as store:
            profile = store_profile(args, outcome, store, profile)
            year_rows = rows_of_year(store, scope.year, profile)
            rows = [row for row in year_rows if in_scope(row, scope)]
            if not rows:
                outcome.problem(str(store.path), None, _nothing_found(store, scope, year_rows))
                return {}
            settings = UnitSettings.from_store(store)
    except StoreError as exc:
        outcome.problem(str(path), None, str(exc))
        return {}
    summary = summarize(rows, in_stored_words(scope, rows), grade_names(profile))
    try:
        # The writers (reportlab.graphics for the chart, ~50 ms) load only for this command.
        if kind == "xlsx":
            from core.summary.xlsx import write_summary_xlsx

            warnings: list[str] = []
            write_summary_xlsx(out, summary, force=args.force)
        else:
            from core.summary.pdf import write_summary_pdf

            signing = settings.signing(None, None)
            warnings = write_summary_pdf(out, summary, PdfOptions(**signing, overwrite=args.force,
                                                                  font_file=settings.pdf_font or None))
    except ExportError as exc:
        outcome.problem(str(out), None, str(exc))
        return {}
    outcome.out.append(str(out))
    outcome.warnings.extend(f"提醒：{w}" for w in warnings)
    if summary.totals.with_errors:
        outcome.warnings.append(f"提醒：汇总的 {summary.totals.count} 张表中有 "
                                f"{summary.totals.with_errors} 张还有审核错误"
                                "（见“审核”列）")
    return {}
