"""The PDF of both seed forms read back: every label and value in reading order per row, the
title, note, signature block, footer and metadata; the 草稿 watermark; refusing to overwrite."""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import replace

import pytest

from core import APP_NAME, __version__
from core.checks import evaluate
from core.layouts import TITLE, spec_of
from core.pdf.writer import PdfError, PdfExistsError, PdfOptions, render_pdf, write_pdf
from core.profile import default_profile
from tests.conftest import ROOT
from tests.pdf_support import (
    FIXED_DATE,
    expected_rows,
    large_text,
    long_form,
    match_rows,
    metadata,
    page_texts,
    pdffonts,
    seed_form,
    span_texts,
    squeeze,
    table_rows,
)
from tests.powerless import run_python_powerless
from tests.seeds import SEED_A, SEED_B

OPTIONS = PdfOptions(preparer="李四", phone="0755-87654321", date=FIXED_DATE)


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    result = {}
    for layout in "AB":
        evaluation = evaluate(seed_form(layout), default_profile())
        path = folder / f"seed_{layout}.pdf"
        warnings = write_pdf(path, [evaluation], OPTIONS)
        result[layout] = (evaluation, path, warnings)
    return result


@pytest.mark.parametrize("layout", "AB")
def test_every_label_and_value_of_the_seed_is_in_the_table_row_by_row(seed_pdfs, layout):
    evaluation, path, warnings = seed_pdfs[layout]
    assert warnings == []
    form, computed = evaluation.form, evaluation.computed
    placed = match_rows(table_rows(path), expected_rows(form, computed), span_texts(form, computed))
    assert sum(map(len, placed)) >= len(expected_rows(form, computed))


def test_seed_a_rows_carry_the_official_values_in_order(seed_pdfs):
    rows = [row for page in table_rows(seed_pdfs["A"][1]) for row in page]
    assert ["项目编码：", SEED_A["code"], "项目名称：", squeeze(SEED_A["name"]), "绩效自评年度：", "2024"] in rows
    assert ["项目资金（元）", "年度资金总额", "4560000.00", "4560000.00", "4481566.00", "10", "98.2800", "9.83"] in rows
    assert [squeeze(SEED_A["goal_expected"]), squeeze(SEED_A["goal_actual"])] in rows
    level2s = {indicator[1] for indicator in SEED_A["indicators"]}
    indicator_rows = [row[-7:] for row in rows if len(row) >= 7 and row[-7] in level2s]
    want = [[level2, level3, target, actual, f"{points}.00", f"{score}.00", ""]
            for _, level2, level3, target, actual, points, score in SEED_A["indicators"]]
    assert indicator_rows == want
    groups = [row[0] for row in rows if len(row) == 8 and row[1] in level2s]
    assert groups == ["产出指标(50分)", "效益指标(30分)", "满意度指标(10分)"]
    assert ["总分", "100.00", "99.83", "—"] in rows


def test_seed_b_rows_carry_the_official_values_in_order(seed_pdfs):
    rows = [row for page in table_rows(seed_pdfs["B"][1]) for row in page]
    assert ["实施单位：", squeeze(SEED_B["implementing_unit"]), "一级预算单位：", squeeze(SEED_B["budget_unit"]),
            "单位编码：", "155002"] in rows
    for label, initial, annual, executed in SEED_B["fund_rows"][1:]:
        assert [label, initial, annual, executed, "—", "—", "—"] in rows
    assert ["年度资金总额", "4590000.00", "5045000.00", "4658260.00", "10", "92.33", "9.23"] in rows
    assert ["总分", "100", "99.23", "—"] in rows


@pytest.mark.parametrize("layout", "AB")
def test_title_note_signature_and_footer_are_printed(seed_pdfs, layout):
    evaluation, path, _ = seed_pdfs[layout]
    pages = [squeeze(text) for text in page_texts(path)]
    assert pages[0].startswith(TITLE)
    # Layout A's file prints the system's note under the form (备注：…); B has none.
    note = "".join(cell.text for _, _, cell in spec_of("A").cells() if cell.role == "note")
    assert note.startswith("备注：作为导入模板") and (squeeze(note) in pages[-1]) == (layout == "A")
    signature = squeeze("单位负责人（签字）： 财务负责人（签字）： （单位盖章） 填表人：李四 联系电话：0755-87654321 "
                        "填报日期：2025年3月1日")
    assert signature in pages[-1]
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in text
        assert squeeze(f"项目编码：{evaluation.form.code}　项目名称：{evaluation.form.name}") in text


