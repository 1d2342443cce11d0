"""The headless commands of SPEC §7, for batch work and tests.

Exit codes: 0 success (findings are not failures); 1 something could not be read or written (one
Chinese line per problem on stderr, everything else still done); 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from core.checks import Source, evaluate
from core.profile import Profile, load_profile
from core.report import form_json, summary_lines
from core.xlsx_reader import read_workbook

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print English and exit; we exit 2 in Chinese
        raise UsageError(f"用法错误：{message}\n{self.format_usage()}")


@dataclass
class Outcome:
    """What a command produced: lines for stdout, problems for stderr (and --json's "errors")."""

    out: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def problem(self, file: str, sheet: str | None, message: str, line: str | None = None) -> None:
        self.errors.append({"file": file, "sheet": sheet, "message": message, "line": line or message})


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="项目支出绩效自评表：导入、审核、导出（无参数时打开窗口）")
    parser.add_argument("--profile", metavar="PATH", help="评分与审核规则配置文件（默认用内置规则）")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="审核 xlsx 文件或数据库中的表（不写入任何东西）")
    check.add_argument("target", metavar="FILE.xlsx|ID")
    check.add_argument("--db", metavar="PATH")
    check.add_argument("--json", action="store_true", help="输出 JSON")
    check.add_argument("--profile", metavar="PATH", dest="sub_profile", help=argparse.SUPPRESS)
    return parser


def _profile(args, outcome: Outcome) -> Profile:
    path = getattr(args, "sub_profile", None) or args.profile
    loaded = load_profile(path)
    for problem in loaded.problems:
        outcome.problem(str(path), None, problem)
    return loaded.profile


def cmd_check(args, outcome: Outcome) -> dict:
    profile = _profile(args, outcome)
    target = Path(args.target)
    forms = []
    if target.exists() or target.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et", ".csv") or not args.target.isdigit():
        result = read_workbook(target)
        for problem in result.problems:
            outcome.problem(problem.file, problem.sheet, problem.message if not problem.cell
                            else f"单元格 {problem.cell}：{problem.message}", problem.line())
        for sheet_form in result.forms:
            source = Source(sheet_form.cells, sheet_form.printed, sheet_form.notes)
            evaluation = evaluate(sheet_form.form, profile, source)
            forms.append(form_json(evaluation, sheet_form.sheet))
            if not args.json:
                outcome.out.extend(summary_lines(evaluation, sheet_form.sheet))
    else:
        raise UsageError(f"“{args.target}”不是存在的文件；按编号审核需要本地数据库（尚未提供）")
    return {"forms": forms}


COMMANDS = {"check": cmd_check}


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
    for line in outcome.out:
        print(line)
    if getattr(args, "json", False):
        data = dict(data)
        data["errors"] = [{"file": e["file"], "sheet": e["sheet"], "message": e["message"]} for e in outcome.errors]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    for error in outcome.errors:
        print(error["line"], file=sys.stderr)
    return EXIT_PROBLEM if outcome.errors else EXIT_OK
