"""What a clerk's walk through import and export found (issue 12's review): text as pasted from Word
and WPS, escapes other writers use, text longer than a cell, a code Excel turned into a number, and
an output name that is not an xlsx."""

from __future__ import annotations

import openpyxl
import pytest

from core.atomic_write import ExportError
from core.checks import evaluate
from core.export import export_xlsx
from core.fields import with_value
from core.profile import DEFAULT_PATH, parse_profile
from core.text import CELL_CHARS, clean_text, unescape_cell_text
from core.xlsx.reader import read_workbook
from tests.conftest import run_main
from tests.seeds import SEED_B, seed_form, write_seed_b

PROFILE = parse_profile(DEFAULT_PATH.read_text(encoding="utf-8"), str(DEFAULT_PATH))


@pytest.mark.parametrize("typed,kept", [
    ("第一行\r\n第二行", "第一行\n第二行"), ("单独回车\r之后", "单独回车\n之后"),
    ("从Word粘贴\x0b第二行", "从Word粘贴\n第二行"), ("分页\x0c之后", "分页\n之后"),
    ("响铃\x07与\x01控制符", "响铃与控制符"), ("制表\t保留", "制表\t保留"), ("平常的文字", "平常的文字")])
def test_text_is_kept_as_every_file_can_hold_it(typed, kept):
    assert clean_text(typed) == kept
    form = with_value(seed_form("B"), "indicators[0].reason", typed)
    assert form.indicators[0].reason == kept


@pytest.mark.parametrize("fresh", [False, True])
def test_pasted_line_breaks_survive_both_exports(tmp_path, seed_b, fresh):
    (source,) = read_workbook(seed_b).forms
    form = with_value(source.form, "indicators[0].reason", "甲\r\n乙\r丙\x0b丁")
    if fresh:
        from dataclasses import replace

        form = replace(form, template_bound=False)
    out = tmp_path / "out.xlsx"
    export_xlsx(out, evaluate(form, PROFILE), source=seed_b.read_bytes(), sheet=source.sheet)
    assert read_workbook(out).forms[0].form.indicators[0].reason == "甲\n乙\n丙\n丁"


def test_escaped_carriage_returns_from_other_writers_are_line_breaks(tmp_path):
    assert unescape_cell_text("项目。_x000D_\n下一行") == "项目。\r\n下一行"
    assert unescape_cell_text("字面的 _x005F_x000D_") == "字面的 _x000D_"
    wb = openpyxl.Workbook()
    write_seed_b(wb.active)
    wb.active["B12"] = "第一句。_x000D_\n第二句。"  # as XlsxWriter, POI and .NET store a CR
    path = tmp_path / "escaped.xlsx"
    wb.save(path)
    assert read_workbook(path).forms[0].form.goal_expected == "第一句。\n第二句。"


def test_text_longer_than_a_cell_is_an_error_and_stops_the_export_with_its_cell(tmp_path, seed_b):
    (source,) = read_workbook(seed_b).forms
    form = with_value(source.form, "indicators[2].reason", "很" * (CELL_CHARS + 1))
    evaluation = evaluate(form, PROFILE)
    (finding,) = [f for f in evaluation.findings if f.rule == "TEXT_TOO_LONG"]
    assert (finding.level, finding.field, finding.cell) == ("error", "indicators[2].reason", "J16")
    assert "32768 个字符" in finding.message
    out = tmp_path / "out.xlsx"
    with pytest.raises(ExportError) as error:
        export_xlsx(out, evaluation, source=seed_b.read_bytes(), sheet=source.sheet)
    assert str(error.value) == (f"无法导出 {out}：“大数据服务经费”的第 3 个指标的偏差原因（J16）有 32768 个字符，"
                                "超过电子表格单元格的上限 32767 个字符，请删减后再导出")
    assert not out.exists()


def test_a_regions_profile_written_before_a_check_existed_keeps_that_check_on():
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace('TEXT_TOO_LONG = "error"\n', "")
    assert "TEXT_TOO_LONG" not in text
    assert parse_profile(text, "region.toml").level_of("TEXT_TOO_LONG") == "error"


