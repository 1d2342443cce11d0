"""Other regions' forms (issue 16): the central template in 万元 (CN-A), 四川's 一体化 export (SC-2023)
and 四川's 衔接资金 form (SC-XJ), read from files built cell by cell (tests/regional_fixtures.py),
checked by their region's rules, kept by their identity, and written back fresh, into the copy and
on paper."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QPlainTextEdit

from core.checks import evaluate
from core.export import export_job, stored_job
from core.importing import import_file
from core.layout_files import known_layouts
from core.layouts import blank_form, cell_text, sheet_layout
from core.model import Indicator
from core.profile import default_profile, load_profile
from core.scoring import suggest
from core.store import Store
from core.store.errors import DuplicateFormError
from core.xlsx.reader import read_workbook
from core.xlsx.writer import write_xlsx
from tests.conftest import ROOT, check_json, run_main
from tests.pdf_support import page_texts, squeeze, table_rows
from tests.regional_fixtures import (
    QINGSHEN_CODE,
    filled_cn_a,
    filled_sc_2023,
    filled_sc_xj,
    langfang_2019,
    sc_2023,
)
from ui.form_editor import FormEditor

FILLED = {"SC-2023": filled_sc_2023, "SC-XJ": filled_sc_xj, "CN-A": filled_cn_a}


def findings(form: dict, rule: str | None = None) -> list[tuple[str, str]]:
    return [(f["rule"], f["field"]) for f in form["findings"] if rule is None or f["rule"] == rule]


def test_the_three_regional_layouts_are_shipped():
    shipped = {spec.id: spec for spec in known_layouts() if spec.source == "shipped"}
    assert {"A", "B", "CN-A", "SC-2023", "SC-XJ"} <= set(shipped)
    assert {shipped[i].money_unit for i in ("CN-A", "SC-2023", "SC-XJ")} == {"万元"}
    assert (shipped["CN-A"].identity, shipped["SC-2023"].identity, shipped["SC-XJ"].identity) == (
        "name_year_unit", "code_in_name", "name_year_unit")


# -- the two transcriptions ---------------------------------------------------------------------------

@pytest.mark.parametrize("rate_as_number", [False, True], ids=["rate-as-text", "rate-as-number"])
def test_langfang_2019_reads_as_the_central_template(tmp_path, rate_as_number):
    report, _ = check_json(langfang_2019(tmp_path / "廊坊.xlsx", rate_as_number=rate_as_number))
    form = report["forms"][0]
    text = json.dumps(report, ensure_ascii=False)
    assert form["layout"] == "CN-A", text
    assert (form["name"], form["year"], form["supervisor"], form["implementing_unit"]) == (
        "办公宿舍楼、食堂及餐厅暖通改造经费", 2019, "廊坊市发改委", "廊坊市食品工程学校")
    assert form["code"] == "" and ("REQUIRED", "code") not in findings(form)  # CN-A has no 项目编码
    assert (form["funds"]["rate"], form["funds"]["score"]) == ("86.20", "8.62")
    assert findings(form, "PRINTED_MISMATCH") == []  # "86%" and 9 agree at the precision they print
    assert [row["label"] for row in form["fund_rows"]] == [
        "年度资金总额", "其中:当年财政拨款", "上年结转资金", "其他资金"]
    assert form["fund_rows"][0]["executed"] == "37.24"
    # The template's placeholder rows ("指标2", "……", an empty "指标1") are not indicators.
    assert [row["level3"] for row in form["indicators"]] == [
        "指标1工程资金金额", "指标1工程完工率", "指标2工程验收合格率", "指标1项目完成及时率", "指标1成本控制率",
        "指标1安全率", "指标1学校发展能力", "指标1长期使用性", "指标1学生满意度"]
    assert (form["total_points"], form["total_score"]) == ("100", "97.62")
    assert not [f for f in form["findings"] if f["level"] == "error"], text


def test_a_printed_value_that_disagrees_at_its_own_precision_is_still_reported(tmp_path):
    path = langfang_2019(tmp_path / "廊坊.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(path)
    book.worksheets[0]["G6"] = "88%"  # 86.20 does not print as 88
    book.save(path)
    form = check_json(path)[0]["forms"][0]
    assert ("PRINTED_MISMATCH", "funds.rate") in findings(form)


def test_qingshen_2023_blank_export_reads_with_its_code_and_without_its_instructions(tmp_path):
    report, _ = check_json(sc_2023(tmp_path / "青神.xlsx"))
    form = report["forms"][0]
    text = json.dumps(report, ensure_ascii=False)
    assert form["layout"] == "SC-2023", text
    assert (form["code"], form["name"], form["year"]) == (QINGSHEN_CODE, "工资性支出", 2023)
    assert form["supervisor"] == "青神县发展和改革局本级" and form["implementing_unit"] == "青神县发展和改革局"
    assert form["funds"]["rate"] == "100.00" and form["funds"]["points"] == "10"
    # Instructions the template leaves in cells are not answers.
    assert form["goal_actual"] == "" and form["funds"]["reason"] == ""
    assert form["texts"] == {"process": "", "conclusion": "", "problems": "", "improvements": ""}
    assert [row["label"] for row in form["fund_rows"]] == [
        "总额", "其中:财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    assert form["fund_rows"][4] == {"label": "其他资金", "initial_budget": None, "annual_budget": None,
                                    "executed": None}
    assert [(r["nature"], r["target"], r["unit"], r["points"]) for r in form["indicators"]] == [
        ("=", "100", "%", "60"), ("=", "100", "%", "30")]
    required = {field for rule, field in findings(form, "REQUIRED")}
    assert {"indicators[0].actual", "indicators[0].score", "indicators[1].actual", "indicators[1].score",
            "goal_actual", "texts.conclusion", "texts.problems", "texts.improvements"} <= required
    assert "code" not in required and ("REASON_MISSING", "funds.reason") not in findings(form)


# -- 四川's rules -------------------------------------------------------------------------------------

def test_sichuan_asks_for_the_funds_reason_below_90_percent(tmp_path):
    low = check_json(filled_sc_2023(tmp_path / "low.xlsx", executed=200))[0]["forms"][0]
    assert low["funds"]["rate"] == "79.40"
    reason = [f for f in low["findings"] if f["rule"] == "REASON_MISSING" and f["field"] == "funds.reason"]
    assert len(reason) == 1 and reason[0]["level"] == "error" and reason[0]["cell"] == "I10"
    assert "79.40%" in reason[0]["message"] and "90%" in reason[0]["message"]
    said = check_json(filled_sc_2023(tmp_path / "said.xlsx", executed=200, reason="下半年项目调整，资金结转下年"))[0]
    assert ("REASON_MISSING", "funds.reason") not in findings(said["forms"][0])
    assert said["forms"][0]["funds"]["reason"] == "下半年项目调整，资金结转下年"


def test_a_profile_the_clerk_chooses_overrides_the_layouts(tmp_path):
    path = filled_sc_2023(tmp_path / "low.xlsx", executed=200)
    chosen = check_json(path, "--profile", ROOT / "resources" / "rule_profile.toml")[0]["forms"][0]
    assert ("REASON_MISSING", "funds.reason") not in findings(chosen)  # 财预〔2020〕10号 sets no threshold


def test_each_layout_names_its_regions_profile():
    profile = default_profile()
    assert profile.for_layout("SC-2023").funds_reason_below == Decimal(90)
    assert profile.for_layout("SC-XJ").name == profile.for_layout("SC-2023").name
    assert profile.for_layout("CN-A").funds_reason_below is None
    assert profile.for_layout("A") == profile
    hubei = load_profile(ROOT / "resources" / "profiles" / "hubei.toml")
    assert hubei.problems == ()
    assert hubei.profile.band("部分达成") == (Decimal(50), Decimal(80)) and hubei.profile.funds_points == 20
    assert hubei.profile.for_layout("SC-2023") is hubei.profile  # chosen: used for every layout


def indicator(nature: str, target: str, unit: str, actual: str) -> Indicator:
    return Indicator(level1="产出指标", level2="时效指标", level3="响应时间", nature=nature, target=target,
                     unit=unit, actual=actual, points=Decimal(10), score=None)


def test_the_suggestion_reads_the_comparator_from_the_nature_column():
    profile = default_profile()
    assert suggest(indicator("≤", "5", "次", "8次"), profile).score == Decimal("6.25")  # lower is better
    assert suggest(indicator("", "5", "次", "8次"), profile).score == Decimal("10.00")  # a plain 5: higher
    assert suggest(indicator("=", "100", "百分比", "90%"), profile).score == Decimal("9.00")
    assert suggest(indicator("定性", "明显改善", "", "明显改善"), profile).score == Decimal("10.00")
    assert suggest(indicator("≥", "≥95", "%", "96%"), profile).score == Decimal("10.00")  # not "≥≥95"


@pytest.mark.parametrize(("layout", "executed", "refused"), [
    ("CN-A", "37.245678", False),  # 万元 to the 分: six places
    ("SC-2023", "37.245678", False),
    ("A", "4481566.001", True),  # 元: two places
])
def test_amount_decimals_follow_the_layout(layout, executed, refused):
    form = blank_form(layout)
    total = replace(form.fund_rows[0], annual_budget=Decimal("43.2"), executed=Decimal(executed))
    checked = evaluate(replace(form, fund_rows=(total,) + form.fund_rows[1:]), default_profile())
    formats = [f for f in checked.findings if f.rule == "NUMBER_FORMAT" and f.field == "fund_rows[0].executed"]
    assert len(formats) == refused


# -- round trips, paper and the grid -------------------------------------------------------------------

def without_sheet(report: dict) -> dict:
    for form in report["forms"]:
        form.pop("sheet")
    return report


@pytest.mark.parametrize("layout", FILLED)
def test_a_filled_form_round_trips_fresh_and_into_the_copy(tmp_path, layout):
    source = FILLED[layout](tmp_path / f"{layout}.xlsx")
    original = without_sheet(check_json(source)[0])
    assert original["forms"][0]["layout"] == layout
    assert not [f for f in original["forms"][0]["findings"] if f["level"] == "error"], original
    db = tmp_path / "forms.db"
    imported = run_main("import", source, "--db", db)
    assert imported.returncode == 0 and imported.stdout.rstrip().endswith("new"), imported.stdout + imported.stderr
    form_id = imported.stdout.split("\t")[0]
    for how in ("--fresh", None):
        out = tmp_path / f"{layout}-{how or 'copy'}.xlsx"
        result = run_main("export-xlsx", form_id, out, *([how] if how else []), "--db", db)
        assert result.returncode == 0, result.stdout + result.stderr
        assert without_sheet(check_json(out)[0]) == original, how


@pytest.mark.parametrize("layout", FILLED)
def test_the_pdf_prints_every_cell_whole_on_one_page(tmp_path, layout):
    source = FILLED[layout](tmp_path / f"{layout}.xlsx")
    db, pdf = tmp_path / "forms.db", tmp_path / f"{layout}.pdf"
    assert run_main("import", source, "--db", db).returncode == 0
    result = run_main("export-pdf", "1", pdf, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = table_rows(pdf)
    assert len(pages) == 1  # these forms fit one A4 landscape page
    printed = {text for row in pages[0] for text in row}
    page = squeeze(page_texts(pdf)[0])  # the title and a note stand outside the ruled table
    evaluation = evaluate(read_workbook(source).forms[0].form, default_profile())
    layout_cells = sheet_layout(evaluation.form).cells
    shown = [squeeze(cell_text(cell, evaluation.form, evaluation.computed)) for cell in layout_cells]
    missing = [text for text in shown if text and text not in printed and text not in page]
    assert missing == [], missing


@pytest.mark.parametrize("layout", ["CN-A", "SC-2023", "SC-XJ"])
def test_a_new_blank_form_is_written_and_read_back_in_its_layout(tmp_path, layout):
    form = replace(blank_form(layout), name="新项目", year="2025", implementing_unit="某单位",
                   code="51000021R000000012345" if layout == "SC-2023" else "")
    path = tmp_path / f"{layout}.xlsx"
    write_xlsx(path, [(evaluate(form, default_profile()), layout)])
    read = read_workbook(path)
    assert not read.problems and read.forms[0].form.layout == layout
    assert (read.forms[0].form.name, read.forms[0].form.year) == ("新项目", "2025")


@pytest.mark.parametrize("layout", FILLED)
def test_the_grid_shows_each_regional_layout(qtbot, tmp_path, layout):
    form = read_workbook(FILLED[layout](tmp_path / f"{layout}.xlsx")).forms[0].form
    editor = FormEditor(default_profile())
    qtbot.addWidget(editor)
    editor.open(form, QUndoStack(editor))
    model = editor.model
    evaluation = evaluate(form, default_profile())
    for cell in sheet_layout(form).cells:
        if cell.field and not cell.field.startswith("groups["):
            index = model.index_of(cell.field)
            assert index.data(Qt.ItemDataRole.DisplayRole) == cell_text(cell, form, evaluation.computed), cell.field
    clerk = model.index_of("indicators[0].actual")
    assert model.flags(clerk) & Qt.ItemFlag.ItemIsEditable
    if layout == "SC-2023":
        assert model.flags(model.index_of("funds.reason")) & Qt.ItemFlag.ItemIsEditable
        assert model.index_of("indicators[0].nature").data() == "≥"
        # A text part is a paragraph: its editor takes several lines, as 偏差原因 does.
        editor.resize(1400, 900)
        editor.show()
        qtbot.waitExposed(editor)
        index = model.index_of("texts.conclusion")
        editor.view.setCurrentIndex(index)
        editor.view.edit(index)
        qtbot.waitUntil(lambda: editor.view.findChild(QPlainTextEdit) is not None, timeout=2000)
        paragraph = editor.view.findChild(QPlainTextEdit)
        assert paragraph is not None and paragraph.toPlainText() == form.texts.conclusion


# -- identity without a code --------------------------------------------------------------------------

def test_a_form_without_a_code_is_the_same_form_by_name_year_and_unit(tmp_path):
    db = tmp_path / "forms.db"
    first = run_main("import", filled_cn_a(tmp_path / "a.xlsx"), "--db", db)
    assert first.stdout.rstrip().endswith("new"), first.stdout + first.stderr
    # Typed again in WPS: a full-width digit and a space; the same project.
    again = run_main("import", filled_cn_a(tmp_path / "b.xlsx", name="农村饮水安全 巩固提升工程",
                                           unit="２１９００１-贵池区水利局"), "--db", db)
    assert again.stdout.split("\t")[0] == first.stdout.split("\t")[0]
    assert again.stdout.rstrip().endswith("updated"), again.stdout
    other = run_main("import", filled_cn_a(tmp_path / "c.xlsx", unit="219002-贵池区水务站"), "--db", db)
    assert other.stdout.rstrip().endswith("new") and other.stdout.split("\t")[0] != first.stdout.split("\t")[0]


def test_copying_a_form_without_a_code_to_next_year_happens_once(tmp_path):
    with Store(tmp_path / "forms.db") as store:
        form = read_workbook(filled_sc_xj(tmp_path / "xj.xlsx")).forms[0].form
        [result] = store.import_workbook("xj.xlsx", b"x", [("绩效目标自评表", form)])
        copy_id = store.copy_to_next_year(result.id)
        assert store.form(copy_id).year == "2023" and store.form(copy_id).layout == "SC-XJ"
        with pytest.raises(DuplicateFormError, match="项目名称“中江县某村产业路建设项目”"):
            store.copy_to_next_year(result.id)


# -- found walking it as a clerk -----------------------------------------------------------------------

def stored(tmp_path, source: Path) -> tuple[Store, int]:
    store = Store(tmp_path / "forms.db")
    outcome = import_file(store, source)
    assert not outcome.problems, outcome.problems
    return store, outcome.results[0].id


def export_into_copy(store: Store, form_id: int, target: Path) -> dict:
    job = stored_job(store, form_id, lambda form: evaluate(form, default_profile()))
    export_job(target, job)
    return check_json(target)[0]["forms"][0]


def test_a_lead_typed_into_a_blank_sichuan_export_goes_into_its_merged_cell(tmp_path):
    store, form_id = stored(tmp_path, sc_2023(tmp_path / "青神.xlsx"))
    with store:
        form = store.form(form_id)
        store.save(form_id, replace(form, project_lead="王明", finance_lead="李四"))
        exported = export_into_copy(store, form_id, tmp_path / "out.xlsx")
    assert (exported["project_lead"], exported["finance_lead"]) == ("王明", "李四")


def test_a_hand_filled_template_gets_its_totals_recomputed_in_the_copy(tmp_path):
    store, form_id = stored(tmp_path, langfang_2019(tmp_path / "廊坊.xlsx"))
    with store:
        form = store.form(form_id)
        first = replace(form.indicators[0], score=Decimal("8.62"))
        store.save(form_id, replace(form, indicators=(first,) + form.indicators[1:]))
        exported = export_into_copy(store, form_id, tmp_path / "out.xlsx")
    assert exported["total_score"] == "97.24"
    assert findings(exported, "PRINTED_MISMATCH") == []  # the printed 总分 is the recomputed one
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert (sheet["G6"].value, sheet["H6"].value) == ("86%", 9)  # what already agreed stays as the clerk wrote it


def test_the_sichuan_export_has_its_funds_score_and_total_filled_in_the_copy(tmp_path):
    store, form_id = stored(tmp_path, sc_2023(tmp_path / "青神.xlsx"))
    with store:
        form = store.form(form_id)
        rows = tuple(replace(row, actual="100%", score=row.points) for row in form.indicators)
        store.save(form_id, replace(form, indicators=rows))
        export_into_copy(store, form_id, tmp_path / "out.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert sheet["H10"].value == 10 and sheet["J18"].value == 100  # funds 得分, 合计 得分: were empty


@pytest.mark.parametrize(("printed", "code", "name"), [
    ("工资性支出", "", "工资性支出"),
    ("51000021R000000019951 - 工资性支出", QINGSHEN_CODE, "工资性支出"),
    ("51000021R000000019951", QINGSHEN_CODE, ""),
])
def test_a_sichuan_name_without_its_code_is_a_name_and_round_trips(tmp_path, printed, code, name):
    import openpyxl

    path = sc_2023(tmp_path / "青神.xlsx")
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["B3"] = printed
    book.save(path)
    form = read_workbook(path).forms[0].form
    assert (form.code, form.name) == (code, name)
    missing = [f for f in evaluate(form, default_profile()).findings if f.field == "code"]
    assert [(f.rule, f.cell) for f in missing] == ([("REQUIRED", "B3")] if not code else [])
    out = tmp_path / "fresh.xlsx"
    write_xlsx(out, [(evaluate(form, default_profile()), "表")])
    again = read_workbook(out).forms[0].form
    assert (again.code, again.name) == (code, name)


def test_next_year_starts_without_last_years_conclusions(tmp_path):
    with Store(tmp_path / "forms.db") as store:
        form = read_workbook(filled_sc_2023(tmp_path / "sc.xlsx", executed=200, reason="结转")).forms[0].form
        [result] = store.import_workbook("sc.xlsx", b"x", [("表", form)])
        copy = store.form(store.copy_to_next_year(result.id))
    assert copy.texts == type(copy.texts)() and copy.funds_reason == ""
    assert (copy.project_lead, copy.finance_lead) == (form.project_lead, form.finance_lead)
    required = {f.field for f in evaluate(copy, default_profile()).findings if f.rule == "REQUIRED"}
    assert {"texts.conclusion", "texts.problems", "texts.improvements", "texts.process"} <= required


def test_the_report_draft_of_a_regional_form_reads_its_values_not_its_printed_templates(tmp_path):
    db = tmp_path / "forms.db"
    assert run_main("import", filled_sc_2023(tmp_path / "sc.xlsx"), langfang_2019(tmp_path / "lf.xlsx"),
                    "--db", db).returncode == 0
    import docx

    for form_id, rate in (("1", "95.48"), ("2", "86.20")):
        out = tmp_path / f"{form_id}.docx"
        result = run_main("export-report", form_id, out, "--db", db)
        assert result.returncode == 0, result.stdout + result.stderr
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        assert "%%" not in text and "年度)年度" not in text and "-农村公路养护补助）" not in text
        assert f"预算执行率为{rate}%" in text


def test_batch_files_of_forms_without_a_code_are_named_by_project_and_unit(tmp_path):
    db, out = tmp_path / "forms.db", tmp_path / "out"
    out.mkdir()
    assert run_main("import", filled_cn_a(tmp_path / "a.xlsx"), "--db", db).returncode == 0
    result = run_main("export-xlsx", "--all", out, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in out.iterdir()] == ["农村饮水安全巩固提升工程_219001-贵池区水利局_2022.xlsx"]


def test_a_systems_stale_general_total_is_still_a_mismatch_in_full(tmp_path, seed_a):
    """Only text, fixed formats and hand-filled templates are compared at the precision they show."""
    import openpyxl

    book = openpyxl.load_workbook(seed_a)
    sheet = book.worksheets[0]
    sheet["H21"], sheet["G6"] = 100, 98.3  # General numbers, stale: 99.83 and 98.28
    sheet["G6"].number_format = "General"
    book.save(seed_a)
    mismatches = {field for rule, field in findings(check_json(seed_a)[0]["forms"][0], "PRINTED_MISMATCH")}
    assert mismatches == {"total_score", "funds.rate"}


def test_an_answer_that_begins_like_an_instruction_is_kept(tmp_path):
    path = filled_sc_2023(tmp_path / "sc.xlsx", executed=200,
                          reason="1.资金未执行完的原因包括：项目延期开工，已结转下年。")
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet["B21"] = "结合自评情况,说明项目自评总分为98分，工资全部按时发放。"
    sheet["B22"] = "结合自评情况,分析存在的问题及原因。(200字以内)：个别路段施工影响通行。"
    sheet["C7"] = None  # an empty 项目年度目标 does not take the 过程概述 under it
    book.save(path)
    form = read_workbook(path).forms[0].form
    assert form.funds_reason == "1.资金未执行完的原因包括：项目延期开工，已结转下年。"
    assert form.texts.conclusion == "结合自评情况,说明项目自评总分为98分，工资全部按时发放。"
    assert form.texts.problems == "个别路段施工影响通行。"  # written on after the instruction
    assert form.goal_expected == "" and form.texts.process == "全年分四批实施养护，按季度验收拨付。"


def test_a_hand_filled_templates_grey_cells_are_the_clerks(qtbot, tmp_path):
    """河北/安徽/中江 templates have no budget system behind them: a clerk types 年度指标值 without
    unlocking, and the export does not warn about changing the system's data."""
    store, form_id = stored(tmp_path, filled_cn_a(tmp_path / "a.xlsx"))
    with store:
        form = store.form(form_id)
        editor = FormEditor(default_profile())
        qtbot.addWidget(editor)
        editor.open(form, QUndoStack(editor))
        assert editor.model.flags(editor.model.index_of("indicators[0].target")) & Qt.ItemFlag.ItemIsEditable
        store.save(form_id, replace(form, indicators=(replace(form.indicators[0], target="13个"),)
                                    + form.indicators[1:]))
        job = stored_job(store, form_id, lambda f: evaluate(f, default_profile()))
        warnings = export_job(tmp_path / "out.xlsx", job)
    assert warnings == [] and read_workbook(tmp_path / "out.xlsx").forms[0].form.indicators[0].target == "13个"