def test_metadata_names_the_project_the_year_and_the_app(seed_pdfs):
    info = metadata(seed_pdfs["B"][1])
    assert info["Title"] == SEED_B["name"]
    assert info["Subject"] == "绩效自评表 2024"
    assert info["Creator"] == f"{APP_NAME} {__version__}"


def test_cjk_font_is_embedded_and_subsetted(seed_pdfs):
    fonts = pdffonts(seed_pdfs["A"][1])
    assert fonts, "pdffonts listed no font"
    for font in fonts:
        assert font["type"].startswith("TrueType"), font
        assert (font["emb"], font["sub"]) == ("yes", "yes"), font
        assert "+" in font["name"]


def test_fill_in_date_defaults_to_the_export_date(tmp_path):
    evaluation = evaluate(seed_form("A"), default_profile())
    path = tmp_path / "today.pdf"
    write_pdf(path, [evaluation], PdfOptions(preparer="王五"))
    today = datetime.date.today()
    assert f"填报日期：{today.year}年{today.month}月{today.day}日" in squeeze(page_texts(path)[-1])


def test_draft_watermark_marks_forms_with_errors_unless_omitted(tmp_path):
    broken = evaluate(replace(seed_form("A"), goal_actual=""), default_profile())
    assert broken.errors
    clean = evaluate(seed_form("A"), default_profile())
    assert not clean.errors

    warnings = write_pdf(tmp_path / "draft.pdf", [broken], OPTIONS)
    assert any("草稿" in w for w in warnings)
    assert large_text(tmp_path / "draft.pdf") == ["草稿"]

    assert write_pdf(tmp_path / "omitted.pdf", [broken], replace(OPTIONS, watermark=False)) == []
    assert large_text(tmp_path / "omitted.pdf") == [""]
    write_pdf(tmp_path / "clean.pdf", [clean], OPTIONS)
    assert large_text(tmp_path / "clean.pdf") == [""]
    assert not any("草" in text for text in page_texts(tmp_path / "clean.pdf"))


def test_several_forms_in_one_pdf_each_number_their_own_pages(tmp_path):
    a, b = (evaluate(seed_form(layout), default_profile()) for layout in "AB")
    longer = evaluate(long_form(30, 300), default_profile())  # too long for one page even shrunk
    path = tmp_path / "both.pdf"
    write_pdf(path, [a, longer, b], OPTIONS)
    footers = [re.findall(r"第(\d+)页共(\d+)页", squeeze(text)) for text in page_texts(path)]
    pages = len(footers) - 2
    assert pages >= 2
    assert footers == [[("1", "1")], *[[(str(n), str(pages))] for n in range(1, pages + 1)], [("1", "1")]]
    assert metadata(path)["Title"] == f"{TITLE}（3 个项目）"


def test_existing_file_is_not_overwritten_unless_allowed(tmp_path):
    evaluation = evaluate(seed_form("A"), default_profile())
    path = tmp_path / "out.pdf"
    path.write_bytes(b"old")
    with pytest.raises(PdfExistsError) as raised:
        write_pdf(path, [evaluation], OPTIONS)
    assert "已存在" in str(raised.value) and str(path) in str(raised.value)
    assert path.read_bytes() == b"old"
    write_pdf(path, [evaluation], replace(OPTIONS, overwrite=True))
    assert path.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]  # no temporary file left


def test_unwritable_targets_raise_a_chinese_error_and_leave_nothing(tmp_path):
    evaluation = evaluate(seed_form("A"), default_profile())
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, words in ((tmp_path / "missing" / "out.pdf", "不存在"), (blocker / "out.pdf", "是一个文件，不是文件夹"),
                          (tmp_path, "文件夹")):
        with pytest.raises(PdfError) as raised:
            write_pdf(target, [evaluation], OPTIONS)
        assert words in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


WRITE_IN_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from core.checks import evaluate
from core.pdf.writer import PdfError, write_pdf
from core.profile import default_profile
from tests.pdf_support import seed_form
try:
    write_pdf(sys.argv[2], [evaluate(seed_form("A"), default_profile())])
    print("written")
except PdfError as exc:
    print(exc)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="drops Linux capabilities in the child")
def test_a_read_only_folder_raises_pdf_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:  # in a child without root's powers over files (tests.powerless), so this holds as root too
        result = run_python_powerless(WRITE_IN_CHILD, ROOT, folder / "out.pdf")
    finally:
        folder.chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert "无法写入" in result.stdout and str(folder) in result.stdout
    assert list(folder.iterdir()) == []


def test_render_pdf_needs_a_form():
    with pytest.raises(ValueError):
        render_pdf([])
