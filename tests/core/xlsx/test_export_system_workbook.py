"""Exporting into the budget system's own workbook, whoever wrote it (issue 12).

Each blank template (clerk cells empty, as the system sends it) is written by one of six writers,
imported, filled — every clerk cell except some that end their row — and exported into a copy.
The copy must open in openpyxl and LibreOffice, read back as what was filled, and differ from the
template only in the filled cells.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.atomic_write import ExportError
from core.checks import evaluate
from core.export import XlsxJob, export_job, export_xlsx, job_from_source
from core.fields import with_value
from core.profile import default_profile
from core.xlsx.reader import read_workbook, read_workbook_data
from core.xlsx.scan import decode_part, scan_sheet
from core.xlsx.verify import first_difference
from tests.system_templates import CLERK, WRITERS, libreoffice_convert, rewrite_parts, system_template

PROFILE = default_profile()
needs_libreoffice = pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")


def fill(form, blank_reasons=frozenset(), blank_rows=frozenset()):
    """Every clerk field filled, except the reasons of `blank_reasons` (last in their row) and all
    clerk cells of `blank_rows`."""
    form = with_value(form, "goal_actual", "已完成年度目标，详见报告")
    for i in range(len(form.indicators)):
        if i in blank_rows:
            continue
        form = with_value(form, f"indicators[{i}].actual", f"{90 + i}%")
        form = with_value(form, f"indicators[{i}].points", Decimal(7) + i % 2)
        form = with_value(form, f"indicators[{i}].score", Decimal("6.5"))
        if i not in blank_reasons:
            form = with_value(form, f"indicators[{i}].reason", f"第{i + 1}项偏差：<原因> & 改进")
    return form


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_cells(data: bytes) -> tuple[str, dict[tuple[int, int], str], dict[int, str]]:
    """The sheet's text outside sheetData, each cell's XML, and each row's start tag without spans."""
    text = decode_part(data)[0]
    rows = {n for n in range(1, 2000)}
    scan = scan_sheet(text, rows)
    outside = text[:scan.sheet_data.start] + text[scan.sheet_data.end:]
    cells = {(row.number, col): text[c.start:c.end] for row in scan.rows for col, c in row.cells}
    tags = {row.number: re.sub(r'\sspans="[^"]*"', "", text[row.element.start:row.element.open_end])
            for row in scan.rows}
    return outside, cells, tags


def export_filled(template: Path, out: Path, filled_form=None, **fill_options):
    (source,) = read_workbook(template).forms
    form = filled_form or fill(source.form, **fill_options)
    warnings = export_xlsx(out, evaluate(form, PROFILE), source=template.read_bytes(), sheet=source.sheet)
    return source, form, warnings


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    return {(writer, layout): system_template(writer, layout, folder)
            for layout in "AB" for writer in WRITERS
            if writer != "libreoffice" or __import__("shutil").which("soffice")}


@pytest.fixture(scope="module")
def exported(templates, tmp_path_factory):
    """Each template filled (some reasons that end their row left empty) and exported."""
    folder = tmp_path_factory.mktemp("exported")
    results = {}
    for (writer, layout), template in templates.items():
        out = folder / f"{layout}-{writer}.xlsx"
        source, form, warnings = export_filled(template, out, blank_reasons={0, 3, 4})
        results[(writer, layout)] = (template, out, source, form, warnings)
    return results


CASES = [(w, layout) for layout in "AB" for w in WRITERS]


@pytest.mark.parametrize("writer,layout", CASES)
def test_the_copy_opens_and_reads_back_as_filled(exported, writer, layout):
    if (writer, layout) not in exported:
        pytest.skip("LibreOffice is not installed")
    template, out, source, form, warnings = exported[(writer, layout)]
    # Only the note that the system's grey group sums stay as it printed them.
    assert all("仍是预算系统原来的数" in w and "系统重新计算" in w for w in warnings), warnings
    wb = openpyxl.load_workbook(out)  # "mismatched tag" here was the corruption of issue 12
    assert wb.sheetnames == ["自评表", "ids"] and wb["ids"].sheet_state == "hidden"
    (back,) = read_workbook(out).forms
    assert first_difference(form, back.form) is None
    clerk = CLERK[layout]
    ws = wb["自评表"]
    first = clerk["rows"][0]
    last_col = clerk["last"]
    assert ws[f"{last_col}{first}"].value is None  # an empty reason that ends its row stays empty
    assert ws[f"{last_col}{first + 1}"].value == "第2项偏差：<原因> & 改进"
    assert ws[clerk["goal"]].value == "已完成年度目标，详见报告"


