"""A form imported from a budget-system workbook is exported into a copy of that workbook: only the
changed clerk cells differ, and everything the system hid there survives."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from core.checks import Source, evaluate
from core.export import export_xlsx
from core.fields import with_value
from core.profile import default_profile
from core.xlsx.patch import PatchError, changed_cells
from core.xlsx.reader import read_workbook
from tests.seeds import SEED_B, write_seed_a, write_seed_b

PROFILE = default_profile()


@pytest.fixture
def system_workbook(tmp_path):
    """What a budget system exports: the form plus things we must not disturb."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    write_seed_b(ws, dict(SEED_B, goal_actual="", indicators=[
        (*row[:5], "", None, None) for row in SEED_B["indicators"]]))
    ids = wb.create_sheet("ids")
    for r in range(1, 14):
        ids[f"A{r}"] = f"ROW-{r:04d}"
        ids[f"B{r}"] = 1000 + r
    ids.sheet_state = "hidden"
    ws.column_dimensions["K"].hidden = True
    for r in range(14, 27):
        ws[f"K{r}"] = f"IND-{r}"
    wb.defined_names["ROW_IDS"] = DefinedName("ROW_IDS", attr_text="ids!$A$1:$A$13")
    validation = DataValidation(type="list", formula1='"达成年度指标,部分达成,未达成"', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add("J14:J26")
    ws["D14"].comment = Comment("系统生成，请勿修改", "预算系统")
    ws.sheet_properties.tabColor = "FF0000"
    path = tmp_path / "template.xlsx"
    wb.save(path)
    return path


def fill(form):
    form = with_value(form, "goal_actual", "已完成年度目标")
    for i in range(len(form.indicators)):
        form = with_value(form, f"indicators[{i}].actual", "100")
        form = with_value(form, f"indicators[{i}].points", Decimal(7))
        form = with_value(form, f"indicators[{i}].score", Decimal("6.5"))
        form = with_value(form, f"indicators[{i}].reason", "=原因说明" if i == 0 else "")
    return form


def all_cells(path):
    wb = openpyxl.load_workbook(path)
    return {(ws.title, cell.coordinate): cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row}


def test_only_the_clerk_cells_change_and_everything_else_survives(tmp_path, system_workbook):
    (source,) = read_workbook(system_workbook).forms
    filled = fill(source.form)
    out = tmp_path / "filled.xlsx"
    export_xlsx(out, evaluate(filled, PROFILE), source=system_workbook.read_bytes(), sheet=source.sheet)

    before, after = all_cells(system_workbook), all_cells(out)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    clerk = {("自评表", "G12")} | {("自评表", f"{col}{r}") for r in range(14, 27) for col in "GHIJ"}
    assert changed and changed <= clerk, changed - clerk
    # Grey cells are the system's: its printed totals and "(N分)" stay, it recomputes them on import.
    assert (after[("自评表", "H27")], after[("自评表", "I27")]) == (100, 99.23)
    assert after[("自评表", "B14")] == "产出指标 (50分)"

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["自评表", "ids"] and wb["ids"].sheet_state == "hidden"
    ws = wb["自评表"]
    assert ws.column_dimensions["K"].hidden
    assert wb.defined_names["ROW_IDS"].attr_text == "ids!$A$1:$A$13"
    assert [str(v.sqref) for v in ws.data_validations.dataValidation] == ["J14:J26"]
    assert ws["D14"].comment.text == "系统生成，请勿修改"
    assert ws.sheet_properties.tabColor.rgb == "00FF0000"
    assert ws["J14"].value == "=原因说明" and ws["J14"].data_type == "s"

    (back,) = read_workbook(out).forms
    assert back.form == filled
    # Re-checking the copy shows where the system's grey totals differ from the clerk's numbers.
    findings = evaluate(back.form, PROFILE, Source(back.cells, back.printed, back.notes)).findings
    assert {f.field for f in findings if f.rule == "PRINTED_MISMATCH"} == {
        "groups[0].points", "groups[1].points", "groups[2].points", "total_points", "total_score"}


def test_parts_other_than_the_form_sheet_are_byte_identical(tmp_path, system_workbook):
    (source,) = read_workbook(system_workbook).forms
    out = tmp_path / "filled.xlsx"
    export_xlsx(out, evaluate(fill(source.form), PROFILE), source=system_workbook.read_bytes(), sheet=source.sheet)
    with zipfile.ZipFile(system_workbook) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        differing = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert differing == ["xl/worksheets/sheet1.xml"]


def test_an_unchanged_form_exports_an_identical_workbook(tmp_path, seed_b):
    (source,) = read_workbook(seed_b).forms
    out = tmp_path / "same.xlsx"
    export_xlsx(out, evaluate(source.form, PROFILE), source=seed_b.read_bytes(), sheet=source.sheet)
    with zipfile.ZipFile(seed_b) as a, zipfile.ZipFile(out) as b:
        assert all(a.read(n) == b.read(n) for n in a.namelist())


def test_cells_missing_from_the_xml_are_inserted_in_order(tmp_path):
    wb = openpyxl.Workbook()
    write_seed_a(wb.active)
    for r in range(11, 21):
        wb.active[f"I{r}"] = None  # reason cells never written
    path = tmp_path / "a.xlsx"
    wb.save(path)
    (source,) = read_workbook(path).forms
    form = source.form
    for i in (0, 3, 9):
        form = with_value(form, f"indicators[{i}].reason", f"原因{i}")
    out = tmp_path / "out.xlsx"
    export_xlsx(out, evaluate(form, PROFILE), source=path.read_bytes(), sheet=source.sheet)
    assert read_workbook(out).forms[0].form == form
    ws = openpyxl.load_workbook(out).active
    assert [ws[f"I{r}"].value for r in (11, 14, 20)] == ["原因0", "原因3", "原因9"]


def test_a_changed_structure_cannot_be_patched(system_workbook):
    (source,) = read_workbook(system_workbook).forms
    from dataclasses import replace

    shorter = replace(source.form, indicators=source.form.indicators[:-1])
    with pytest.raises(PatchError):
        changed_cells(source, evaluate(shorter, PROFILE))


def test_a_formula_cell_replaced_drops_the_calculation_chain(tmp_path):
    wb = openpyxl.Workbook()
    write_seed_a(wb.active)
    wb.active["H12"] = "=G12"
    path = tmp_path / "f.xlsx"
    wb.save(path)
    # Give the package a calcChain part, as Excel does.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/calcChain.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><calcChain xmlns="http://schemas.'
                                 b'openxmlformats.org/spreadsheetml/2006/main"><c r="H12" i="1"/></calcChain>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId77" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    (source,) = read_workbook(path).forms
    form = with_value(source.form, "indicators[1].score", Decimal(15))
    out = tmp_path / "out.xlsx"
    export_xlsx(out, evaluate(form, PROFILE), source=path.read_bytes(), sheet=source.sheet)
    with zipfile.ZipFile(out) as z:
        assert "xl/calcChain.xml" not in z.namelist()
        assert b"calcChain" not in z.read("[Content_Types].xml")
    assert read_workbook(out).forms[0].form == form


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_patched_copy(tmp_path, system_workbook):
    import subprocess

    (source,) = read_workbook(system_workbook).forms
    out = tmp_path / "filled.xlsx"
    export_xlsx(out, evaluate(fill(source.form), PROFILE), source=system_workbook.read_bytes(), sheet=source.sheet)
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                            capture_output=True, timeout=180)
    assert result.returncode == 0 and (tmp_path / "filled.pdf").stat().st_size > 1000
