"""The headless commands of SPEC §7, for batch work and tests.

Exit codes: 0 success (findings are not failures); 1 something could not be read or written (one
Chinese line per problem on stderr, everything else still done); 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cli import export as cli_export
from cli import layouts as cli_layouts
from cli import summary as cli_summary
from cli.common import (
    Outcome,
    Parser,
    UsageError,
    load_unit_layouts,
    open_store,
    problem_line,
    profile_of,
    read_warnings,
    store_options,
    store_profile,
)
from core.checks import Source, evaluate
from core.importing import import_file
from core.profile import Profile
from core.report import form_json, summary_lines
from core.store import FormSummary, Store, StoreError, default_db_path, resolve_db_path
from core.text import display_width
from core.xlsx.reader import read_workbook

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="main.py", description="项目支出绩效自评表：导入、审核、导出（无参数时打开窗口）")
    parser.add_argument("--profile", metavar="PATH", help="评分与审核规则配置文件（默认用内置规则）")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（也可写在命令之后）")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    imports = commands.add_parser("import", help="把 xlsx 工作簿中的自评表导入本地数据库（同一项目同一年度则更新）")
    imports.add_argument("files", nargs="+", metavar="FILE.xlsx")
    store_options(imports)

    listing = commands.add_parser("list", help="列出本地数据库中的自评表")
    store_options(listing)
    listing.add_argument("--json", action="store_true", help="输出 JSON")

    check = commands.add_parser("check", help="审核 xlsx 文件或数据库中的表（不写入任何东西）")
    check.add_argument("target", metavar="FILE.xlsx|ID")
    store_options(check)
    check.add_argument("--json", action="store_true", help="输出 JSON")
    cli_export.add_parsers(commands)
    cli_summary.add_parser(commands)
    cli_layouts.add_parsers(commands)
    return parser


def cmd_import(args: argparse.Namespace, outcome: Outcome) -> dict:
    profile = profile_of(args, outcome)
    store = open_store(args, outcome, read_only=False, profile=profile)
    if store is None:
        return {}
    with store:
        for file in args.files:
            _import_file(store, file, outcome)
    return {}


def _import_file(store: Store, file: str, outcome: Outcome) -> None:
    imported = import_file(store, file)
    for problem in imported.problems:
        problem_line(outcome, problem)
    read_warnings(outcome, imported)
    for item in imported.results:
        outcome.out.append("\t".join((str(item.id), item.code, item.year, item.name, item.outcome)))


def cmd_list(args: argparse.Namespace, outcome: Outcome) -> dict:
    path = resolve_db_path(args.db)
    if path == default_db_path() and not path.exists():
        # Nothing imported yet on this PC: an empty list, not an error (a mistyped --db still is one).
        if not args.json:
            outcome.out.append(f"还没有自评表（数据库 {path} 尚未创建）")
        return {"forms": []}
    store = open_store(args, outcome, read_only=True)
    if store is None:
        return {"forms": []}
    with store:
        try:
            forms = store.list_forms()
        except StoreError as exc:
            outcome.problem(str(store.path), None, str(exc))
            return {"forms": []}
    if not args.json:
        outcome.out.extend(list_table(forms, store.path))
    return {"forms": [f.as_json() for f in forms]}


LIST_COLUMNS = (("编号", "id"), ("项目编码", "code"), ("年度", "year"), ("项目名称", "name"),
                ("版式", "layout"), ("状态", "status"), ("总得分", "total_score"), ("更新时间", "updated"))


def list_table(forms: list[FormSummary], db_path: Path) -> list[str]:
    """The form list as an aligned table a clerk can read in a console."""
    if not forms:
        return [f"数据库 {db_path} 中还没有自评表"]
    rows = [[label for label, _ in LIST_COLUMNS]]
    for form in forms:
        values = []
        for _, key in LIST_COLUMNS:
            value = getattr(form, key)
            if key == "updated":
                value = value.replace("T", " ")[:19]
            values.append("—" if value in (None, "") else str(value))
        rows.append(values)
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(LIST_COLUMNS))]
    lines = ["  ".join(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines.append(f"共 {len(forms)} 份自评表（数据库 {db_path}）")
    return lines


def cmd_check(args: argparse.Namespace, outcome: Outcome) -> dict:
    profile = profile_of(args, outcome)
    target = Path(args.target)
    forms = []
    # An existing file is a file; otherwise an integer is a form id; anything else is a (missing) file.
    if target.exists() or not args.target.strip().isdigit():
        result = read_workbook(target)
        for problem in result.problems:
            problem_line(outcome, problem)
        read_warnings(outcome, result)
        for sheet_form in result.forms:
            source = Source(sheet_form.cells, sheet_form.printed, sheet_form.notes, sheet_form.computed_kinds)
            evaluation = evaluate(sheet_form.form, profile, source)
            forms.append(form_json(evaluation, sheet_form.sheet))
            if not args.json:
                outcome.out.extend(summary_lines(evaluation, sheet_form.sheet))
    else:
        forms.extend(_check_stored(args, int(args.target), profile, outcome))
    return {"forms": forms}


def _check_stored(args: argparse.Namespace, form_id: int, profile: Profile, outcome: Outcome) -> list[dict]:
    store = open_store(args, outcome, read_only=True, profile=profile)
    if store is None:
        return []
    with store:
        try:
            stored = store.get(form_id)
        except StoreError as exc:
            outcome.problem(str(store.path), None, str(exc))
            return []
        profile = store_profile(args, outcome, store, profile)
    evaluation = evaluate(stored.form, profile)
    if not args.json:
        label = f"编号 {form_id}" + (f"，{stored.source_sheet}" if stored.source_sheet else "")
        outcome.out.extend(summary_lines(evaluation, label))
    return [form_json(evaluation, stored.source_sheet, {"id": form_id, "status": stored.status})]


COMMANDS = {"import": cmd_import, "list": cmd_list, "check": cmd_check,
            "export-xlsx": cli_export.command("xlsx"), "export-pdf": cli_export.command("pdf"),
            "export-report": cli_export.command("report"), "summary": cli_summary.run_summary,
            "layouts": cli_layouts.cmd_layouts, "layout-check": cli_layouts.cmd_layout_check}


def _utf8_streams() -> None:
    # Redirected output (a file, a pipe, another program) is UTF-8 on every system.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and not stream.isatty():
            stream.reconfigure(encoding="utf-8", errors="replace")


def run(argv: list[str]) -> int:
    _utf8_streams()
    outcome = Outcome()
    try:
        args = build_parser().parse_args(argv)
        if args.command not in ("layouts", "layout-check"):
            load_unit_layouts(args, outcome)
        data = COMMANDS[args.command](args, outcome)
    except UsageError as exc:
        print(str(exc).rstrip(), file=sys.stderr)
        return EXIT_USAGE
    try:
        for line in outcome.out:
            print(line)
        if getattr(args, "json", False):
            data = dict(data)
            data["errors"] = [{"file": e["file"], "sheet": e["sheet"], "message": e["message"]}
                              for e in outcome.errors]
            if args.command == "check":
                data["warnings"] = outcome.notices
            print(json.dumps(data, ensure_ascii=False, indent=2))
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head`: the reader has gone, which is not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    for warning in outcome.warnings:
        print(warning, file=sys.stderr)
    for error in outcome.errors:
        print(error["line"], file=sys.stderr)
    return EXIT_PROBLEM if outcome.errors else EXIT_OK