@pytest.mark.parametrize("writer,layout", CASES)
def test_only_the_filled_cells_differ(exported, writer, layout):
    if (writer, layout) not in exported:
        pytest.skip("LibreOffice is not installed")
    template, out, source, form, _ = exported[(writer, layout)]
    before, after = parts_of(template), parts_of(out)
    assert list(before) == list(after)
    sheet = next(name for name in before if name.startswith("xl/worksheets/sheet1"))
    assert [n for n in before if before[n] != after[n]] == [sheet]  # no formulas: workbook.xml as it was
    outside_before, cells_before, tags_before = sheet_cells(before[sheet])
    outside_after, cells_after, tags_after = sheet_cells(after[sheet])
    assert outside_before == outside_after
    assert tags_before == tags_after
    clerk = CLERK[layout]
    filled = {(r, ord(c) - 64) for r in clerk["rows"] for c in clerk["columns"]}
    filled.add((int(clerk["goal"][1:]), ord(clerk["goal"][0]) - 64))
    differing = {key for key in cells_before.keys() | cells_after.keys()
                 if cells_before.get(key) != cells_after.get(key)}
    assert differing and differing <= filled, sorted(differing - filled)


@needs_libreoffice
def test_libreoffice_opens_every_copy(exported, tmp_path):
    copies = [out for (_, out, *_rest) in exported.values()]
    pdfs = libreoffice_convert(copies, tmp_path / "pdf", to="pdf")
    assert all(pdf.exists() and pdf.stat().st_size > 1000 for pdf in pdfs)
    # And LibreOffice reads the clerk's values, not just "a file": its own xlsx re-save holds them.
    resaved = libreoffice_convert(copies[:2], tmp_path / "resaved")
    for original, again in zip(copies[:2], resaved, strict=True):
        assert first_difference(read_workbook(original).forms[0].form, read_workbook(again).forms[0].form) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_choice_of_filled_and_blank_clerk_cells_exports_correctly(templates, tmp_path, data):
    writer = data.draw(st.sampled_from(["openpyxl", "xlsxwriter", "prefixed", "no-r", "lowercase"]))
    layout = data.draw(st.sampled_from("AB"))
    template = templates[(writer, layout)]
    (source,) = read_workbook(template).forms
    n = len(source.form.indicators)
    form = source.form
    for i in range(n):
        for name, value in (("actual", "100%"), ("points", Decimal(5)), ("score", Decimal("4.5")), ("reason", "说明")):
            if data.draw(st.booleans(), label=f"{i}.{name}"):
                form = with_value(form, f"indicators[{i}].{name}", value)
    if data.draw(st.booleans(), label="goal"):
        form = with_value(form, "goal_actual", "完成")
    out = tmp_path / f"{writer}-{layout}.xlsx"  # tmp_path is shared by the examples: replace
    export_xlsx(out, evaluate(form, PROFILE), source=template.read_bytes(), sheet=source.sheet, force=True)
    openpyxl.load_workbook(out)
    assert first_difference(form, read_workbook(out).forms[0].form) is None


def test_grey_cells_keep_the_systems_values(templates, tmp_path):
    """置灰部分如强制修改导入系统，数据有出入请自行负责: "产出指标 (50分)" and the empty 总分 stay."""
    template = templates[("openpyxl", "B")]
    out = tmp_path / "out.xlsx"
    source, form, warnings = export_filled(template, out)
    ws, before = openpyxl.load_workbook(out)["自评表"], openpyxl.load_workbook(template)["自评表"]
    assert ws["B14"].value == before["B14"].value == "产出指标 (50分)"  # the form now sums to 49 + …
    assert evaluate(form, PROFILE).computed.groups[0].points != Decimal(50)
    for ref in ("G6", "H6", "H27", "I27", "J27"):
        assert ws[ref].value == before[ref].value
    # The clerk is told: the grey "(50分)" no longer matches the points she gave.
    assert len(warnings) == 1 and "“产出指标”分值" in warnings[0] and "导入预算系统后由系统重新计算" in warnings[0]


def test_a_grey_cell_changed_through_unlock_is_written_and_listed(templates, tmp_path):
    template = templates[("xlsxwriter", "A")]
    (source,) = read_workbook(template).forms
    form = with_value(fill(source.form), "indicators[0].target", "≥13000个")
    out = tmp_path / "out.xlsx"
    warnings = export_xlsx(out, evaluate(form, PROFILE), source=template.read_bytes(), sheet=source.sheet)
    assert openpyxl.load_workbook(out)["自评表"]["E11"].value == "≥13000个"
    unlocked = [w for w in warnings if "解锁" in w]
    assert len(unlocked) == 1 and "E11（第 1 个指标的年度指标值）" in unlocked[0] and "置灰" in unlocked[0]


