"""`python main.py export-report ID|--all OUT [--db PATH] [--force] [--template FILE]` on a real
database, as a batch script runs it."""

from __future__ import annotations

import json

import pytest
from docx import Document

from core.self_report.template import SHIPPED_FOLDER
from core.store import Store
from tests.conftest import run_main
from tests.report_support import HEADINGS, heading_texts
from tests.seeds import SEED_A, SEED_B


@pytest.fixture
def db(tmp_path, seed_a, seed_b):
    path = tmp_path / "forms.sqlite3"
    result = run_main("import", seed_a, seed_b, "--db", path)
    assert result.returncode == 0, result.stderr
    return path


def title_of(path) -> str:
    return Document(str(path)).paragraphs[0].text


def test_one_report_is_written_and_the_forms_status_is_left_as_it_was(tmp_path, db):
    out = tmp_path / "报告.docx"
    result = run_main("export-report", "2", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert title_of(out) == f"{SEED_B['name']}\n2024年度绩效自评报告"
    assert heading_texts(out) == list(HEADINGS)
    assert "【请补充：" in result.stderr and "提醒" in result.stderr  # told, not failed
    listing = json.loads(run_main("list", "--json", "--db", db).stdout)
    assert [f["status"] for f in listing["forms"]] == ["填报中", "填报中"]


def test_all_reports_go_into_a_folder_named_by_code_and_year(tmp_path, db):
    folder = tmp_path / "reports"
    result = run_main("export-report", "--all", folder, "--db", db)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f"{SEED_A['code']}_2024_自评报告.docx",
                                                       f"{SEED_B['code']}_2024_自评报告.docx"]


def test_an_existing_report_is_kept_without_force(tmp_path, db):
    out = tmp_path / "报告.docx"
    out.write_bytes(b"edited in WPS")
    result = run_main("export-report", "1", out, "--db", db)
    assert result.returncode == 1
    assert "已存在" in result.stderr and str(out) in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"edited in WPS"
    assert run_main("export-report", "1", out, "--db", db, "--force").returncode == 0
    assert title_of(out).startswith(SEED_A["name"])


def test_a_batch_goes_on_past_a_form_that_fails_and_exits_1(tmp_path, db):
    folder = tmp_path / "reports"
    blocked = folder / f"{SEED_A['code']}_2024_自评报告.docx"
    blocked.mkdir(parents=True)  # a folder where the first report should go
    result = run_main("export-report", "--all", folder, "--db", db)
    assert result.returncode == 1
    assert str(blocked) in result.stderr and "文件夹" in result.stderr
    assert title_of(folder / f"{SEED_B['code']}_2024_自评报告.docx").startswith(SEED_B["name"])


def test_usage_and_wrong_names_are_told_in_chinese(tmp_path, db):
    assert run_main("export-report", "1", "--db", db).returncode == 2
    result = run_main("export-report", "1", tmp_path / "报告.pdf", "--db", db)
    assert result.returncode == 1 and "应以 .docx 结尾" in result.stderr
    result = run_main("export-report", "9", tmp_path / "报告.docx", "--db", db)
    assert result.returncode == 1 and "9" in result.stderr
    missing = tmp_path / "nowhere.sqlite3"
    result = run_main("export-report", "1", tmp_path / "x.docx", "--db", missing)
    assert result.returncode == 1 and "不存在" in result.stderr and not missing.exists()


def test_a_report_straight_from_an_xlsx_file(tmp_path, seed_b):
    out = tmp_path / "b.docx"
    result = run_main("export-report", seed_b, out, "--db", tmp_path / "unused.sqlite3")
    assert result.returncode == 0, result.stderr
    assert title_of(out).startswith(SEED_B["name"])


def test_the_units_own_template_beside_the_database_rewords_the_report(tmp_path, db):
    folder = db.parent / "report_templates"
    folder.mkdir()
    text = (SHIPPED_FOLDER / "shenzhen.toml").read_text(encoding="utf-8")
    (folder / "luohu.toml").write_text(text.replace("年度绩效自评报告", "年度项目支出绩效自评报告"), encoding="utf-8")
    out = tmp_path / "a.docx"
    assert run_main("export-report", "1", out, "--db", db).returncode == 0
    assert title_of(out).endswith("2024年度项目支出绩效自评报告")


def test_a_broken_template_is_reported_and_the_report_still_written_with_the_shipped_one(tmp_path, db):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "坏的"\nlayouts = ["A"]\ntitle = "2024年"\n', encoding="utf-8")
    out = tmp_path / "a.docx"
    result = run_main("export-report", "1", out, "--db", db, "--template", broken)
    assert result.returncode == 1
    assert "broken.toml" in result.stderr and "内置模板" in result.stderr
    assert title_of(out).endswith("2024年度绩效自评报告")


def test_reports_are_written_while_the_window_holds_the_database(tmp_path, db):
    with Store(db):  # the window's writer
        result = run_main("export-report", "2", tmp_path / "b.docx", "--db", db)
    assert result.returncode == 0, result.stderr