def test_the_copy_gets_a_groups_new_weight_where_the_file_prints_it(tmp_path):
    store, form_id = stored(tmp_path, filled_sc_xj(tmp_path / "xj.xlsx"))
    with store:
        form = store.form(form_id)
        rows = list(form.indicators)
        rows[0] = replace(rows[0], points=Decimal(25), score=Decimal(25))
        rows[4] = replace(rows[4], points=Decimal(15), score=Decimal(15))
        store.save(form_id, replace(form, indicators=tuple(rows)))
        exported = export_into_copy(store, form_id, tmp_path / "out.xlsx")
    assert findings(exported, "PRINTED_MISMATCH") == []
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert (sheet["A13"].value, sheet["A17"].value) == ("产出指标(65分)", "效益指标(15分)")


def test_importing_the_blank_export_again_keeps_what_the_clerk_wrote(tmp_path):
    """The system's blank export of a project the clerk already filled: its instructions and empty
    cells are not answers, so the texts, the funds 原因 and the 负责人 stay as stored."""
    with Store(tmp_path / "forms.db") as store:
        filled = import_file(store, filled_sc_2023(tmp_path / "filled.xlsx", executed=200,
                                                   reason="下半年项目调整，资金结转下年"))
        form_id = filled.results[0].id
        before = store.form(form_id)
        blank = import_file(store, sc_2023(tmp_path / "blank.xlsx", code="51000021R000000020017",
                                           name="农村公路养护补助", unit="青神县交通运输局",
                                           supervisor="青神县交通运输局"))
        assert [r.id for r in blank.results] == [form_id]
        after = store.form(form_id)
    assert before.texts.conclusion.startswith("项目自评得分") and before.project_lead == "王明 0833-1234567"
    for name in ("funds_reason", "project_lead", "finance_lead", "goal_actual", "texts"):
        assert getattr(after, name) == getattr(before, name), name