@pytest.mark.parametrize("calc_pr", ['<calcPr calcId="191029"/>', ""], ids=["excel-calcPr", "no-calcPr"])
def test_a_total_formula_makes_spreadsheets_recalculate_on_load(templates, tmp_path, calc_pr):
    template = tmp_path / "formula.xlsx"
    wb = openpyxl.load_workbook(templates[("openpyxl", "B")])
    wb["自评表"]["H27"] = "=SUM(H14:H26)"
    wb["自评表"]["I27"] = "=SUM(I14:I26)"
    wb.save(template)
    # As Excel saves it (openpyxl would already ask for a full calculation), cached totals 0.
    rewrite_parts(template, lambda xml: re.sub(r"<calcPr[^>]*/>", calc_pr, xml), lambda n: n == "xl/workbook.xml")
    rewrite_parts(template, lambda xml: re.sub(r"(<f>SUM\([HI]14:[HI]26\)</f>)<v\s*/>", r"\1<v>0</v>", xml),
                  lambda n: n == "xl/worksheets/sheet1.xml")
    out = tmp_path / "out.xlsx"
    export_filled(template, out)
    workbook_xml = parts_of(out)["xl/workbook.xml"].decode()
    assert len(re.findall(r'<calcPr[^>]*fullCalcOnLoad="1"', workbook_xml)) == 1
    assert workbook_xml.index("<calcPr") > workbook_xml.index("</sheets>")
    if __import__("shutil").which("soffice"):  # recalculated, the totals add up the clerk's numbers
        (csv,) = libreoffice_convert([out], tmp_path / "csv", to="csv:Text - txt - csv (StarCalc):44,34,76",
                                     recalculate=True)
        (total,) = [line.replace('"', "").split(",") for line in csv.read_text(encoding="utf-8").splitlines()
                    if "总分" in line]
        assert total[7:9] == ["97", "84.5"], total  # 7 × 7 + 6 × 8 points, 13 × 6.5 scored


def test_without_formulas_the_workbook_part_is_untouched(exported):
    template, out, *_ = exported[("lowercase", "A")]
    assert parts_of(template)["xl/workbook.xml"] == parts_of(out)["xl/workbook.xml"]


def test_a_broken_patch_step_is_caught_by_the_read_back(templates, tmp_path, monkeypatch):
    import core.xlsx.patch

    real = core.xlsx.patch.cell_xml
    monkeypatch.setattr(core.xlsx.patch, "cell_xml", lambda *a: real(*a).replace("</c>", "", 1))
    template = templates[("openpyxl", "B")]
    out = tmp_path / "out.xlsx"
    with pytest.raises(ExportError) as error:
        export_filled(template, out)
    assert "读回校验不通过" in str(error.value) and str(out) in str(error.value)
    assert list(tmp_path.iterdir()) == []  # nothing under the final name, no temporary file left


def test_a_patch_that_writes_the_wrong_value_is_caught_too(templates, tmp_path, monkeypatch):
    import core.xlsx.patch

    real = core.xlsx.patch.cell_xml
    monkeypatch.setattr(core.xlsx.patch, "cell_xml",
                        lambda prefix, ref, style, value:
                        real(prefix, ref, style, "错" if value == "已完成年度目标，详见报告" else value))
    out = tmp_path / "out.xlsx"
    with pytest.raises(ExportError) as error:
        export_filled(templates[("no-r", "A")], out)
    assert "实际完成情况" in str(error.value) and "F9" in str(error.value)
    assert not out.exists()


