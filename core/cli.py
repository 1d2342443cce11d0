"""The headless commands of SPEC §7, for batch work and tests.

Exit codes: 0 success (findings are not failures); 1 something could not be read or written (one
Chinese line per problem on stderr, everything else still done); 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core import cli_export, cli_summary
from core.checks import Source, evaluate
from core.profile import Profile, load_profile
from core.report import form_json, summary_lines
from core.store import Store, default_db_path, resolve_db_path
from core.store_errors import StoreError
from core.xlsx_guard import ReadError, read_checked
from core.xlsx_reader import read_workbook, read_workbook_data

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


# argparse's own messages, in the clerk's language (argparse looks them up through gettext).
_ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "show this help message and exit": "显示帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
}
argparse._ = lambda text: _ARGPARSE_CHINESE.get(text, text)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print English and exit; we exit 2 in Chinese
        raise UsageError(f"用法错误：{message}\n{self.format_usage()}")


@dataclass
class Outcome:
    """What a command produced: lines for stdout, problems for stderr (and --json's "errors")."""

    out: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stderr, but not a failure (exit code stays 0)
    notices: list[dict] = field(default_factory=list)  # the reader's warnings, for --json's "warnings"

    def problem(self, file: str, sheet: str | None, message: str, line: str | None = None) -> None:
        self.errors.append({"file": file, "sheet": sheet, "message": message, "line": line or message})


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="项目支出绩效自评表：导入、审核、导出（无参数时打开窗口）")
    parser.add_argument("--profile", metavar="PATH", help="评分与审核规则配置文件（默认用内置规则）")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（也可写在命令之后）")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    imports = commands.add_parser("import", help="把 xlsx 工作簿中的自评表导入本地数据库（同一项目同一年度则更新）")
    imports.add_argument("files", nargs="+", metavar="FILE.xlsx")
    _store_options(imports)

    listing = commands.add_parser("list", help="列出本地数据库中的自评表")
    _store_options(listing)
    listing.add_argument("--json", action="store_true", help="输出 JSON")

    check = commands.add_parser("check", help="审核 xlsx 文件或数据库中的表（不写入任何东西）")
    check.add_argument("target", metavar="FILE.xlsx|ID")
    _store_options(check)
    check.add_argument("--json", action="store_true", help="输出 JSON")
    cli_export.add_parsers(commands, _store_options)
    cli_summary.add_parser(commands, _store_options)
    return parser


def _store_options(command: argparse.ArgumentParser) -> None:
    """Options every command that may use the database takes."""
    # SUPPRESS: an absent sub-command --db must not overwrite one given before the command.
    command.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                         help="数据库文件（默认在用户数据文件夹，或环境变量 PERF_SELF_EVAL_DB）")
    command.add_argument("--profile", metavar="PATH", dest="sub_profile", help=argparse.SUPPRESS)


def open_store(args, outcome: Outcome, *, read_only: bool, profile: Profile | None = None) -> Store | None:
    """The store named by --db / $PERF_SELF_EVAL_DB / the default; None (with the problem noted)
    when it cannot be opened. Commands that only read pass read_only=True: they take no lock and
    work while the window has the database open."""
    path = resolve_db_path(getattr(args, "db", None))
    try:
        return Store(path, read_only=read_only, profile=profile)
    except StoreError as exc:
        outcome.problem(str(path), None, str(exc))
        return None


def _profile(args, outcome: Outcome) -> Profile:
    path = getattr(args, "sub_profile", None) or args.profile
    loaded = load_profile(path)
    for problem in loaded.problems:
        outcome.problem(str(path), None, problem)
    return loaded.profile


def _store_profile(args, outcome: Outcome, store: Store, profile: Profile) -> Profile:
    """The rule profile chosen in the window's 设置 applies to stored forms too, unless --profile
    names another: the command line and the window must not judge the same form differently."""
    if getattr(args, "sub_profile", None) or args.profile:
        return profile
    path = store.setting("rule_profile")
    if not path:
        return profile
    loaded = load_profile(path)
    for problem in loaded.problems:
        outcome.problem(path, None, problem)
    return loaded.profile


def _problem_line(outcome: Outcome, problem) -> None:
    outcome.problem(problem.file, problem.sheet, problem.message if not problem.cell
                    else f"单元格 {problem.cell}：{problem.message}", problem.line())


