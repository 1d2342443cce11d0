"""The 自评报告 (.docx) of the two samples and of a half-done form of each layout: every number in it is
one the form prints, each table row is the form's row, the six sections are there, the document has
the official look in its XML, LibreOffice opens it, and it is read back before it lands."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm, Pt

from core.atomic_write import ExportError, ExportExistsError, VerifyError
from core.self_report.docx import numbers_in, read_blocks, verify_report, write_report
from core.self_report.facts import report_facts
from core.self_report.outline import chinese_ordinal, outline
from core.self_report.template import parse_template
from tests.report_support import (
    HEADINGS,
    REASON_A,
    REASON_B,
    SAMPLES,
    docx_texts,
    evaluation_of,
    fixture_a,
    fixture_b,
    form_faces,
    heading_texts,
    libreoffice_pdfs,
    numbers,
    pdf_text,
    printed,
    shenzhen_template,
)

TEMPLATE = shenzhen_template()
FIELD_OF_HEADER = {"二级指标": "level2", "三级指标": "level3", "年度指标值": "target", "度量单位": "unit",
                   "实际完成值": "actual", "分值": "points", "权重": "points", "得分": "score"}
FUNDS_FIELDS = ("label", "initial_budget", "annual_budget", "executed")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple]:
    """name -> (evaluation, report path) for both samples and both fixtures."""
    folder = tmp_path_factory.mktemp("reports")
    sources = {"sample-A": SAMPLES[0], "sample-B": SAMPLES[1], "fixture-A": fixture_a(folder / "fixture-a.xlsx"),
               "fixture-B": fixture_b(folder / "fixture-b.xlsx")}
    made = {}
    for name, source in sources.items():
        evaluation = evaluation_of(source)
        path = folder / f"{name}.docx"
        write_report(path, evaluation, TEMPLATE)
        made[name] = (evaluation, path)
    return made


NAMES = ["sample-A", "sample-B", "fixture-A", "fixture-B"]


@pytest.mark.parametrize("name", NAMES)
def test_every_number_in_the_report_is_a_number_the_form_prints(reports, name):
    evaluation, path = reports[name]
    on_form = {n for text in form_faces(evaluation) for n in numbers(text)}
    paragraphs, tables = docx_texts(path)
    in_report = [n for text in paragraphs for n in numbers(text)]
    in_report += [n for table in tables for row in table for cell in row for n in numbers(cell)]
    assert in_report and set(in_report) <= on_form, sorted(set(in_report) - on_form)


@pytest.mark.parametrize("name", NAMES)
def test_every_indicator_row_and_fund_row_is_in_a_table_as_the_form_prints_it(reports, name):
    evaluation, path = reports[name]
    _, tables = docx_texts(path)
    funds, indicator_tables = tables[0], tables[1:]
    assert funds[0][0] == "项目资金（元）"
    for index, row in enumerate(funds[1:]):
        assert row[:4] == [printed(evaluation, f"fund_rows[{index}].{field}") for field in FUNDS_FIELDS]
    assert funds[1][4:] == [printed(evaluation, p) for p in ("funds.points", "funds.rate", "funds.score")]
    assert len(funds) - 1 == len(evaluation.form.fund_rows)
    rows = [(table[0], row) for table in indicator_tables for row in table[1:]]
    assert len(rows) == len(evaluation.form.indicators)
    for index, (header, row) in enumerate(rows):
        for label, cell in zip(header, row, strict=False):
            if label in FIELD_OF_HEADER:
                assert cell == printed(evaluation, f"indicators[{index}].{FIELD_OF_HEADER[label]}"), (index, label)
    assert len(indicator_tables) == len(evaluation.computed.groups)


def test_layout_a_prints_points_with_two_decimals_and_the_rate_with_four(reports):
    _, path = reports["sample-A"]
    paragraphs, tables = docx_texts(path)
    text = "\n".join(paragraphs)
    assert "预算执行率为98.2800%" in text and "得分9.83分" in text
    assert "总分值100.00分，自评得分99.83分，自评等级为“优”" in text
    assert "产出指标得分50.00分（分值50.00分）" in text
    assert tables[1][1][4:6] == ["15.00", "15.00"]


def test_layout_b_prints_numbers_as_entered(reports):
    _, path = reports["sample-B"]
    paragraphs, tables = docx_texts(path)
    text = "\n".join(paragraphs)
    assert "预算执行率为92.33%" in text and "总分值100分，自评得分99.23分" in text
    assert "“运维服务人员”：年度指标值≥1人，实际完成值2，已达成年度指标；权重7分，得分7分。" in paragraphs
    assert [row[0] for row in tables[0][1:]] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert tables[0][2][4:] == ["—", "—", "—"]
    assert "度量单位" not in tables[1][0]  # a column empty on every row of the form is left out


@pytest.mark.parametrize("name", NAMES)
def test_the_six_sections_are_there_in_order(reports, name):
    _, path = reports[name]
    assert heading_texts(path) == list(HEADINGS)


def _section(paragraphs: list[str], heading: str) -> list[str]:
    start = paragraphs.index(heading)
    after = [i for i, text in enumerate(paragraphs) if text in HEADINGS and i > start]
    return paragraphs[start + 1:after[0] if after else None]


def test_deviations_retell_each_short_indicator_with_the_clerks_reason_or_a_marked_gap(reports):
    _, path = reports["fixture-A"]
    paragraphs, _ = docx_texts(path)
    deviations = _section(paragraphs, HEADINGS[3])
    assert deviations[0].startswith("预算执行方面：全年预算数4560000.00元，全年执行数4481566.00元，"
                                    "预算执行率为98.2800%")
    assert deviations[0].endswith("【请补充：预算未全部执行的原因及改进措施】")
    assert deviations[1] == ("“免费刻章数量”：年度指标值≥12000个，实际完成值11000个，分值15.00分，得分13.75分。"
                             f"偏差原因分析及改进措施：{REASON_A}")
    assert deviations[2].startswith("“免费刻章费用支付准确率”：") and deviations[2].endswith(
        "偏差原因分析及改进措施：【请补充：该指标的偏差原因分析及改进措施】")
    assert len(deviations) == 3  # full-score rows are not there
    analysis = _section(paragraphs, HEADINGS[2])
    assert any(p.startswith("“提高开办企业获得感”：") and "尚未评分" in p for p in analysis)
    assert "全年免费刻章11000个。" in _section(paragraphs, HEADINGS[1])  # a line break starts a paragraph
    assert any(p.endswith("一级预算单位为【请补充：一级预算单位】。") for p in _section(paragraphs, HEADINGS[0]))


def test_a_not_applicable_row_scored_below_its_points_is_a_deviation_too(reports):
    _, path = reports["fixture-B"]
    paragraphs, tables = docx_texts(path)
    deviations = _section(paragraphs, HEADINGS[3])
    assert f"“经济效益指标”：实际完成值不适用，权重8分，得分0分。偏差原因分析及改进措施：{REASON_B}" in deviations
    assert tables[1][0][3] == "度量单位" and tables[1][1][3] == "项"


def test_a_form_with_nothing_below_its_points_says_so():
    facts = report_facts(evaluation_of(SAMPLES[0]))
    full = dataclasses.replace(facts, funds_short=False)
    texts = [b.text for b in outline(full, TEMPLATE)]
    section = texts[texts.index(HEADINGS[3]) + 1:texts.index(HEADINGS[4])]
    assert section == ["本年度预算执行和各项绩效指标均取得满分，无需说明的偏差。"]


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def _style(styles_xml: str, style_id: str) -> str:
    match = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles_xml, re.DOTALL)
    assert match, style_id
    return match.group()


def test_east_asian_fonts_and_sizes_are_named_in_the_document_xml(reports):
    _, path = reports["sample-A"]
    styles = _xml(path, "word/styles.xml")
    for style_id, font, half_points in (("报告标题", "方正小标宋简体", 44), ("Heading1", "黑体", 32),
                                        ("Heading2", "楷体_GB2312", 32), ("Normal", "仿宋_GB2312", 32)):
        style = _style(styles, style_id)
        assert f'w:eastAsia="{font}"' in style, style_id
        assert f'<w:sz w:val="{half_points}"/>' in style, style_id
        assert "Theme" not in style  # theme fonts would win over the names
    normal = _style(styles, "Normal")
    assert 'w:line="560"' in normal and 'w:lineRule="exact"' in normal  # 28 pt, exactly
    assert 'w:firstLineChars="200"' in normal
    assert 'w:eastAsia="zh-CN"' in styles
    document = _xml(path, "word/document.xml")
    assert 'w:pStyle w:val="报告标题"' in document and 'w:pStyle w:val="Heading1"' in document


def test_the_page_is_a4_with_the_official_margins_and_dashed_page_numbers(reports):
    _, path = reports["sample-B"]
    section = Document(str(path)).sections[0]
    for measured, expected in ((section.page_width, Mm(210)), (section.page_height, Mm(297)),
                               (section.top_margin, Mm(37)), (section.bottom_margin, Mm(35)),
                               (section.left_margin, Mm(28)), (section.right_margin, Mm(26))):
        assert measured is not None and abs(measured - expected) <= 635, (measured, expected)  # within a twip
    footer = section.footer.paragraphs[0]
    assert footer.alignment == 1  # centred
    footer_xml = footer._p.xml
    assert 'w:fldCharType="begin"' in footer_xml and "PAGE" in footer_xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


@pytest.mark.slow
def test_libreoffice_converts_each_report_and_every_heading_is_in_its_text(reports, tmp_path):
    names = NAMES
    pdfs = libreoffice_pdfs([reports[name][1] for name in names], tmp_path)
    for name, pdf in zip(names, pdfs, strict=False):
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        text = re.sub(r"\s+", "", pdf_text(pdf))
        for heading in HEADINGS:
            assert heading in text, (name, heading)
        evaluation = reports[name][0]
        assert re.sub(r"\s+", "", evaluation.form.name) in text
        assert f"自评得分{printed(evaluation, 'total_score')}分" in text


def test_an_existing_report_is_kept_unless_replacing_is_allowed(tmp_path):
    evaluation = evaluation_of(SAMPLES[0])
    target = tmp_path / "报告.docx"
    target.write_bytes(b"the clerk's own edits")
    with pytest.raises(ExportExistsError) as caught:
        write_report(target, evaluation, TEMPLATE)
    assert str(target) in str(caught.value) and "--force" in str(caught.value)
    assert target.read_bytes() == b"the clerk's own edits"
    write_report(target, evaluation, TEMPLATE, overwrite=True)
    assert Document(str(target)).paragraphs[0].text.startswith(evaluation.form.name)


def test_a_report_that_would_show_a_number_not_on_the_form_is_not_saved(tmp_path):
    """A template may join two facts into a number the form does not have: the read-back catches it."""
    text = Path(TEMPLATE.source).read_text(encoding="utf-8")
    joined = parse_template(text.replace("预算执行得分{funds_score}分", "预算执行得分{year}{funds_points}分"))
    target = tmp_path / "joined.docx"
    with pytest.raises(ExportError) as caught:
        write_report(target, evaluation_of(SAMPLES[0]), joined)
    assert "202410" in str(caught.value) and "读回校验不通过" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # nothing under the name, no temporary file either


def test_the_read_back_notices_a_changed_paragraph(tmp_path):
    evaluation = evaluation_of(SAMPLES[1])
    path = tmp_path / "b.docx"
    write_report(path, evaluation, TEMPLATE)
    facts = report_facts(evaluation)
    blocks = outline(facts, TEMPLATE)
    verify_report(path, blocks, facts)  # as written: passes
    document = Document(str(path))
    paragraph = next(p for p in document.paragraphs if "自评得分99.23分" in p.text)
    paragraph.runs[0].text = paragraph.runs[0].text.replace("99.23", "99.32")
    document.save(str(path))
    with pytest.raises(VerifyError) as caught:
        verify_report(path, blocks, facts)
    assert "99.32" in str(caught.value)
    assert read_blocks(path)[0].text == blocks[0].text


def test_numbers_are_read_as_written_full_width_digits_included():
    assert numbers_in("执行率98.2800%，第２季度，ISO9001，1.建设") == ["98.2800", "2", "9001", "1"]


@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_chinese_ordinals(n, text):
    assert chinese_ordinal(n) == text


def test_the_document_says_who_drafted_it_and_its_title(reports):
    evaluation, path = reports["sample-A"]
    properties = Document(str(path)).core_properties
    assert properties.title == f"{evaluation.form.name}{evaluation.form.year}年度绩效自评报告"
    assert properties.author == evaluation.form.implementing_unit
    assert Pt(22) == Document(str(path)).styles["报告标题"].font.size
