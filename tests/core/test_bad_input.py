"""Bad input: exit code 1 and one Chinese line naming the file (and sheet and cell) — never a traceback."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import check_json, run_main
from tests.seeds import seed_workbook, write_seed_a, write_seed_b
from tests.xlsx_tools import set_inline_string


def assert_one_clean_problem(result, path, *fragments):
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert str(path) in lines[0]
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_file_that_is_not_xlsx(tmp_path):
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    assert_one_clean_problem(run_main("check", path), path, "不是 xlsx")


def test_a_csv_renamed_to_xlsx(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("项目编码,项目名称\n440303241553147100001,免费刻章\n", encoding="utf-8")
    assert_one_clean_problem(run_main("check", path), path, "CSV", "另存为 .xlsx")


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert_one_clean_problem(run_main("check", path), path, "文件为空")


def test_a_truncated_file(tmp_path, seed_a):
    data = seed_a.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert_one_clean_problem(run_main("check", path), path, "损坏或不完整")


def test_a_missing_file(tmp_path):
    path = tmp_path / "nowhere.xlsx"
    assert_one_clean_problem(run_main("check", path), path, "文件不存在")


def test_a_real_xls_file_asks_to_save_as_xlsx(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Sheet1").write(0, 0, "项目支出绩效自评表")
    path = tmp_path / "old.xls"
    book.save(str(path))
    assert_one_clean_problem(run_main("check", path), path, "请在 WPS/Excel 中另存为 .xlsx 后再导入")
    renamed = tmp_path / "old.et"
    renamed.write_bytes(path.read_bytes())
    assert_one_clean_problem(run_main("check", renamed), renamed, "请在 WPS/Excel 中另存为 .xlsx 后再导入")


def test_a_password_protected_workbook(tmp_path, seed_a):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with open(seed_a, "rb") as plain:
        OOXMLFile(plain).encrypt("secret", encrypted)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(encrypted.getvalue())
    assert_one_clean_problem(run_main("check", path), path, "密码")
    assert msoffcrypto


def test_a_workbook_without_any_form(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "差旅费报销单"
    wb.save(path)
    assert_one_clean_problem(run_main("check", path), path, "没有找到项目支出绩效自评表")


def test_one_good_and_one_broken_sheet_checks_the_good_and_exits_1(tmp_path):
    path = tmp_path / "mixed.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active)
    wb.active.title = "好表"
    broken = wb.create_sheet("坏表")
    write_seed_b(broken)
    broken.delete_rows(27)  # the 总分 row
    wb.save(path)
    data, result = check_json(path)
    assert result.returncode == 1
    assert [form["sheet"] for form in data["forms"]] == ["好表"]
    assert data["forms"][0]["total_score"] == "99.83"
    (error,) = data["errors"]
    assert error["file"] == str(path) and error["sheet"] == "坏表" and "总分" in error["message"]
    assert_one_clean_problem(result, path, "工作表“坏表”", "总分")


def test_a_missing_indicator_column_names_the_row(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A", merged=False)
    wb = openpyxl.load_workbook(path)
    wb.active["H10"] = None  # the * 得分 header
    wb.save(path)
    assert_one_clean_problem(run_main("check", path), path, "第 10 行", "得分")


def test_a_cell_longer_than_excel_allows_is_named(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["I12"] = "x"
    wb.save(path)
    set_inline_string(path, "xl/worksheets/sheet1.xml", "I12", "长" * 100_000)
    assert_one_clean_problem(run_main("check", path), path, "单元格 I12", "32767")


def test_usage_errors_exit_2():
    assert run_main("check").returncode == 2
    assert run_main("frobnicate").returncode == 2


def test_numbers_beyond_what_the_form_holds_are_reported_not_crashed_on(tmp_path):
    path = seed_workbook(tmp_path / "huge.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["D6"] = 1e300
    ws["C6"] = "1" + "0" * 40
    ws["E11"] = "≥0.000001个"
    ws["F11"] = "999999999999999个"
    ws["G12"] = "1" + "0" * 30
    wb.save(path)
    data, result = check_json(path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    fields = {f["field"] for f in data["forms"][0]["findings"] if f["rule"] == "NUMBER_FORMAT"}
    assert {"fund_rows[0].initial_budget", "fund_rows[0].annual_budget", "indicators[1].points"} <= fields
    assert data["forms"][0]["funds"]["rate"] is None
