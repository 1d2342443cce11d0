"""`export-xlsx` of forms imported from the system's workbooks, through `python main.py` on a real
database: a workbook holding several projects is exported once and whole, a batch goes on past a
form that fails, and a re-imported template becomes the one exported into."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from core.fields import with_value
from core.store import Store
from core.xlsx.reader import read_workbook
from tests.conftest import run_main
from tests.seeds import SEED_B, write_seed_b
from tests.system_templates import blank_seed, system_template

CODES = ("440303241553147400101", "440303241553147400102", "440303241553147400103")


def three_project_workbook(path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n, code in enumerate(CODES, start=1):
        ws = wb.create_sheet(f"项目{n}")
        write_seed_b(ws, dict(blank_seed("B"), code=code, name=f"第{n}个项目"))
    ids = wb.create_sheet("ids")
    ids["A1"] = "system ids"
    ids.sheet_state = "hidden"
    wb.save(path)
    return path


def fill_stored(db, form_id, complete=True):
    with Store(db) as store:
        form = store.form(form_id)
        form = with_value(form, "goal_actual", f"项目 {form_id} 已完成")
        for i in range(len(form.indicators)):
            form = with_value(form, f"indicators[{i}].actual", "100")
            form = with_value(form, f"indicators[{i}].points", Decimal(7) if complete else None)
            form = with_value(form, f"indicators[{i}].score", Decimal(7) if complete else None)
        store.save(form_id, form)
        return form


def statuses(db):
    return [f["status"] for f in json.loads(run_main("list", "--json", "--db", db).stdout)["forms"]]


@pytest.fixture
def three(tmp_path):
    db = tmp_path / "forms.sqlite3"
    source = three_project_workbook(tmp_path / "system.xlsx")
    result = run_main("import", source, "--db", db)
    assert result.returncode == 0, result.stderr
    forms = {n: fill_stored(db, n, complete=n != 3) for n in (1, 2, 3)}
    return db, forms


def test_all_writes_a_several_project_workbook_once_whole_and_named_after_its_first_form(tmp_path, three):
    db, forms = three
    out = tmp_path / "out"
    result = run_main("export-xlsx", "--all", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{CODES[0]}_2024_3表.xlsx"]
    workbook = out / f"{CODES[0]}_2024_3表.xlsx"
    assert openpyxl.load_workbook(workbook).sheetnames == ["项目1", "项目2", "项目3", "ids"]
    back = {f.sheet: f.form for f in read_workbook(workbook).forms}
    for n in (1, 2, 3):
        assert back[f"项目{n}"].goal_actual == f"项目 {n} 已完成"
        assert back[f"项目{n}"].indicators == forms[n].indicators
    assert statuses(db) == ["已导出"] * 3
    # The third project still has 审核 errors (no points, no scores): named in a warning.
    assert "第3个项目" in result.stderr and "审核错误" in result.stderr


def test_exporting_one_form_of_it_writes_the_whole_workbook(tmp_path, three):
    db, _ = three
    out = tmp_path / "second.xlsx"
    result = run_main("export-xlsx", "2", out, "--db", db)
    assert result.returncode == 0, result.stderr
    back = {f.sheet: f.form for f in read_workbook(out).forms}
    assert [back[f"项目{n}"].goal_actual for n in (1, 2, 3)] == [f"项目 {n} 已完成" for n in (1, 2, 3)]
    assert statuses(db) == ["已导出"] * 3


def test_fresh_writes_only_the_requested_form_on_a_fresh_sheet(tmp_path, three):
    db, forms = three
    out = tmp_path / "only.xlsx"
    result = run_main("export-xlsx", "2", out, "--fresh", "--db", db)
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(out).sheetnames == ["第2个项目"]
    (back,) = read_workbook(out).forms
    assert back.form.code == CODES[1] and back.form.indicators == forms[2].indicators
    assert statuses(db) == ["填报中", "已导出", "填报中"]
    folder = tmp_path / "each"
    assert run_main("export-xlsx", "--all", folder, "--fresh", "--db", db).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == [f"{code}_2024.xlsx" for code in CODES]


def test_a_batch_goes_on_past_a_form_that_fails_and_exits_1(tmp_path, seed_a, seed_b):
    db = tmp_path / "forms.sqlite3"
    assert run_main("import", seed_a, seed_b, "--db", db).returncode == 0
    out = tmp_path / "out"
    blocked = out / "440303241553147100001_2024.xlsx"
    blocked.mkdir(parents=True)  # a folder where the first form's file should go
    result = run_main("export-xlsx", "--all", out, "--db", db)
    assert result.returncode == 1
    assert str(blocked) in result.stderr and "文件夹" in result.stderr
    assert (out / "440303241553147400008_2024.xlsx").is_file()
    assert read_workbook(out / "440303241553147400008_2024.xlsx").forms[0].form.code == SEED_B["code"]
    assert statuses(db) == ["填报中", "已导出"]


def test_a_reimported_blank_template_keeps_the_clerks_values_and_becomes_the_copy_exported_into(tmp_path):
    db = tmp_path / "forms.sqlite3"
    first = system_template("openpyxl", "B", tmp_path / "first")
    assert run_main("import", first, "--db", db).returncode == 0
    filled = fill_stored(db, 1)
    # The system sends the template again, this time written by another program, with a new sheet.
    latest = system_template("xlsxwriter", "B", tmp_path / "latest")
    result = run_main("import", latest, "--db", db)
    assert result.returncode == 0 and result.stdout.strip().endswith("updated"), result.stdout
    out = tmp_path / "out.xlsx"
    assert run_main("export-xlsx", "1", out, "--db", db).returncode == 0
    (back,) = read_workbook(out).forms
    assert back.form.goal_actual == filled.goal_actual and back.form.indicators == filled.indicators
    # It is XlsxWriter's workbook (shared strings, its own styles), not the first one.
    with __import__("zipfile").ZipFile(out) as archive, __import__("zipfile").ZipFile(latest) as source:
        assert archive.read("xl/styles.xml") == source.read("xl/styles.xml")
        assert archive.read("xl/sharedStrings.xml") == source.read("xl/sharedStrings.xml")
