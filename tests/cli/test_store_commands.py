"""`import`, `list` and `check ID` (SPEC §7) through `python main.py`, on real database files."""

from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.model import with_indicator
from core.store import DB_ENV, Store
from core.store.schema import SCHEMA_VERSION
from tests.conftest import ROOT, check_json, run_main, run_main_powerless
from tests.seeds import SEED_A, SEED_B, write_seed_a, write_seed_b


def import_lines(result) -> list[list[str]]:
    return [line.split("\t") for line in result.stdout.splitlines()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def numbers_of(form: dict) -> dict:
    """The numbers of a `check --json` form, compared as numbers."""
    def num(text):
        return None if text is None else Decimal(text)
    return {
        "funds": {k: num(v) for k, v in form["funds"].items()},
        "fund_rows": [{k: (v if k == "label" else num(v)) for k, v in row.items()} for row in form["fund_rows"]],
        "groups": [(g["name"], num(g["points"]), num(g["score"])) for g in form["groups"]],
        "indicators": [(i["level3"], i["actual"], num(i["points"]), num(i["score"]), num(i["suggested_score"]))
                       for i in form["indicators"]],
        "totals": (num(form["total_points"]), num(form["total_score"]), form["grade"]),
        "header": (form["layout"], form["code"], form["name"], form["year"]),
    }


def test_imported_seeds_list_and_check_by_id_gives_the_numbers_check_file_gives(tmp_path, seed_a, seed_b):
    db = tmp_path / "forms.sqlite3"
    result = run_main("import", seed_a, seed_b, "--db", db)
    assert result.returncode == 0, result.stderr
    assert import_lines(result) == [
        ["1", SEED_A["code"], "2024", SEED_A["name"], "new"],
        ["2", SEED_B["code"], "2024", SEED_B["name"], "new"],
    ]

    listed = run_main("list", "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    forms = json.loads(listed.stdout)["forms"]
    assert [{k: f[k] for k in ("id", "code", "name", "year", "layout", "status", "total_score")} for f in forms] == [
        {"id": 1, "code": SEED_A["code"], "name": SEED_A["name"], "year": 2024, "layout": "A",
         "status": "填报中", "total_score": "99.83"},
        {"id": 2, "code": SEED_B["code"], "name": SEED_B["name"], "year": 2024, "layout": "B",
         "status": "填报中", "total_score": "99.23"},
    ]
    assert all(f["updated"] for f in forms)

    for form_id, path in ((1, seed_a), (2, seed_b)):
        by_id, result = check_json(form_id, "--db", db)
        assert result.returncode == 0, result.stderr
        by_file, _ = check_json(path)
        (stored,), (read,) = by_id["forms"], by_file["forms"]
        assert stored["id"] == form_id
        assert numbers_of(stored) == numbers_of(read)
        assert stored["total_score"] == read["total_score"] == ("99.83" if form_id == 1 else "99.23")


def test_list_without_json_is_a_readable_chinese_table(tmp_path, seed_a):
    db = tmp_path / "forms.sqlite3"
    run_main("import", seed_a, "--db", db)
    result = run_main("list", "--db", db)
    assert result.returncode == 0, result.stderr
    header, row, total = result.stdout.splitlines()
    assert header.split() == ["编号", "项目编码", "年度", "项目名称", "版式", "状态", "总得分", "更新时间"]
    assert row.split()[:7] == ["1", SEED_A["code"], "2024", SEED_A["name"], "A", "填报中", "99.83"]
    assert total.startswith("共 1 份自评表")


def _without_clerk_values(seed: dict) -> dict:
    return dict(seed, goal_actual=None,
                indicators=[(l1, l2, l3, target, None, None, None) for l1, l2, l3, target, *_ in seed["indicators"]])


def test_reimport_updates_the_form_and_never_blanks_a_clerks_value(tmp_path, seed_a):
    db = tmp_path / "forms.sqlite3"
    run_main("import", seed_a, "--db", db)
    with Store(db) as store:
        form = with_indicator(store.form(1), 0, reason="超额完成，因企业开办数量增加", grade="")
        store.save(1, form, checkpoint=True)
    # The budget system's template again: same code and year, the clerk's cells empty.
    template = tmp_path / "template.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active, seed=_without_clerk_values(SEED_A))
    wb.save(template)

    result = run_main("import", template, "--db", db)

    assert result.returncode == 0, result.stderr
    assert import_lines(result) == [["1", SEED_A["code"], "2024", SEED_A["name"], "updated"]]
    with Store(db, read_only=True) as store:
        assert len(store.list_forms()) == 1
        kept = store.form(1)
        assert kept.goal_actual == SEED_A["goal_actual"]
        assert [row.actual for row in kept.indicators] == [row[4] for row in SEED_A["indicators"]]
        assert [row.score for row in kept.indicators] == [Decimal(row[6]) for row in SEED_A["indicators"]]
        assert kept.indicators[0].reason == "超额完成，因企业开办数量增加"
        assert [r.reason for r in store.revisions(1)] == ["import", "edit", "reimport"]
        source = store.source_workbook(1)
        assert source is not None and source.data == template.read_bytes()


def test_a_workbook_with_many_sheets_imports_them_all(tmp_path):
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active)
    write_seed_b(wb.create_sheet("第二张"))
    wb.save(path)
    db = tmp_path / "forms.sqlite3"
    result = run_main("import", path, "--db", db)
    assert result.returncode == 0, result.stderr
    assert [line[1:] for line in import_lines(result)] == [
        [SEED_A["code"], "2024", SEED_A["name"], "new"], [SEED_B["code"], "2024", SEED_B["name"], "new"]]
    with Store(db, read_only=True) as store:
        first, second = store.source_workbook(1), store.source_workbook(2)
        assert first is not None and second is not None
        assert first.data == second.data == path.read_bytes()
        assert second.sheet == "第二张"


def test_an_unreadable_file_is_reported_in_chinese_and_the_others_still_import(tmp_path, seed_a):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("项目编码,项目名称\n1,2\n", encoding="utf-8")
    db = tmp_path / "forms.sqlite3"
    result = run_main("import", bad, seed_a, "--db", db, "--profile", ROOT / "resources" / "rule_profile.toml")
    assert result.returncode == 1
    assert import_lines(result) == [["1", SEED_A["code"], "2024", SEED_A["name"], "new"]]
    (line,) = result.stderr.splitlines()
    assert "坏文件.xlsx" in line and "不是 xlsx" in line


def test_a_second_writer_gets_a_chinese_message_and_changes_nothing_while_readers_still_read(tmp_path, seed_a):
    db = tmp_path / "forms.sqlite3"
    run_main("import", seed_a, "--db", db)
    with Store(db) as window:  # the window has the database open
        form = window.form(1)
        result = run_main("import", seed_a, "--db", db, timeout=20)
        assert result.returncode == 1
        assert "正被另一个程序" in result.stderr and str(db) in result.stderr
        assert result.stdout == ""
        assert [r.number for r in window.revisions(1)] == [1]
        listed = run_main("list", "--db", db, "--json")
        assert listed.returncode == 0 and len(json.loads(listed.stdout)["forms"]) == 1
        checked, result = check_json(1, "--db", db)
        assert result.returncode == 0 and checked["forms"][0]["total_score"] == "99.83"
        window.save(1, with_indicator(form, 0, reason="窗口里的修改"))
    assert Store(db, read_only=True).form(1).indicators[0].reason == "窗口里的修改"


@pytest.mark.parametrize("command", ["import", "list", "check"])
def test_a_file_that_is_not_a_database_gives_a_message_and_stays_as_it_was(tmp_path, seed_a, command):
    db = tmp_path / "forms.sqlite3"
    db.write_bytes(seed_a.read_bytes())  # --db pointed at a workbook by mistake
    args = {"import": ("import", seed_a), "list": ("list",), "check": ("check", "1")}[command]
    result = run_main(*args, "--db", db)
    assert result.returncode == 1
    assert "不是本程序的数据库" in result.stderr and str(db) in result.stderr
    assert db.read_bytes() == seed_a.read_bytes()


def test_a_database_from_a_newer_version_gives_a_message_and_stays_as_it_was(tmp_path, seed_a):
    db = tmp_path / "forms.sqlite3"
    run_main("import", seed_a, "--db", db)
    import sqlite3
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(db)
    for args in (("import", seed_a), ("list",), ("check", "1")):
        result = run_main(*args, "--db", db)
        assert result.returncode == 1
        assert "更新版本的程序" in result.stderr, result.stderr
    assert digest(db) == before


@pytest.mark.skipif(os.name != "posix", reason="file permissions are POSIX here")
def test_a_read_only_folder_or_file_gives_a_message_and_nothing_is_written(tmp_path, seed_a):
    folder = tmp_path / "只读"
    folder.mkdir()
    db = folder / "forms.sqlite3"
    run_main("import", seed_a, "--db", db)

    def contents():  # the lock file only ever holds the last holder's process id
        return {p.name: digest(p) for p in folder.iterdir() if p.suffix != ".lock"}

    before = contents()
    results = []
    folder.chmod(0o555)
    try:
        results.append(run_main_powerless("import", seed_a, "--db", db))
        results.append(run_main_powerless("import", seed_a, "--db", folder / "new.sqlite3"))
    finally:
        folder.chmod(0o755)
    db.chmod(0o444)
    try:
        results.append(run_main_powerless("import", seed_a, "--db", db))
    finally:
        db.chmod(0o644)
    folder_message = f"数据库所在文件夹 {folder} 是只读的，无法保存；请把数据库移到可写的位置（--db）"
    assert [r.stderr.strip() for r in results] == [folder_message, folder_message,
                                                   f"数据库文件 {db} 是只读的，无法保存"]
    for result in results:
        assert result.returncode == 1 and result.stdout == ""
    assert contents() == before


def test_check_file_never_opens_or_creates_a_database(tmp_path, seed_a):
    db = tmp_path / "never.sqlite3"
    data, result = check_json(seed_a, "--db", db)
    assert result.returncode == 0 and data["forms"][0]["total_score"] == "99.83"
    result = run_main("check", seed_a, env={DB_ENV: str(tmp_path / "env.sqlite3")})
    assert result.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed_a.xlsx"]


def test_check_an_unknown_id_names_the_id_and_the_database(tmp_path, seed_a):
    db = tmp_path / "forms.sqlite3"
    run_main("import", seed_a, "--db", db)
    data, result = check_json(7, "--db", db)
    assert result.returncode == 1
    assert data["forms"] == [] and "编号为 7" in data["errors"][0]["message"]
    assert "编号为 7" in result.stderr and str(db) in result.stderr
    missing = run_main("check", "3", "--db", tmp_path / "missing.sqlite3")
    assert missing.returncode == 1 and "数据库文件不存在" in missing.stderr
    assert not (tmp_path / "missing.sqlite3").exists()


def test_the_environment_variable_names_the_database(tmp_path, seed_a):
    db = tmp_path / "env.sqlite3"
    result = run_main("import", seed_a, env={DB_ENV: str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists()
    listed = run_main("list", "--json", env={DB_ENV: str(db)})
    assert [f["id"] for f in json.loads(listed.stdout)["forms"]] == [1]


def test_import_without_files_is_a_usage_error(tmp_path):
    result = run_main("import", "--db", tmp_path / "x.sqlite3")
    assert result.returncode == 2 and "用法" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()