def _read_warnings(outcome: Outcome, result) -> None:
    """What the reader wants the clerk to know without failing (e.g. a sheet read only in part)."""
    for warning in result.warnings:
        outcome.warnings.append(f"提醒：{warning.line()}")
        outcome.notices.append({"file": warning.file, "sheet": warning.sheet, "message": warning.message})


def cmd_import(args, outcome: Outcome) -> dict:
    profile = _profile(args, outcome)
    store = open_store(args, outcome, read_only=False, profile=profile)
    if store is None:
        return {}
    with store:
        for file in args.files:
            _import_file(store, file, outcome)
    return {}


def _import_file(store: Store, file: str, outcome: Outcome) -> None:
    # Parse the very bytes that are kept with the forms (a file rewritten meanwhile cannot slip in).
    try:
        data = read_checked(file)
    except ReadError as exc:
        outcome.problem(file, None, str(exc), f"{file}：{exc}")
        return
    result = read_workbook_data(data, file, checked=True)
    for problem in result.problems:
        _problem_line(outcome, problem)
    _read_warnings(outcome, result)
    forms = []
    for sheet_form in result.forms:
        if sheet_form.refusal:
            outcome.problem(file, sheet_form.sheet, sheet_form.refusal,
                            f"{file}，工作表“{sheet_form.sheet}”：{sheet_form.refusal}")
        else:
            forms.append(sheet_form)
    if not forms:
        return
    try:
        imported = store.import_workbook(Path(file).name, data, [(s.sheet, s.form) for s in forms])
    except StoreError as exc:
        outcome.problem(file, None, f"{file}：没有导入，{exc}")
        return
    for item in imported:
        outcome.out.append("\t".join((str(item.id), item.code, item.year, item.name, item.outcome)))


def cmd_list(args, outcome: Outcome) -> dict:
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


def _width(text: str) -> int:
    # A Chinese character takes two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def list_table(forms, db_path) -> list[str]:
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
    widths = [max(_width(row[i]) for row in rows) for i in range(len(LIST_COLUMNS))]
    lines = ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines.append(f"共 {len(forms)} 份自评表（数据库 {db_path}）")
    return lines


def cmd_check(args, outcome: Outcome) -> dict:
    profile = _profile(args, outcome)
    target = Path(args.target)
    forms = []
    # An existing file is a file; otherwise an integer is a form id; anything else is a (missing) file.
    if target.exists() or not args.target.strip().isdigit():
        result = read_workbook(target)
        for problem in result.problems:
            _problem_line(outcome, problem)
        _read_warnings(outcome, result)
        for sheet_form in result.forms:
            source = Source(sheet_form.cells, sheet_form.printed, sheet_form.notes)
            evaluation = evaluate(sheet_form.form, profile, source)
            forms.append(form_json(evaluation, sheet_form.sheet))
            if not args.json:
                outcome.out.extend(summary_lines(evaluation, sheet_form.sheet))
    else:
        forms.extend(_check_stored(args, int(args.target), profile, outcome))
    return {"forms": forms}


def _check_stored(args, form_id: int, profile: Profile, outcome: Outcome) -> list[dict]:
    store = open_store(args, outcome, read_only=True, profile=profile)
    if store is None:
        return []
    with store:
        try:
            stored = store.get(form_id)
        except StoreError as exc:
            outcome.problem(str(store.path), None, str(exc))
            return []
        profile = _store_profile(args, outcome, store, profile)
    evaluation = evaluate(stored.form, profile)
    if not args.json:
        label = f"编号 {form_id}" + (f"，{stored.source_sheet}" if stored.source_sheet else "")
        outcome.out.extend(summary_lines(evaluation, label))
    return [form_json(evaluation, stored.source_sheet, {"id": form_id, "status": stored.status})]


def _export(kind: str):
    def command(args, outcome: Outcome) -> dict:
        profile = _profile(args, outcome)
        return cli_export.run_export(args, outcome, kind=kind, profile=profile,
                                     store_profile=lambda store: _store_profile(args, outcome, store, profile),
                                     problem_line=_problem_line, usage_error=UsageError)
    return command


def cmd_summary(args, outcome: Outcome) -> dict:
    profile = _profile(args, outcome)
    return cli_summary.run_summary(args, outcome, profile=profile,
                                   store_profile=lambda store: _store_profile(args, outcome, store, profile))


COMMANDS = {"import": cmd_import, "list": cmd_list, "check": cmd_check,
            "export-xlsx": _export("xlsx"), "export-pdf": _export("pdf"), "summary": cmd_summary}


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
