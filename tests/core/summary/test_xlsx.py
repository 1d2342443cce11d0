"""The 汇总表 xlsx: official look, numbers as numbers, codes as text, read back before it lands, and
opened by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import replace
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest

from core.atomic_write import ExportError, ExportExistsError, VerifyError
from core.numbers import from_cell_number
from core.summary.rows import SummaryRow
from core.summary.table import COLUMNS, SummaryScope, footer_rows, summarize
from core.summary.xlsx import FIRST_ROW, HEADER_ROW, SCOPE_ROW, SHEET_TITLE, verify_summary_xlsx, write_summary_xlsx
from core.text import unescape_cell_text
from tests.summary_forms import known_rows
from tests.system_templates import libreoffice_convert

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

D = Decimal
GRADES = ("优", "良", "中", "差")
needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")


@pytest.fixture
def summary():
    return summarize(known_rows(), SummaryScope("2024", status=""), GRADES)


@pytest.fixture
def written(tmp_path, summary):
    path = tmp_path / "汇总表.xlsx"
    write_summary_xlsx(path, summary)
    return path


def sheet(path):
    return openpyxl.load_workbook(path)[SHEET_TITLE]


def test_the_totals_read_back_as_numbers_to_the_cent(written, summary):
    ws = sheet(written)
    total = FIRST_ROW + len(summary.rows)
    values = {c.key: ws.cell(total, col).value for col, c in enumerate(COLUMNS, start=1)}
    assert values["index"] == "合计（共 4 张表）"
    for key, want in (("initial_budget", "10050000.00"), ("annual_budget", "10405000.00"),
                      ("executed", "9739826.00"), ("rate", "93.61"), ("findings", "2")):
        assert isinstance(values[key], (int, float)) and from_cell_number(values[key]) == D(want), key
    assert values["grade"] == "优 2、良 1、中 1、差 0"
    assert from_cell_number(ws.cell(total + 1, 10).value) == D("86.64")
    assert from_cell_number(ws.cell(total + 2, 10).value) == D("97.05")
    assert ws.cell(total + 2, 1).value == "平均总得分（按全年预算数加权）"


def test_every_row_reads_back_with_codes_as_text_and_numbers_formatted(written, summary):
    ws = sheet(written)
    for offset, row in enumerate(summary.rows):
        r = FIRST_ROW + offset
        code = ws.cell(r, 2)
        assert code.value == row.code and code.data_type == "s" and code.number_format == "@"
        assert ws.cell(r, 1).value == offset + 1 and ws.cell(r, 1).number_format == "0"
        budget = ws.cell(r, 6)
        assert from_cell_number(budget.value) == row.annual_budget and budget.number_format == "#,##0.00"
        rate = ws.cell(r, 8)
        if row.rate is None:
            assert rate.value == "—"
        else:
            assert from_cell_number(rate.value) == row.rate and rate.number_format == "0.00"
        assert from_cell_number(ws.cell(r, 10).value) == row.total_score and ws.cell(r, 10).number_format == "0.00"
        assert ws.cell(r, 12).value == f"{row.errors} 个错误 / {row.warnings} 个提醒"
    errors = ws.cell(FIRST_ROW + len(summary.rows), 12)
    assert errors.number_format == '0" 张有错误"'


def test_the_sheet_has_the_official_look_and_print_setup(written, summary):
    ws = sheet(written)
    assert ws.cell(1, 1).value == "2024年度项目支出绩效自评结果汇总表" and "A1:M1" in ws.merged_cells
    assert ws.cell(SCOPE_ROW, 11).value == "单位：元"
    for col in range(1, len(COLUMNS) + 1):
        header = ws.cell(HEADER_ROW, col)
        assert header.value == COLUMNS[col - 1].header
        assert header.font.name == "宋体" and header.font.b
        assert header.fill.fgColor.rgb.endswith("D9D9D9")
        assert header.border.left.style == header.border.bottom.style == "thin"
    body = ws.cell(FIRST_ROW, 3)
    assert body.font.name == "宋体" and body.border.top.style == "thin" and body.fill.fill_type is None
    last = FIRST_ROW + len(summary.rows) + 2
    assert f"A{last}:D{last}" in ws.merged_cells
    assert ws.print_title_rows == "$2:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    # fitToWidth 1 is the schema's default: a writer may leave it out (XlsxWriter does).
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == f"A{FIRST_ROW}"
    notes = [ws.cell(r, 1).value for r in range(last + 1, ws.max_row + 1)]
    assert any("换算为元" in (n or "") for n in notes)


def test_forms_all_in_wan_yuan_keep_their_unit_and_its_decimals(tmp_path):
    rows = [replace(r, money_unit="万元") for r in known_rows() if r.money_unit == "万元"]
    summary = summarize(rows, SummaryScope("2024"), GRADES)
    path = tmp_path / "wan.xlsx"
    write_summary_xlsx(path, summary)
    ws = sheet(path)
    assert ws.cell(SCOPE_ROW, 11).value == "单位：万元"
    executed = ws.cell(FIRST_ROW, 7)
    assert from_cell_number(executed.value) == D("465.826") and executed.number_format == "#,##0.00####"


def test_text_that_looks_like_a_formula_stays_text(tmp_path, summary):
    odd = replace(summary, rows=(replace(summary.rows[0], name="=HYPERLINK(\"http://x\")", code="0012"),
                                 *summary.rows[1:]))
    path = tmp_path / "odd.xlsx"
    write_summary_xlsx(path, odd)
    ws = sheet(path)
    assert ws.cell(FIRST_ROW, 3).value == "=HYPERLINK(\"http://x\")" and ws.cell(FIRST_ROW, 3).data_type == "s"
    assert ws.cell(FIRST_ROW, 2).value == "0012"


def test_the_read_back_refuses_a_changed_number_and_a_code_turned_number(tmp_path, written, summary):
    workbook = openpyxl.load_workbook(written)
    workbook[SHEET_TITLE].cell(FIRST_ROW + len(summary.rows), 6).value = 10405000.01
    changed = tmp_path / "changed.xlsx"
    workbook.save(changed)
    with pytest.raises(VerifyError, match="F8"):
        verify_summary_xlsx(changed, summary)
    workbook = openpyxl.load_workbook(written)
    workbook[SHEET_TITLE].cell(FIRST_ROW, 2).value = 440303241553147100001
    numeric = tmp_path / "numeric.xlsx"
    workbook.save(numeric)
    with pytest.raises(VerifyError, match="B4"):
        verify_summary_xlsx(numeric, summary)
    verify_summary_xlsx(written, summary)  # the file as written passes


@pytest.mark.parametrize(("change", "where"), [
    (lambda ws: ws.cell(SCOPE_ROW, 11).__setattr__("value", "单位：万元"), "K2"),
    (lambda ws: ws.cell(1, 1).__setattr__("value", "2023年度项目支出绩效自评结果汇总表"), "A1"),
    (lambda ws: ws.cell(ws.max_row, 1).__setattr__("value", "说明：别的话"), "说明"),
    (lambda ws: ws.cell(FIRST_ROW, 6).__setattr__("number_format", "0"), "数字格式"),
])
def test_the_read_back_refuses_a_changed_unit_title_note_or_number_format(tmp_path, written, summary, change, where):
    workbook = openpyxl.load_workbook(written)
    change(workbook[SHEET_TITLE])
    changed = tmp_path / "changed.xlsx"
    workbook.save(changed)
    with pytest.raises(VerifyError, match=where):
        verify_summary_xlsx(changed, summary)


def test_a_row_never_exceeds_the_409_points_a_spreadsheet_allows(tmp_path, summary):
    path = tmp_path / "tall.xlsx"
    write_summary_xlsx(path, replace(summary, rows=(replace(summary.rows[0], name="项" * 3000), *summary.rows[1:])))
    assert 400 < sheet(path).row_dimensions[FIRST_ROW].height <= 409  # XlsxWriter snaps to whole pixels


def test_an_existing_file_is_kept_without_force(tmp_path, summary):
    target = tmp_path / "clerk.xlsx"
    target.write_bytes(b"the clerk's own file")
    with pytest.raises(ExportExistsError):
        write_summary_xlsx(target, summary)
    assert target.read_bytes() == b"the clerk's own file"
    write_summary_xlsx(target, summary, force=True)
    assert sheet(target).cell(1, 1).value.endswith("汇总表")


def test_a_number_a_spreadsheet_cannot_hold_is_refused_before_writing(tmp_path, summary):
    huge: SummaryRow = replace(summary.rows[0], executed=D("1234567890123456.78"))
    target = tmp_path / "huge.xlsx"
    with pytest.raises(ExportError, match="15 位有效数字"):
        write_summary_xlsx(target, replace(summary, rows=(huge,)))
    assert list(tmp_path.iterdir()) == []


def test_a_text_longer_than_a_cell_holds_is_refused_before_writing(tmp_path, summary):
    long_name: SummaryRow = replace(summary.rows[0], name="项" * 32768)
    target = tmp_path / "long.xlsx"
    with pytest.raises(ExportError, match=r"C4 的文字“项{40}…（共 32768 个字符）”超过电子表格单元格的上限 32767"):
        write_summary_xlsx(target, replace(summary, rows=(long_name,)))
    assert list(tmp_path.iterdir()) == []


def test_an_empty_code_is_a_blank_cell_not_an_empty_text(tmp_path, summary):
    path = tmp_path / "blank.xlsx"
    write_summary_xlsx(path, replace(summary, rows=(replace(summary.rows[0], code=""), *summary.rows[1:])))
    # openpyxl reads an empty text as None too; its type tells them apart ("s" or "inlineStr" for text).
    assert sheet(path)["B4"].value is None and sheet(path)["B4"].data_type == "n"


@pytest.mark.parametrize("name", ["<r>甲&乙</r>", "<r>甲</r>", "文件x005F_名", "_x000D_字面", "a_x005F_b"])
def test_texts_a_writer_or_reader_could_take_for_markup_are_written_as_typed(tmp_path, summary, name):
    path = tmp_path / "odd.xlsx"
    write_summary_xlsx(path, replace(summary, rows=(replace(summary.rows[0], name=name), *summary.rows[1:])))
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("xl/sharedStrings.xml"))
    # Each shared string as Excel and WPS show it: its runs joined, the _xHHHH_ escapes decoded.
    shown = [unescape_cell_text("".join(t.text or "" for t in si.iter(f"{{{MAIN}}}t"))) for si in root]
    assert name in shown


@needs_libreoffice
@pytest.mark.slow
def test_libreoffice_opens_it_and_its_resave_still_holds_every_number(tmp_path, written, summary):
    (pdf,) = libreoffice_convert([written], tmp_path / "lo", to="pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("2024年度项目支出绩效自评结果汇总表", "单位：元", "合计（共 4 张表）", "10,405,000.00",
                     "9,739,826.00", "93.61", "86.64", "97.05", "440303241553147400008", "2 张有错误"):
        assert expected in text, expected
    (resaved,) = libreoffice_convert([written], tmp_path / "resave", to="xlsx")
    verify_summary_xlsx(resaved, summary)  # another program's serialisation, same numbers and texts
    assert footer_rows(summary)[0][5] == D("10405000.00")
