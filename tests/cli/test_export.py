"""export-xlsx / export-pdf through `python main.py`, on a real database and real files."""

from __future__ import annotations

import json
import subprocess

import openpyxl
import pytest

from core.store import Store
from core.xlsx.reader import read_workbook
from tests.conftest import run_main


@pytest.fixture
def db(tmp_path, seed_a, seed_b):
    path = tmp_path / "forms.sqlite3"
    result = run_main("import", seed_a, seed_b, "--db", path)
    assert result.returncode == 0, result.stderr
    return path


def test_import_export_import_gives_the_same_forms(tmp_path, db):
    out = tmp_path / "out"
    result = run_main("export-xlsx", "--all", out, "--db", db)
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.xlsx"))
    assert [f.name for f in files] == ["440303241553147100001_2024.xlsx", "440303241553147400008_2024.xlsx"]
    again = tmp_path / "again.sqlite3"
    assert run_main("import", *files, "--db", again).returncode == 0
    with Store(db, read_only=True) as first, Store(again, read_only=True) as second:
        assert [first.form(s.id) for s in first.list_forms()] == [second.form(s.id) for s in second.list_forms()]


def test_export_marks_the_form_exported(tmp_path, db):
    assert run_main("export-xlsx", "1", tmp_path / "one.xlsx", "--db", db).returncode == 0
    listing = json.loads(run_main("list", "--json", "--db", db).stdout)
    assert [f["status"] for f in listing["forms"]] == ["已导出", "填报中"]


def test_an_existing_file_is_kept_without_force(tmp_path, db):
    target = tmp_path / "one.xlsx"
    target.write_bytes(b"clerk's own file")
    result = run_main("export-xlsx", "1", target, "--db", db)
    assert result.returncode == 1 and "已存在" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == b"clerk's own file"
    assert run_main("export-xlsx", "1", target, "--db", db, "--force").returncode == 0
    assert read_workbook(target).forms[0].form.code == "440303241553147100001"


def test_all_into_one_workbook(tmp_path, db):
    out = tmp_path / "all.xlsx"
    result = run_main("export-xlsx", "--all", out, "--one-workbook", "--db", db)
    assert result.returncode == 0, result.stderr
    assert len(openpyxl.load_workbook(out).sheetnames) == 2
    assert [f.form.layout for f in read_workbook(out).forms] == ["A", "B"]


def test_export_pdf_of_one_and_all(tmp_path, db):
    one = tmp_path / "one.pdf"
    assert run_main("export-pdf", "2", one, "--db", db).returncode == 0
    text = subprocess.run(["pdftotext", "-layout", str(one), "-"], capture_output=True, text=True).stdout
    assert "大数据服务经费" in text and "99.23" in text
    folder = tmp_path / "pdf"
    assert run_main("export-pdf", "--all", folder, "--db", db).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == ["440303241553147100001_2024.pdf",
                                                       "440303241553147400008_2024.pdf"]


def test_export_from_an_xlsx_file(tmp_path, seed_b):
    out = tmp_path / "copy.xlsx"
    assert run_main("export-xlsx", seed_b, out).returncode == 0
    assert read_workbook(out).forms[0].form == read_workbook(seed_b).forms[0].form


def test_usage_and_missing_ids(tmp_path, db):
    assert run_main("export-xlsx", "--db", db).returncode == 2
    assert run_main("export-xlsx", "1", "--db", db).returncode == 2
    assert run_main("export-pdf", "--all", "a", "b", "--db", db).returncode == 2
    result = run_main("export-xlsx", "99", tmp_path / "x.xlsx", "--db", db)
    assert result.returncode == 1 and "99" in result.stderr


def test_exporting_from_a_missing_database_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere.sqlite3"
    result = run_main("export-xlsx", "1", tmp_path / "x.xlsx", "--db", missing)
    assert result.returncode == 1 and "不存在" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_profile_chosen_in_settings_applies_on_the_command_line(tmp_path, db):
    from core.profile import DEFAULT_PATH

    region = tmp_path / "region.toml"
    region.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'FAR_ABOVE_TARGET = "warning"', 'FAR_ABOVE_TARGET = "off"'), encoding="utf-8")
    with Store(db) as store:
        store.set_setting("rule_profile", str(region))
    data = json.loads(run_main("check", "1", "--json", "--db", db).stdout)
    assert "FAR_ABOVE_TARGET" not in {f["rule"] for f in data["forms"][0]["findings"]}
    data = json.loads(run_main("check", "1", "--json", "--db", db, "--profile", DEFAULT_PATH).stdout)
    assert "FAR_ABOVE_TARGET" in {f["rule"] for f in data["forms"][0]["findings"]}


def test_export_pdf_uses_the_forms_own_signing_details(tmp_path, db):
    with Store(db) as store:
        store.set_setting("preparer", "单位填表人")
        store.set_setting("form:2:preparer", "本表填表人")
        store.set_setting("unit_leader", "王五")
    out = tmp_path / "b.pdf"
    assert run_main("export-pdf", "2", out, "--db", db).returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "本表填表人" in text and "单位填表人" not in text and "王五" in text