def test_a_code_excel_turned_into_a_number_is_not_imported(tmp_path):
    wb = openpyxl.Workbook()
    write_seed_b(wb.active)
    wb.active["B2"] = float(SEED_B["code"])  # Excel kept 15 digits: 440303241553147000000
    path = tmp_path / "numeric.xlsx"
    wb.save(path)
    db = tmp_path / "forms.sqlite3"
    result = run_main("import", path, "--db", db)
    assert result.returncode == 1 and result.stdout == ""
    assert "单元格 B2 的项目编码是数字格式" in result.stderr and "本表未导入" in result.stderr
    listing = run_main("list", "--db", db)
    assert "440303241553147" not in listing.stdout
    # `check FILE` reports it on its cell, as before.
    checked = run_main("check", path)
    assert "[B2]" in checked.stdout and "数字格式" in checked.stdout


@pytest.mark.parametrize("name", ["x.pdf", "noext", "macro.xlsm"])
def test_export_xlsx_writes_only_under_an_xlsx_name(tmp_path, seed_b, name):
    db = tmp_path / "forms.sqlite3"
    assert run_main("import", seed_b, "--db", db).returncode == 0
    result = run_main("export-xlsx", "1", tmp_path / name, "--db", db)
    assert result.returncode == 1 and "输出文件名应以 .xlsx 结尾" in result.stderr
    assert not (tmp_path / name).exists()
    pdf = run_main("export-pdf", "1", tmp_path / "x.xlsx", "--db", db)
    assert pdf.returncode == 1 and "输出文件名应以 .pdf 结尾" in pdf.stderr


def test_a_folder_that_cannot_be_made_is_said_in_chinese(tmp_path, seed_b):
    db = tmp_path / "forms.sqlite3"
    assert run_main("import", seed_b, "--db", db).returncode == 0
    existing = tmp_path / "f2.xlsx"
    existing.write_bytes(b"x")
    result = run_main("export-xlsx", "--all", existing, "--db", db)
    assert result.returncode == 1 and "无法创建输出文件夹（已有同名的文件）" in result.stderr


def test_a_real_form_with_a_samples_code_replaces_the_untouched_sample_instead_of_merging(tmp_path):
    from core.importing import import_file
    from core.samples import add_samples, sample_ids
    from core.store import Store
    from tests.system_templates import system_template

    with Store(tmp_path / "forms.sqlite3") as store:
        samples = add_samples(store)
        assert len(samples) == 2 and sample_ids(store) == {r.id for r in samples}
        # The clerk's own blank template of the same project (the samples carry real Luohu codes).
        template = system_template("openpyxl", "B", tmp_path / "t")
        outcome = import_file(store, template)
        (result,) = outcome.results
        assert result.outcome == "new" and result.code == SEED_B["code"]
        assert any("已删除示例表" in w.message for w in outcome.warnings)
        form = store.form(result.id)
        assert form.goal_actual == "" and all(row.score is None for row in form.indicators)  # no sample answers
        assert len(store.list_forms()) == 2 and len(sample_ids(store)) == 1


def test_a_sample_making_way_for_an_import_that_fails_is_kept(tmp_path):
    """The sample is deleted in the import's own transaction: a file that could not be stored (here
    the database refuses every new form) leaves the sample as it was, and nothing says it was deleted."""
    import sqlite3

    from core.importing import import_file
    from core.samples import add_samples, sample_ids
    from core.store import Store
    from tests.system_templates import system_template

    db = tmp_path / "forms.sqlite3"
    with Store(db) as store:
        samples = {r.id for r in add_samples(store)}
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TRIGGER refuse BEFORE INSERT ON forms BEGIN SELECT RAISE(ABORT, '磁盘已满'); END")
    connection.close()
    with Store(db) as store:
        outcome = import_file(store, system_template("openpyxl", "B", tmp_path / "t"))
        assert outcome.results == [] and outcome.warnings == []
        (problem,) = outcome.problems
        assert problem.message.startswith("没有导入，") and "磁盘已满" in problem.message
        assert sample_ids(store) == samples and {f.id for f in store.list_forms()} == samples
