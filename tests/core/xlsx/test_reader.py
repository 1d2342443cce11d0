"""The reader finds the form by its labels, whatever small variations real files carry."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from core.checks import Source, evaluate
from core.profile import default_profile
from core.xlsx.reader import read_workbook
from tests.seeds import SEED_A, SEED_B, seed_workbook, write_seed_a, write_seed_b
from tests.xlsx_tools import set_cached_values


def only_form(path):
    result = read_workbook(path)
    assert result.problems == [], [p.line() for p in result.problems]
    (sheet_form,) = result.forms
    return sheet_form


def findings(sheet_form):
    source = Source(sheet_form.cells, sheet_form.printed, sheet_form.notes)
    return evaluate(sheet_form.form, default_profile(), source).findings


def rules(sheet_form):
    return [f.rule for f in findings(sheet_form)]


def test_unmerged_cells_read_the_same_as_merged(tmp_path):
    merged = only_form(seed_workbook(tmp_path / "m.xlsx", "B")).form
    unmerged = only_form(seed_workbook(tmp_path / "u.xlsx", "B", merged=False)).form
    assert merged == unmerged


def test_amounts_stored_as_text_with_separators_and_full_width_digits(tmp_path):
    seed = dict(SEED_A, fund_rows=[("年度资金总额", "4,560,000.00", "４５６００００.００", " 4481566.00 ")])
    path = tmp_path / "text.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active, seed, amounts_as_text=True)
    wb.save(path)
    form = only_form(path).form
    row = form.fund_rows[0]
    assert (row.initial_budget, row.annual_budget, row.executed) == (
        Decimal("4560000.00"), Decimal("4560000.00"), Decimal("4481566.00"))


def test_full_width_and_half_width_labels_with_stray_spaces_are_recognised(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A", merged=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["A2"] = " 项目编码: "
    ws["D2"] = "项目名称 ："
    ws["G5"] = "执行率(%)"
    ws["F10"] = "*实际完成值 "
    ws["A6"] = "项目资金(元)"
    wb.save(path)
    form = only_form(path).form
    assert form.code == SEED_A["code"] and form.name == SEED_A["name"]
    assert form.indicators[0].actual == "15534个"


def test_extra_blank_rows_anywhere_do_not_matter(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A", merged=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in (25, 16, 10, 9, 7, 5, 2):
        ws.insert_rows(row)
    wb.save(path)
    form = only_form(path).form
    reference = only_form(seed_workbook(tmp_path / "r.xlsx", "A")).form
    assert form == reference


def test_any_number_of_indicator_rows(tmp_path):
    rows = [("产出指标 (50分)", "数量指标", f"指标{i}", "≥1个", "1个", 1, 1) for i in range(50)]
    seed = dict(SEED_A, indicators=rows)
    path = tmp_path / "many.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active, seed)
    wb.save(path)
    form = only_form(path).form
    assert len(form.indicators) == 50
    assert form.indicators[49].level3 == "指标49"


def test_points_stored_as_text_are_numbers(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["G11"] = "15.00"
    wb.active["H11"] = "１５"
    wb.save(path)
    form = only_form(path).form
    assert form.indicators[0].points == Decimal("15") and form.indicators[0].score == Decimal("15")


def test_text_where_a_number_belongs_is_kept_and_reported(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["H12"] = "十五分"
    wb.save(path)
    sheet_form = only_form(path)
    assert sheet_form.form.indicators[1].score == "十五分"
    number_format = [f for f in findings(sheet_form) if f.rule == "NUMBER_FORMAT"]
    assert [(f.field, f.cell) for f in number_format] == [("indicators[1].score", "H12")]


def test_formulas_in_computed_cells_are_ignored_and_recomputed(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["G6"] = "=ROUND(E6/D6*100,2)"
    ws["H6"] = "=MIN(F6,F6*G6/100)"
    ws["G21"] = "=F6+SUM(G11:G20)"
    ws["H21"] = "=H6+SUM(H11:H20)"
    wb.save(path)
    sheet_form = only_form(path)
    assert "funds.rate" not in sheet_form.printed and "total_score" not in sheet_form.printed
    assert rules(sheet_form).count("FORMULA") == 0
    evaluation = evaluate(sheet_form.form, default_profile())
    assert evaluation.computed.total_score == Decimal("99.83")


def test_formula_in_a_clerk_cell_takes_its_cached_value_and_warns(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["H11"] = "=G11"
    wb.save(path)
    set_cached_values(path, "xl/worksheets/sheet1.xml", {"H11": "15"})
    sheet_form = only_form(path)
    assert sheet_form.form.indicators[0].score == Decimal(15)
    (formula,) = [f for f in findings(sheet_form) if f.rule == "FORMULA"]
    assert formula.level == "warning" and formula.cell == "H11" and "=G11" in formula.message


def test_formula_without_cached_value_is_reported_not_evaluated(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["H11"] = "=G11"
    wb.save(path)
    sheet_form = only_form(path)
    assert sheet_form.form.indicators[0].score is None
    found = {f.rule: f for f in findings(sheet_form)}
    assert "没有它的计算结果" in found["FORMULA"].message
    assert found["REQUIRED"].field == "indicators[0].score"


def test_several_forms_in_one_workbook_one_per_sheet_and_hidden_sheets_skipped(tmp_path):
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active)
    wb.active.title = "刻章"
    write_seed_b(wb.create_sheet("大数据"))
    ids = wb.create_sheet("ids")
    ids["A1"] = "项目编码"
    ids.sheet_state = "hidden"
    wb.create_sheet("说明")["A1"] = "填表说明：请按要求填写"
    wb.save(path)
    result = read_workbook(path)
    assert result.problems == []
    assert [(f.sheet, f.form.layout, f.form.code) for f in result.forms] == [
        ("刻章", "A", SEED_A["code"]), ("大数据", "B", SEED_B["code"])]


def test_a_code_read_from_a_numeric_cell_is_an_error(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["B2"] = 440303241553147100001
    wb.save(path)
    sheet_form = only_form(path)
    (finding,) = [f for f in findings(sheet_form) if f.rule == "NUMBER_FORMAT"]
    assert finding.level == "error" and finding.field == "code" and finding.cell == "B2"
    assert "15 位" in finding.message


def test_printed_values_that_differ_from_the_recomputed_ones_are_reported(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["G6"] = 98.3
    ws["H21"] = 99.9
    ws["B15"] = "效益指标 (25分)"
    wb.save(path)
    mismatches = {f.field: f for f in findings(only_form(path)) if f.rule == "PRINTED_MISMATCH"}
    assert set(mismatches) == {"funds.rate", "total_score", "groups[1].points"}
    assert "98.3" in mismatches["funds.rate"].message and "98.28" in mismatches["funds.rate"].message
    assert mismatches["funds.rate"].cell == "G6"


def test_printed_values_equal_at_printed_precision_are_not_reported(seed_a):
    assert "PRINTED_MISMATCH" not in rules(only_form(seed_a))


def test_level2_spelled_differently_is_kept_as_the_file_says(tmp_path):
    path = seed_workbook(tmp_path / "s.xlsx", "A")
    wb = openpyxl.load_workbook(path)
    wb.active["C15"] = "经济效益 指标"
    wb.active["C19"] = "服务对象满意度指标等"
    wb.save(path)
    form = only_form(path).form
    assert form.indicators[4].level2 == "经济效益 指标"
    assert form.indicators[8].level2 == "服务对象满意度指标等"


@pytest.mark.parametrize("layout", ["A", "B"])
def test_imported_form_is_marked_as_tied_to_the_template(tmp_path, layout):
    assert only_form(seed_workbook(tmp_path / "s.xlsx", layout)).form.template_bound


def test_a_layout_b_file_without_the_other_fund_rows_gets_them_empty_and_checked(tmp_path):
    path = seed_workbook(tmp_path / "b.xlsx", "B", merged=False)
    wb = openpyxl.load_workbook(path)
    wb.active.delete_rows(7, 3)
    wb.save(path)
    sheet_form = only_form(path)
    assert [row.label for row in sheet_form.form.fund_rows] == [
        "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert sheet_form.form.fund_rows[1].executed is None
    assert "FUND_ROWS_SUM" in rules(sheet_form)