def test_a_code_alone_is_a_code_only_where_the_layout_says_how_codes_look(tmp_path):
    """SC-2023 says how 四川's codes look (code_pattern): a 项目名称 cell holding only a code is read
    as the code. A unit's variant without that key reads the same cell as a name, and the check's
    advice follows the variant's own template."""
    import openpyxl

    from core.layout_files import add_layout_folder, forget_unit_layouts
    from core.paths import resource

    path = sc_2023(tmp_path / "青神.xlsx")
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["B3"] = QINGSHEN_CODE
    book.save(path)
    assert [(s.form.layout, s.form.code, s.form.name) for s in read_workbook(path).forms] == [
        ("SC-2023", QINGSHEN_CODE, "")]
    # The variant prints 项目全称 where SC-2023 prints 项目名称, so the sheet below is read as the variant.
    text = resource("layouts", "SC-2023.toml").read_text(encoding="utf-8")
    variant = "\n".join(line for line in text.splitlines() if not line.startswith("code_pattern"))
    variant = variant.replace('id = "SC-2023"', 'id = "SC-VARIANT"').replace('text = "项目名称"}', 'text = "项目全称"}')
    assert variant.count("SC-VARIANT") == 1 and "项目全称" in variant
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "variant.toml").write_text(variant, encoding="utf-8")
    book.worksheets[0]["A3"] = "项目全称"
    book.save(path)
    assert add_layout_folder(folder) == []
    try:
        [sheet] = read_workbook(path).forms
        assert (sheet.form.layout, sheet.form.code, sheet.form.name) == ("SC-VARIANT", "", QINGSHEN_CODE)
        missing = [f.message for f in evaluate(sheet.form, default_profile()).findings if f.field == "code"]
        assert missing == ["项目名称中缺少项目代码：应写作“项目代码-项目名称”"]
    finally:
        forget_unit_layouts()


