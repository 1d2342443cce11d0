"""What the command-line commands share: the parser that speaks Chinese, the outcome of a command
(its lines, problems and warnings), opening the store and choosing the rule profile."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from core.profile import Profile, load_profile
from core.store import Store, StoreError, resolve_db_path

if TYPE_CHECKING:
    from core.importing import ImportOutcome
    from core.xlsx.reader import Problem, WorkbookRead


class UsageError(Exception):
    pass


# argparse's own texts, in the clerk's language: its formatted messages translated on their way out
# (argparse's module-level gettext is left alone, so importing the command line changes nothing else).
_ARGPARSE_CHINESE = (
    (r"^usage: ", "用法："),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"无效的选项 \1（可选：\2）"),
    (r"expected one argument", "需要一个参数"),
    (r"^argument ([^:]*): ", r"参数 \1："),
    (r"show this help message and exit", "显示帮助并退出"),
    (r"^positional arguments:", "位置参数："),
    (r"^options:", "选项："),
)


def _chinese(text: str) -> str:
    for pattern, replacement in _ARGPARSE_CHINESE:
        text = re.sub(pattern, replacement, text, flags=re.M)
    return text


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print English and exit; we exit 2 in Chinese
        raise UsageError(f"用法错误：{_chinese(message)}\n{self.format_usage()}")

    def format_usage(self) -> str:
        return _chinese(super().format_usage())

    def format_help(self) -> str:
        return _chinese(super().format_help())


@dataclass
class Outcome:
    """What a command produced: lines for stdout, problems for stderr (and --json's "errors")."""

    out: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stderr, but not a failure (exit code stays 0)
    notices: list[dict] = field(default_factory=list)  # the reader's warnings, for --json's "warnings"

    def problem(self, file: str, sheet: str | None, message: str, line: str | None = None) -> None:
        self.errors.append({"file": file, "sheet": sheet, "message": message, "line": line or message})


def store_options(command: argparse.ArgumentParser) -> None:
    """Options every command that may use the database takes."""
    # SUPPRESS: an absent sub-command --db must not overwrite one given before the command.
    command.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                         help="数据库文件（默认在用户数据文件夹，或环境变量 PERF_SELF_EVAL_DB）")
    command.add_argument("--layouts", metavar="DIR", default=argparse.SUPPRESS,
                         help="本单位版式文件所在的文件夹（默认：数据库文件旁的 layouts 文件夹）")
    command.add_argument("--profile", metavar="PATH", dest="sub_profile", help=argparse.SUPPRESS)


def open_store(args: argparse.Namespace, outcome: Outcome, *, read_only: bool,
               profile: Profile | None = None) -> Store | None:
    """The store named by --db / $PERF_SELF_EVAL_DB / the default; None (with the problem noted)
    when it cannot be opened. Commands that only read pass read_only=True: they take no lock and
    work while the window has the database open."""
    path = resolve_db_path(getattr(args, "db", None))
    try:
        return Store(path, read_only=read_only, profile=profile)
    except StoreError as exc:
        outcome.problem(str(path), None, str(exc))
        return None


def load_unit_layouts(args: argparse.Namespace, outcome: Outcome) -> None:
    """The unit's own layouts: the `layouts/` folder beside the database file and --layouts DIR.
    A file that cannot be used is said (提醒) and the others still load."""
    from core.layout_files import add_layout_folder

    folders = [resolve_db_path(getattr(args, "db", None)).parent / "layouts"]
    if getattr(args, "layouts", None):
        folders.append(Path(args.layouts))
    for folder in folders:
        for problem in add_layout_folder(folder):
            outcome.warnings.append(f"提醒：{problem}")


def profile_of(args: argparse.Namespace, outcome: Outcome) -> Profile:
    path = getattr(args, "sub_profile", None) or args.profile
    loaded = load_profile(path)
    for problem in loaded.problems:
        outcome.problem(str(path), None, problem)
    return loaded.profile


def store_profile(args: argparse.Namespace, outcome: Outcome, store: Store, profile: Profile) -> Profile:
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


def problem_line(outcome: Outcome, problem: Problem) -> None:
    outcome.problem(problem.file, problem.sheet, problem.message if not problem.cell
                    else f"单元格 {problem.cell}：{problem.message}", problem.line())


def read_warnings(outcome: Outcome, result: WorkbookRead | ImportOutcome) -> None:
    """What the reader wants the clerk to know without failing (e.g. a sheet read only in part)."""
    for warning in result.warnings:
        outcome.warnings.append(f"提醒：{warning.line()}")
        outcome.notices.append({"file": warning.file, "sheet": warning.sheet, "message": warning.message})
