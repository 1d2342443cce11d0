"""The 自评报告's wording file: what it may say, how absent facts and gaps read, and which file a form
gets (the unit's own beside the database, an explicit one, or the shipped one)."""

from __future__ import annotations

import dataclasses

import pytest

from core.self_report.facts import report_facts
from core.self_report.outline import HEADING2, PARAGRAPH, outline
from core.self_report.template import (
    SHIPPED_FOLDER,
    TemplateError,
    choose_template,
    load_template,
    parse_template,
    shipped_templates,
    unit_folder,
)
from tests.report_support import SAMPLES, evaluation_of, shenzhen_template

SHIPPED = (SHIPPED_FOLDER / "shenzhen.toml").read_text(encoding="utf-8")


def reworded(old: str, new: str) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


def test_the_shipped_templates_cover_every_shipped_layout():
    shenzhen, central = shenzhen_template(), next(t for t in shipped_templates() if "CN-A" in t.layouts)
    sichuan = next(t for t in shipped_templates() if "SC-2023" in t.layouts)
    assert shenzhen.layouts == ("A", "B") and central.layouts == ("CN-A", "SC-XJ") and sichuan.layouts == ("SC-2023",)
    for layout in ("A", "B"):
        assert choose_template(layout).template is shenzhen
    for layout in ("CN-A", "SC-XJ"):
        assert choose_template(layout).template is central
    assert choose_template("SC-2023").template is sichuan


@pytest.mark.parametrize("old, new, message", [
    ('title = "{name}\\n{year}年度绩效自评报告"', 'title = "{name}2024年度绩效自评报告"', "数字“2”"),
    ('title = "{name}\\n{year}年度绩效自评报告"', 'title = "{name}２０２４年度"', "数字“2”"),
    ('heading = "一、项目基本情况"', 'heading = "1. 项目基本情况"', "数字“1”"),
    ('title = "{name}\\n{year}年度绩效自评报告"', 'title = "{name}{yaer}年度绩效自评报告"',
     "{yaer} 不是这里可用的字段"),
    ('group = "{group}得分{score}分（{points_word}{points}分）。"', 'group = "{group}得分{reason}分。"',
     "conclusion.group：{reason} 不是这里可用的字段"),
    ('summary = [', 'summary = ["[?主管部门为{supervisor}", ', "“[?”没有对应的“]”"),
    ('summary = [', 'summary = ["[?主管[?部门]为{supervisor}]", ', "不能嵌套"),
    ('heading = "六、其他需说明的问题"', 'headline = "六、其他需说明的问题"', "缺少 other.heading"),
    ('\n[signature]', '\n[signature]\nstamp = "（盖章）"', "signature.stamp 不是自评报告模板的已知项"),
    ('layouts = ["A", "B"]', 'layouts = "A"', "layouts 应为版式列表"),
    ('status_column = "完成情况"', 'status_column = ["完成", "情况"]', "indicators.status_column 应为文字"),
    ('\n[gaps]\n', '\n[gaps]\nmoney = "钱"\n', "gaps.money 不是可用的字段"),
    ('\n[gaps]\n', '\n[gaps]\nstatus = "第3项"\n', "数字“3”"),
    ('name = ', 'name = = ', "格式错误"),
])
def test_a_template_that_cannot_be_used_is_refused_naming_the_key(old, new, message):
    with pytest.raises(TemplateError) as caught:
        parse_template(reworded(old, new))
    assert message in str(caught.value)


def test_an_optional_part_is_left_out_when_its_fact_is_absent_or_empty_and_shown_when_present():
    evaluation = evaluation_of(SAMPLES[0])  # layout A: no 单位编码, no 主管部门
    facts = report_facts(evaluation)
    assert facts.unit_code is None and facts.supervisor is None and facts.funds_reason is None
    template = shenzhen_template()
    units = template.paragraphs("basic.units", facts.values())
    assert units == ["本项目由深圳市罗湖区政务服务数据管理局（本级）负责实施，"
                     "一级预算单位为深圳市罗湖区政务服务数据管理局（本级）。"]
    with_supervisor = dataclasses.replace(facts, supervisor="深圳市罗湖区人民政府", unit_code="")
    units = template.paragraphs("basic.units", with_supervisor.values())
    assert units == [("本项目由深圳市罗湖区政务服务数据管理局（本级）负责实施，"
                      "一级预算单位为深圳市罗湖区政务服务数据管理局（本级），"
                      "主管部门为深圳市罗湖区人民政府。")]


def test_a_required_fact_left_empty_becomes_a_marked_gap_in_the_templates_words():
    facts = report_facts(evaluation_of(SAMPLES[0]))
    template = shenzhen_template()
    assert template.paragraphs("basic.overview", facts.values())[1] == "【请补充：项目立项依据、主要内容及实施过程】"
    unnamed = dataclasses.replace(facts, implementing_unit=" ")
    assert template.text("signature.unit", unnamed.values()) == "【请补充：实施单位】"  # the default wording