def test_a_text_over_the_templates_own_limit_is_a_reminder_naming_its_cell(tmp_path, seed_a):
    """四川's template asks for 评价结论、存在问题、改进措施 in 200 字 and 年度目标完成情况 and the funds'
    原因 in 100 (its instructions say so); the layout carries the limits (max_chars), the check counts
    字 as WPS does (spaces and line breaks not counted). Layout A sets none."""
    from core.fields import with_value

    (read,) = read_workbook(filled_sc_2023(tmp_path / "青神.xlsx")).forms
    texts = {"texts.conclusion": "成" * 200 + " \n" * 5, "goal_actual": "完" * 101, "texts.problems": "问" * 201,
             "funds.reason": "因" * 100}
    form = read.form
    for path, text in texts.items():
        form = with_value(form, path, text)
    found = [(f.level, f.field, f.cell, f.message) for f in evaluate(form, default_profile()).findings
             if f.rule == "TEXT_LIMIT"]
    assert found == [("warning", "goal_actual", "G7", "年度目标完成情况有 101 个字，表样要求 100 字以内：请精简"),
                     ("warning", "texts.problems", "B22", "存在问题有 201 个字，表样要求 200 字以内：请精简")]
    (a,) = read_workbook(seed_a).forms
    long_a = with_value(with_value(a.form, "goal_actual", "完" * 500), "indicators[0].reason", "因" * 500)
    assert not [f for f in evaluate(long_a, default_profile()).findings if f.rule == "TEXT_LIMIT"]


def test_the_limit_counts_zi_as_wps_does():
    """A clerk checks her 字数 in WPS: a run of Latin letters and digits ("82.5%", "ABC") is one 字
    there, each Chinese character and mark one, spaces and line breaks none."""
    from core.text import chinese_word_count

    assert chinese_word_count("优良路率82.5%。") == 6
    assert chinese_word_count("项目总投资12345678.90元，ABC") == 9
    assert chinese_word_count("第一段\n\n　第二段 end") == 7
    assert chinese_word_count("") == 0


def test_a_label_numbered_on_the_sheet_is_named_without_its_number(tmp_path):
    """四川 prints "2.项目实施内容及过程概述": a message asks for 项目实施内容及过程概述, not for "2.…"."""
    from core.fields import with_value

    (read,) = read_workbook(filled_sc_2023(tmp_path / "青神.xlsx")).forms
    messages = [f.message for f in evaluate(with_value(read.form, "texts.process", ""), default_profile()).findings
                if f.field == "texts.process"]
    assert messages == ["请填写项目实施内容及过程概述（没有可写“无”）"]