def test_a_macro_workbook_is_never_copied_into_an_xlsx(templates, tmp_path):
    macro = tmp_path / "system.xlsm"
    with zipfile.ZipFile(templates[("openpyxl", "A")]) as original, zipfile.ZipFile(macro, "w") as target:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            target.writestr(info, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a VBA project")
    (source,) = read_workbook(macro).forms
    out = tmp_path / "out.xlsx"
    warnings = export_xlsx(out, evaluate(fill(source.form), PROFILE), source=macro.read_bytes(), sheet=source.sheet,
                           source_name=macro.name)
    assert len(warnings) == 1 and "宏" in warnings[0]
    names = parts_of(out)
    assert not any("vba" in n.lower() for n in names) and b"macroEnabled" not in names["[Content_Types].xml"]
    assert first_difference(fill(source.form), read_workbook(out).forms[0].form) is None


def test_a_renamed_xlsm_is_recognised_by_its_content(templates, tmp_path):
    from core.xlsx.patch import is_macro_workbook

    data = templates[("openpyxl", "A")].read_bytes()
    assert not is_macro_workbook(data, "system.xlsx")
    assert is_macro_workbook(data, "system.XLSM")
    path = tmp_path / "renamed.xlsx"
    with zipfile.ZipFile(templates[("openpyxl", "A")]) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/vbaProject.bin", b"macro")
    assert is_macro_workbook(path.read_bytes(), "renamed.xlsx")


def test_a_changed_row_count_falls_back_to_a_fresh_sheet_with_a_warning(templates, tmp_path):
    from dataclasses import replace

    template = templates[("openpyxl", "B")]
    (source,) = read_workbook(template).forms
    shorter = replace(fill(source.form), indicators=fill(source.form).indicators[:-1])
    out = tmp_path / "out.xlsx"
    warnings = export_xlsx(out, evaluate(shorter, PROFILE), source=template.read_bytes(), sheet=source.sheet)
    assert len(warnings) == 1 and "重新生成" in warnings[0]
    assert openpyxl.load_workbook(out).sheetnames == ["大数据服务经费"]
    assert first_difference(shorter, read_workbook(out).forms[0].form) is None


def test_fresh_draws_the_requested_form_alone(templates, tmp_path):
    template = templates[("xlsxwriter", "B")]
    read = read_workbook_data(template.read_bytes(), template.name)
    form = fill(read.forms[0].form)
    job = job_from_source(read.forms[0].sheet, template.read_bytes(), template.name, read,
                          lambda sheet, _: (7, evaluate(form, PROFILE)))
    out = tmp_path / "fresh.xlsx"
    assert export_job(out, job.fresh()) == []  # drawn fresh: the sheet shows its own recomputed totals
    assert openpyxl.load_workbook(out).sheetnames == ["大数据服务经费"]  # no hidden ids sheet: drawn fresh
    assert job.fresh().form_ids == (7,) and isinstance(job.fresh(), XlsxJob)
    assert first_difference(form, read_workbook(out).forms[0].form) is None


def test_stale_part_files_of_ours_are_removed_on_the_next_export(templates, tmp_path):
    import os
    import time

    old = tmp_path / ".440303_2024.ab12cd_3.xlsx.part"
    recent = tmp_path / ".440303_2024.zz99yy_1.xlsx.part"
    foreign = tmp_path / ".clerks-notes.part"
    for path in (old, recent, foreign):
        path.write_bytes(b"half a form")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(foreign, (two_hours_ago, two_hours_ago))
    export_filled(templates[("openpyxl", "A")], tmp_path / "out.xlsx")
    assert not old.exists() and recent.exists() and foreign.exists()
    assert (tmp_path / "out.xlsx").exists()


def test_a_shared_formula_in_the_clerks_cells_keeps_working_for_the_cells_not_filled(templates, tmp_path):
    """得分 cells holding one shared formula (=权重 by default), anchored at the first: filling the
    first rows must not take the formula away from the others, nor fall back to a fresh sheet."""
    template = tmp_path / "shared.xlsx"
    import shutil

    shutil.copy(templates[("openpyxl", "B")], template)

    def shared(xml: str) -> str:
        for r in range(14, 27):
            f = '<f t="shared" ref="I14:I26" si="0">H14</f>' if r == 14 else '<f t="shared" si="0"/>'
            xml, count = re.subn(rf'<c r="I{r}"([^>]*?)(?:/>|>.*?</c>)', rf'<c r="I{r}"\1>{f}<v>0</v></c>', xml,
                                 count=1, flags=re.S)
            assert count == 1
        return xml

    rewrite_parts(template, shared, lambda n: n == "xl/worksheets/sheet1.xml")
    (source,) = read_workbook(template).forms
    form = fill(source.form, blank_rows=set(range(3, 13)))
    out = tmp_path / "out.xlsx"
    warnings = export_xlsx(out, evaluate(form, PROFILE), source=template.read_bytes(), sheet=source.sheet)
    assert not any("重新生成" in w for w in warnings), warnings
    ws = openpyxl.load_workbook(out)["自评表"]
    assert [ws[f"I{r}"].value for r in (14, 15, 16)] == [6.5, 6.5, 6.5]
    assert (ws["I17"].value, ws["I26"].value) == ("=H17", "=H26")
    assert openpyxl.load_workbook(out).sheetnames == ["自评表", "ids"]
