"""`python main.py summary`, in a real child process on a real database."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from core.model import STATUSES
from core.numbers import from_cell_number
from core.store import Store
from core.store.unit_settings import UnitSettings
from core.summary.xlsx import FIRST_ROW, SHEET_TITLE
from tests.conftest import run_main
from tests.pdf_support import page_texts, pdffonts, squeeze
from tests.summary_forms import known_forms

D = Decimal


@pytest.fixture
def db(tmp_path):
    """The four known forms of 2024 (all in 元 here: today's layouts), seed A marked 已审核."""
    path = tmp_path / "forms.sqlite3"
    with Store(path) as store:
        ids = [store.create_form(form) for form in known_forms()]
        store.set_status(ids[0], STATUSES[1])
        UnitSettings(unit_leader="李四", finance_leader="王五", preparer="张三", phone="0755-12345678").save(store)
    return path


def totals_row(path, rows: int) -> list:
    ws = openpyxl.load_workbook(path)[SHEET_TITLE]
    return [ws.cell(FIRST_ROW + rows, col).value for col in range(1, 14)]


def test_summary_to_xlsx_of_a_whole_year(tmp_path, db):
    out = tmp_path / "汇总.xlsx"
    result = run_main("summary", "--year", "2024", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "4 张表中有 2 张还有审核错误" in result.stderr
    total = totals_row(out, 4)
    assert total[0] == "合计（共 4 张表）"
    assert [from_cell_number(v) for v in total[4:8]] == [D("10050000.00"), D("10405000.00"), D("9739826.00"),
                                                        D("93.61")]
    ws = openpyxl.load_workbook(out)[SHEET_TITLE]
    assert from_cell_number(ws.cell(FIRST_ROW + 5, 10).value) == D("86.64")
    assert from_cell_number(ws.cell(FIRST_ROW + 6, 10).value) == D("97.05")


def test_summary_to_pdf_signed_with_the_units_settings(tmp_path, db):
    out = tmp_path / "汇总.pdf"
    result = run_main("summary", "--year", "2024", out, "--db", db)
    assert result.returncode == 0, result.stderr
    text = squeeze(page_texts(out)[0])
    for expected in ("合计（共4张表）", "10,405,000.00", "97.05", "填表人：张三", "联系电话：0755-12345678",
                     "李四", "王五"):
        assert expected in text, expected
    assert all(f["emb"] == "yes" for f in pdffonts(out))


@pytest.mark.parametrize("options, codes", [
    (["--unit", "深圳市罗湖区档案馆"], ["440303241553147100002", "440303241553147100003"]),
    (["--unit", " 深圳市罗湖区 档案馆 "], ["440303241553147100002", "440303241553147100003"]),
    (["--supervisor", "深圳市罗湖区政务服务和数据管理局（本级）"], ["440303241553147400008"]),
    (["--status", "已审核"], ["440303241553147100001"]),
    (["--unit", "深圳市罗湖区档案馆", "--status", "填报中"], ["440303241553147100002", "440303241553147100003"]),
])
def test_summary_scope_options(tmp_path, db, options, codes):
    out = tmp_path / "scope.xlsx"
    result = run_main("summary", "--year", "2024", *options, out, "--db", db)
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(out)[SHEET_TITLE]
    assert [ws.cell(FIRST_ROW + k, 2).value for k in range(len(codes))] == codes
    assert ws.cell(FIRST_ROW + len(codes), 1).value == f"合计（共 {len(codes)} 张表）"


def test_an_empty_scope_writes_nothing_and_names_what_the_year_holds(tmp_path, db):
    out = tmp_path / "none.xlsx"
    result = run_main("summary", "--year", "2024", "--unit", "不存在的单位", out, "--db", db)
    assert result.returncode == 1 and not out.exists()
    assert "没有符合条件的表" in result.stderr and "深圳市罗湖区档案馆" in result.stderr
    result = run_main("summary", "--year", "2019", out, "--db", db)
    assert result.returncode == 1 and "已有的年度：2024" in result.stderr and not out.exists()


def test_a_unit_typed_otherwise_prints_as_the_forms_name_it(tmp_path, db):
    out = tmp_path / "typed.xlsx"
    result = run_main("summary", "--year", "2024", "--unit", "深圳市罗湖区 档案馆", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(out)[SHEET_TITLE].cell(2, 1).value.startswith("实施单位：深圳市罗湖区档案馆　")


def test_a_status_no_form_has_names_the_statuses_there_are(tmp_path, db):
    result = run_main("summary", "--year", "2024", "--status", "已导出", tmp_path / "none.xlsx", "--db", db)
    assert result.returncode == 1 and "符合其他条件的表的状态有：填报中、已审核" in result.stderr


def test_an_output_folder_that_is_a_file_is_named_as_such(tmp_path, db):
    (tmp_path / "unit.xlsx").write_bytes(b"a file")
    result = run_main("summary", "--year", "2024", tmp_path / "unit.xlsx" / "out.xlsx", "--db", db)
    assert result.returncode == 1 and "是一个文件，不是文件夹" in result.stderr, result.stderr


def test_an_existing_file_is_kept_without_force(tmp_path, db):
    out = tmp_path / "mine.pdf"
    out.write_bytes(b"the clerk's own")
    result = run_main("summary", "--year", "2024", out, "--db", db)
    assert result.returncode == 1 and "已存在" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"the clerk's own"
    assert run_main("summary", "--year", "2024", out, "--db", db, "--force").returncode == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_mistakes_are_reported_in_chinese_with_their_exit_codes(tmp_path, db):
    wrong = run_main("summary", "--year", "2024", tmp_path / "out.docx", "--db", db)
    assert wrong.returncode == 1 and ".xlsx" in wrong.stderr and ".pdf" in wrong.stderr
    missing = run_main("summary", "--year", "2024", tmp_path / "out.xlsx", "--db", tmp_path / "nope.sqlite3")
    assert missing.returncode == 1 and "不存在" in missing.stderr and not (tmp_path / "nope.sqlite3").exists()
    year = run_main("summary", "--year", "二〇二四", tmp_path / "out.xlsx", "--db", db)
    assert year.returncode == 2 and "四位数字" in year.stderr
    status = run_main("summary", "--year", "2024", "--status", "完成", tmp_path / "out.xlsx", "--db", db)
    assert status.returncode == 2 and "填报中" in status.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_summary_reads_while_the_window_holds_the_database(tmp_path, db):
    out = tmp_path / "busy.xlsx"
    with Store(db):  # the window's writer
        result = run_main("summary", "--year", "2024", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert totals_row(out, 4)[0] == "合计（共 4 张表）"
