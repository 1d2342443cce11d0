"""The official import-template xlsx: faithful layout, exact round trip, text stays text."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.checks import evaluate
from core.layouts import Role, blank_form, sheet_layout
from core.model import Form, FundRow, Indicator
from core.profile import default_profile
from core.xlsx.reader import norm, read_workbook
from core.xlsx.writer import XlsxOptions, safe_sheet_name, write_xlsx
from tests.seeds import seed_form

PROFILE = default_profile()


def write(tmp_path, *forms, name="out.xlsx", **kw):
    path = tmp_path / name
    write_xlsx(path, [(evaluate(f, PROFILE), f.name or "自评表") for f in forms], **kw)
    return path


def read_back(path):
    result = read_workbook(path)
    assert result.problems == [], [p.line() for p in result.problems]
    return [f.form for f in result.forms]


@pytest.mark.parametrize("layout", ["A", "B"])
def test_seed_round_trips_field_for_field(tmp_path, layout):
    form = seed_form(layout)
    assert read_back(write(tmp_path, form)) == [form]


@pytest.mark.parametrize("layout", ["A", "B"])
def test_written_sheet_has_the_layout_merges_fills_formats_fonts_and_protection(tmp_path, layout):
    form = seed_form(layout)
    ws = openpyxl.load_workbook(write(tmp_path, form)).active
    layout_desc = sheet_layout(form)
    assert {str(r) for r in ws.merged_cells.ranges} == {c.range_ref for c in layout_desc.cells if c.merged}
    for spec in layout_desc.cells:
        cell = ws[spec.ref]
        assert cell.font.name == "宋体", spec.ref
        fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
        if spec.role.grey:
            assert fill in ("00D9D9D9", "FFD9D9D9"), spec.ref
        else:
            assert fill is None, spec.ref
        assert cell.protection.locked == (spec.role is not Role.CLERK), spec.ref
        if spec.role not in (Role.TITLE, Role.NOTE):
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", spec.ref
    assert not ws.protection.sheet
    assert [round(ws.column_dimensions[chr(65 + i)].width) for i in range(layout_desc.columns)] == list(
        layout_desc.column_widths)


def test_layout_a_number_formats(tmp_path):
    ws = openpyxl.load_workbook(write(tmp_path, seed_form("A"))).active
    assert ws["G6"].number_format == "0.0000" and ws["G6"].value == pytest.approx(98.28)
    assert ws["H6"].number_format == "0.00"
    assert ws["F6"].number_format == "General" and ws["F6"].value == 10
    assert ws["C6"].number_format == "0.00"
    assert ws["G11"].number_format == "0.00" and ws["H21"].number_format == "0.00"
    assert ws["B11"].value == "产出指标 (50分)" and ws["B21"].value == "总分" and ws["I21"].value == "—"
    assert ws["A23"].value == "备注：" and ws["A24"].value.startswith("作为导入模板")


def test_layout_b_number_formats_are_general(tmp_path):
    ws = openpyxl.load_workbook(write(tmp_path, seed_form("B"))).active
    assert ws["G6"].number_format == "General" and ws["G6"].value == pytest.approx(92.33)
    assert ws["H14"].number_format == "General" and ws["I27"].number_format == "General"
    assert ws["C6"].number_format == "0.00"
    assert [ws[f"F{r}"].value for r in (7, 8, 9)] == ["—", "—", "—"]
    assert ws["A28"].value is None  # no 备注 block in layout B


def test_print_setup_is_a4_landscape_fit_to_width_with_repeated_header(tmp_path):
    ws = openpyxl.load_workbook(write(tmp_path, seed_form("A"))).active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$10:$10"


def test_sheet_protection_is_a_setting(tmp_path):
    ws = openpyxl.load_workbook(write(tmp_path, seed_form("A"), options=XlsxOptions(protect_sheet=True))).active
    assert ws.protection.sheet
    assert ws["F11"].protection.locked is False and ws["D11"].protection.locked is True


@pytest.mark.parametrize("text", ["=1+1", "+8613800000000", "-x", "@SUM(A1:A2)", '=HYPERLINK("http://x","y")',
                                  "'quoted", "100"])
def test_text_is_always_written_as_text(tmp_path, text):
    form = seed_form("A")
    indicators = list(form.indicators)
    indicators[0] = Indicator(**{**indicators[0].__dict__, "actual": text, "reason": text})
    form = Form(**{**form.__dict__, "indicators": tuple(indicators), "goal_actual": text})
    ws = openpyxl.load_workbook(write(tmp_path, form)).active
    for ref in ("F11", "I11", "F9"):
        assert ws[ref].data_type == "s" and ws[ref].value == text
    assert read_back(tmp_path / "out.xlsx")[0].indicators[0].actual == text


def test_a_21_digit_code_stays_a_text_cell(tmp_path):
    ws = openpyxl.load_workbook(write(tmp_path, seed_form("A"))).active
    assert ws["B2"].data_type == "s" and ws["B2"].value == "440303241553147100001"
    assert ws["B2"].number_format == "@"


def test_several_forms_in_one_workbook_with_valid_unique_sheet_names(tmp_path):
    a = seed_form("A")
    long_name = Form(**{**a.__dict__, "name": "关于[2024]年度:免费*刻章?项目/第一阶段\\的绩效自评表（非常长的名字）"})
    path = write(tmp_path, a, a, long_name, seed_form("B"))
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    assert len(set(names)) == 4
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert names[1].endswith("(2)")
    assert [f.code for f in read_back(path)] == [a.code, a.code, a.code, seed_form("B").code]


def test_safe_sheet_name_edge_cases():
    taken: set[str] = set()
    assert safe_sheet_name("", taken) == "自评表"
    assert safe_sheet_name("History", taken) == "自评表(2)"
    assert safe_sheet_name("x" * 40, taken) == "x" * 31
    assert safe_sheet_name("x" * 40, taken) == "x" * 28 + "(2)"


def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    from core.atomic_write import ExportError

    path = write(tmp_path, seed_form("A"))
    before = path.read_bytes()
    with pytest.raises(ExportError, match="已存在"):
        write(tmp_path, seed_form("B"))
    assert path.read_bytes() == before
    write(tmp_path, seed_form("B"), force=True)
    assert read_back(path)[0].layout == "B"


def test_a_template_exported_before_filling_reads_as_a_form_ready_to_fill(tmp_path):
    form = seed_form("B")
    empty = Form(**{**form.__dict__, "goal_actual": "", "indicators": tuple(
        Indicator(i.level1, i.level2, i.level3, i.target, i.unit) for i in form.indicators)})
    (back,) = read_back(write(tmp_path, empty))
    assert back.template_bound
    assert all(i.actual == "" and i.points is None and i.score is None for i in back.indicators)
    assert back.indicators[0].target == "≥120项" and back.code == form.code
    rules = {f.rule for f in evaluate(back, PROFILE).findings}
    assert "REQUIRED" in rules


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_written_file(tmp_path):
    path = write(tmp_path, seed_form("A"), seed_form("B"))
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, timeout=180)
    assert result.returncode == 0 and (tmp_path / "out.pdf").stat().st_size > 1000


# -- round trip of generated forms -------------------------------------------------------------
LABELS = {norm(t) for t in ("项目编码", "项目名称", "绩效自评年度", "自评年度", "实施单位", "一级预算单位", "单位编码",
                            "一级指标", "总分", "年初预算数", "预期目标", "实际完成情况")}
# Any text an xlsx cell holds: no control characters but tab and newline, not blank.
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from(
        "\t\n"), max_size=60,
).filter(lambda t: t.strip() and norm(t) not in LABELS)
text_or_empty = st.one_of(st.just(""), cell_text)
amount = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False,
                                          allow_infinity=False))
points = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False,
                                          allow_infinity=False), st.sampled_from(["十五", "满分", "见说明"]))
code = st.from_regex(r"[0-9]{21}", fullmatch=True)


@st.composite
def forms(draw):
    layout = draw(st.sampled_from(["A", "B"]))
    names = ["产出指标", "效益指标", "满意度指标", "其他指标"]
    groups = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4))
    indicators = []
    for g, size in enumerate(groups):
        for _ in range(size):
            indicators.append(Indicator(
                level1=names[g], level2=draw(text_or_empty), level3=draw(text_or_empty), target=draw(text_or_empty),
                unit=draw(text_or_empty) if layout == "B" else "", actual=draw(text_or_empty),
                points=draw(points), score=draw(points), reason=draw(text_or_empty)))
    labels = blank_form(layout).fund_rows
    fund_rows = tuple(FundRow(row.label, draw(amount), draw(amount), draw(amount)) for row in labels)
    return Form(layout=layout, code=draw(code), name=draw(cell_text), year=draw(st.sampled_from(["2024", "2025"])),
                implementing_unit=draw(cell_text), budget_unit=draw(cell_text),
                unit_code=draw(st.from_regex(r"[0-9]{6}", fullmatch=True)) if layout == "B" else "",
                fund_rows=fund_rows, funds_points=Decimal(10), goal_expected=draw(cell_text),
                goal_actual=draw(text_or_empty), indicators=tuple(indicators), template_bound=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=forms())
def test_generated_forms_round_trip(tmp_path, form):
    path = tmp_path / "gen.xlsx"
    write_xlsx(path, [(evaluate(form, PROFILE), "表")], force=True)
    assert read_back(path) == [form]


def test_long_cells_up_to_the_excel_limit_round_trip(tmp_path):
    form = seed_form("A")
    long_goal = ("完成年度目标。" * 5000)[:32767]
    form = Form(**{**form.__dict__, "goal_actual": long_goal})
    assert read_back(write(tmp_path, form))[0].goal_actual == long_goal


def test_an_all_empty_indicator_row_inside_a_group_survives(tmp_path):
    form = seed_form("A")
    rows = list(form.indicators)
    rows.insert(2, Indicator(level1="产出指标"))
    rows.append(Indicator(level1="满意度指标"))
    form = Form(**{**form.__dict__, "indicators": tuple(rows)})
    assert read_back(write(tmp_path, form)) == [form]