def test_text_parts_a_layout_will_have_replace_their_gaps():
    facts = dataclasses.replace(report_facts(evaluation_of(SAMPLES[1])), process="项目于年初启动。",
                                conclusion="项目总体完成年度目标。", problems="个别指标设置偏低。",
                                improvements="下一年度据实设定指标。", funds_reason="部分合同尾款跨年支付。")
    blocks = outline(facts, shenzhen_template())
    texts = [b.text for b in blocks if b.kind == PARAGRAPH]
    for part in ("项目于年初启动。", "项目总体完成年度目标。", "存在的问题：个别指标设置偏低。",
                 "改进措施：下一年度据实设定指标。"):
        assert part in texts
    assert any(t.endswith("原因分析及改进措施：部分合同尾款跨年支付。") for t in texts)
    assert not any("项目立项依据" in t or "总体评价" in t or "预算未全部执行" in t for t in texts)


def test_headings_count_with_chinese_numerals():
    facts = report_facts(evaluation_of(SAMPLES[1]))
    headings = [b.text for b in outline(facts, shenzhen_template()) if b.kind == HEADING2]
    assert [h for h in headings if h.endswith("完成情况") and "指标" in h] == [
        "（二）产出指标完成情况", "（三）效益指标完成情况", "（四）满意度指标完成情况"]


def test_a_units_own_template_beside_the_database_is_chosen_for_its_layouts(tmp_path):
    db = tmp_path / "forms.sqlite3"
    folder = unit_folder(db)
    assert folder is not None
    folder.mkdir()
    (folder / "luohu.toml").write_text(reworded('layouts = ["A", "B"]', 'layouts = ["A"]').replace(
        "年度绩效自评报告", "年度项目支出绩效自评报告"), encoding="utf-8")
    chosen = choose_template("A", folder)
    assert chosen.template is not None
    assert chosen.problems == () and chosen.template.source == str(folder / "luohu.toml")
    assert "项目支出绩效自评报告" in chosen.template.text("title", {"name": "某项目", "year": "2024"})
    assert choose_template("B", folder).template is shenzhen_template()


def test_a_broken_units_template_is_reported_and_the_shipped_one_used(tmp_path):
    (tmp_path / "broken.toml").write_text(reworded('heading = "五、自评结论"', 'heading = "5、自评结论"'),
                                          encoding="utf-8")
    chosen = choose_template("A", tmp_path)
    assert chosen.template is shenzhen_template()
    (problem,) = chosen.problems
    assert "broken.toml" in problem and "conclusion.heading" in problem and "数字“5”" in problem


def test_an_explicit_template_wins_and_a_missing_one_is_reported(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(reworded('layouts = ["A", "B"]', 'layouts = ["B"]'), encoding="utf-8")
    explicit = choose_template("A", None, mine).template
    assert explicit is not None and explicit.source == str(mine)
    chosen = choose_template("A", None, tmp_path / "missing.toml")
    assert chosen.template is shenzhen_template()
    assert "missing.toml" in chosen.problems[0] and "无法读取" in chosen.problems[0]


def test_no_template_for_an_unknown_layout_is_said_not_raised():
    chosen = choose_template("HB-2020")
    assert chosen.template is None and "HB-2020" in chosen.problems[-1]


def test_a_template_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(SHIPPED.encode("gbk"))
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert "gbk.toml" in str(caught.value) and "UTF-8" in str(caught.value)


def test_a_fund_row_the_form_leaves_blank_is_left_out_not_asked_for(tmp_path):
    """四川's 其他资金 row may stay blank (no such funds): the draft says nothing of it instead of
    asking the clerk to 【请补充：全年预算数】 (a clerk's walk); a row with figures is told."""
    from core.self_report.template import choose_template
    from tests.regional_fixtures import filled_sc_2023

    facts = report_facts(evaluation_of(filled_sc_2023(tmp_path / "青神.xlsx")))
    assert [row.source for row in facts.fund_rows if not row.annual_budget] == ["其他资金"]
    template = choose_template("SC-2023").template
    assert template is not None
    texts = [b.text for b in outline(facts, template) if b.kind == PARAGRAPH]
    assert not any(t.startswith("其他资金") for t in texts)
    amount_gaps = ("【请补充：调整后预算数】", "【请补充：预算执行数】", "【请补充：年初预算数】")
    assert not any(gap in t for t in texts for gap in amount_gaps)
    # in the sheet's own words
    assert "财政资金：年初预算数238.93万元，调整后预算数251.89万元，预算执行数240.50万元。" in texts
