"""`layouts` and `layout-check`: the known layouts, and checking a unit's own layout file.

    layouts [--db PATH] [--layouts DIR]      lists id, name and source (shipped, or the unit's file)
    layout-check FILE.toml                   validates a file; every problem names its key path (or line)

A unit's layout files live in a `layouts/` folder beside the database file, or in --layouts DIR
(docs/layouts.md explains how to write one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import Outcome, Parser, load_unit_layouts, store_options
from core.layout_files import LayoutError, known_layouts, parse_layout
from core.profile import layout_profile_problem


def add_parsers(commands: argparse._SubParsersAction[Parser]) -> None:
    listing = commands.add_parser("layouts", help="列出已知的版式（程序自带的和本单位的）")
    store_options(listing)
    check = commands.add_parser("layout-check", help="检查一个版式文件（.toml）是否写对")
    check.add_argument("file", metavar="FILE.toml")


def cmd_layouts(args: argparse.Namespace, outcome: Outcome) -> dict:
    load_unit_layouts(args, outcome)
    rows = []
    for spec in known_layouts():
        source = "程序自带" if spec.source == "shipped" else f"本单位：{spec.path}"
        rows.append(f"{spec.id}\t{spec.name}\t{spec.money_unit}\t{source}")
        outcome.out.append(rows[-1])
    return {}


def cmd_layout_check(args: argparse.Namespace, outcome: Outcome) -> dict:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        outcome.problem(str(path), None, "文件不存在", f"{path}：文件不存在")
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        outcome.problem(str(path), None, f"无法读取：{exc}", f"{path}：无法读取（{exc}）")
        return {}
    try:
        spec = parse_layout(text, "unit", path)
    except LayoutError as exc:
        for found in exc.problems:  # every problem found, a line each
            outcome.problem(str(path), None, found, f"{path}：{found}")
        return {}
    problem = layout_profile_problem(spec.profile, path.parent)
    if problem:
        outcome.problem(str(path), None, problem, f"{path}：{problem}")
        return {}
    shipped = {s.id for s in known_layouts() if s.source == "shipped"}
    if spec.id in shipped:
        message = f"id “{spec.id}”与程序自带的版式相同，程序不会使用这个文件；请换一个 id"
        outcome.problem(str(path), None, message, f"{path}：{message}")
        return {}
    outcome.out.append(f"{path}：版式文件正确（{spec.id}，{spec.name}，{spec.columns} 列，金额单位{spec.money_unit}）")
    return {}
