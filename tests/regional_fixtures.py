"""Other regions' forms as their clerks' files hold them, built cell by cell with XlsxWriter — never
from our layout files, so the reader is tested against what a region's system and WPS write.

- langfang_2019: 河北 廊坊市食品工程学校 2019 (CN-A), from ../shared/regions/cn-a-langfang-2019.txt.
  The transcription stops before the 总分 row; the rows after 满意度指标's first (its placeholders and
  the 总分 row) are ours, consistent with what it prints.
- qingshen_2023: 四川 青神县发展和改革局 2023 (SC-2023), from sc-2023-qingshen-2023.txt: the system's
  export before the clerk filled it (完成值 and 得分 empty, instructions still in cells).
- filled_sc_2023 / filled_sc_xj / filled_cn_a: filled forms of our own, one per new layout, for the
  round trips.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

EMPTY = None

# -- 廊坊 2019 (CN-A) --------------------------------------------------------------------------------

LANGFANG_INDICATORS: list[tuple[str, str, str, Any, Any, Any, Any, Any]] = [
    # 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因 (∅ = None)
    ("产出指标", "数量指标", "指标1工程资金金额", 43.2, 37.24, 10, 9,
     "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。"),
    ("产出指标", "数量指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("产出指标", "数量指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("产出指标", "质量指标", "指标1工程完工率", 100, 100, 10, 10, EMPTY),
    ("产出指标", "质量指标", "指标2工程验收合格率", 100, 100, 10, 10, EMPTY),
    ("产出指标", "质量指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("产出指标", "时效指标", "指标1项目完成及时率", 100, 100, 10, 10, EMPTY),
    ("产出指标", "时效指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("产出指标", "时效指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("产出指标", "成本指标", "指标1成本控制率", 100, 100, 10, 10, EMPTY),
    ("产出指标", "成本指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("产出指标", "成本指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "经济效益指标", "指标1安全率", 100, 100, 10, 10, 0),
    ("效益指标", "经济效益指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "经济效益指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "社会效益指标", "指标1学校发展能力", 100, 100, 10, 10, 0),
    ("效益指标", "社会效益指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "社会效益指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "生态效益指标", "指标1", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "生态效益指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "生态效益指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "可持续影响指标", "指标1长期使用性", 100, 100, 10, 10, EMPTY),
    ("效益指标", "可持续影响指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("效益指标", "可持续影响指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("满意度指标", "服务对象满意度指标", "指标1学生满意度", 100, 100, 10, 10, 0),
    # The transcription ends here; the rest is ours.
    ("满意度指标", "服务对象满意度指标", "指标2", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
    ("满意度指标", "服务对象满意度指标", "……", EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
]
# Real indicators: 9 of 10 分值 each = 90 (产出 50, 效益 30, 满意度 10), 得分 89; funds 10 and 8.62 →
# 总分 100 and 97.62.
LANGFANG_TOTAL = (100, 97.62)
FUNDS_HEADINGS = ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")  # CN-A, B to H


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter", "text_wrap": True}
    return {
        "c": book.add_format({**border, "align": "center"}),
        "l": book.add_format({**border, "align": "left"}),
        "title": book.add_format({"bold": True, "align": "center", "font_size": 16}),
        "pct": book.add_format({**border, "align": "center", "num_format": "0%"}),
        "pct2": book.add_format({**border, "align": "center", "num_format": "0.00%"}),
        "two": book.add_format({**border, "align": "center", "num_format": "0.00"}),
    }


def _write(sheet: Any, ref: str, value: Any, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(ref, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(ref, value, fmt)
    else:
        sheet.write_number(ref, value, fmt)


def langfang_2019(path: Path, *, rate_as_number: bool = False) -> Path:
    """廊坊 2019 as published. 执行率 is the text "86%" (or, with `rate_as_number`, 0.862 formatted "0%"),
    the funds 得分 the 9 it prints for 8.62."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目支出绩效自评表")
    f = _formats(book)
    sheet.merge_range("A1:H1", "项目支出绩效自评表", f["title"])
    sheet.merge_range("A2:H2", "(2019年度)", f["c"])
    sheet.write("A3", "项目名称", f["c"])
    sheet.merge_range("B3:H3", "办公宿舍楼、食堂及餐厅暖通改造经费", f["l"])
    sheet.write("A4", "主管部门", f["c"])
    sheet.merge_range("B4:D4", "廊坊市发改委", f["c"])
    sheet.write("E4", "实施单位", f["c"])
    sheet.merge_range("F4:H4", "廊坊市食品工程学校", f["c"])
    sheet.merge_range("A5:A9", "项目资金(万元)", f["c"])
    for col, text in zip("BCDEFGH", FUNDS_HEADINGS, strict=True):
        _write(sheet, f"{col}5", text or None, f["c"])
    rows = [("年度资金总额", 43.2, 43.2, 37.24), ("其中:当年财政拨款", 43.2, 43.2, 37.24),
            ("上年结转资金", None, None, None), ("其他资金", None, None, None)]
    for i, (label, initial, annual, executed) in enumerate(rows):
        r = 6 + i
        _write(sheet, f"B{r}", label, f["c"])
        for col, value in zip("CDE", (initial, annual, executed), strict=True):
            _write(sheet, f"{col}{r}", value, f["c"])
        for col in "FGH":
            _write(sheet, f"{col}{r}", None, f["c"])
    _write(sheet, "F6", 10, f["c"])
    if rate_as_number:
        _write(sheet, "G6", 0.862, f["pct"])
    else:
        _write(sheet, "G6", "86%", f["c"])
    _write(sheet, "H6", 9, f["c"])
    sheet.merge_range("A10:A11", "年度总体目标", f["c"])
    sheet.merge_range("B10:E10", "预期目标", f["c"])
    sheet.merge_range("F10:H10", "实际完成情况", f["c"])
    sheet.merge_range("B11:E11", "43.2", f["l"])  # the clerk typed amounts into the goal cells
    sheet.merge_range("F11:H11", "37.24", f["l"])
    for col, text in zip("ABCDEFGH", ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                      "偏差原因分析及改进措施"), strict=True):
        _write(sheet, f"{col}12", text, f["c"])
    first = 13
    for i, row in enumerate(LANGFANG_INDICATORS):
        r = first + i
        for col, value in zip("BCDEFGH", row[1:], strict=True):
            _write(sheet, f"{col}{r}", value, f["l"] if col in "CH" else f["c"])
    start = 0
    for i in range(1, len(LANGFANG_INDICATORS) + 1):
        if i == len(LANGFANG_INDICATORS) or LANGFANG_INDICATORS[i][0] != LANGFANG_INDICATORS[start][0]:
            sheet.merge_range(f"A{first + start}:A{first + i - 1}", LANGFANG_INDICATORS[start][0], f["c"])
            start = i
    total = first + len(LANGFANG_INDICATORS)
    sheet.merge_range(f"A{total}:E{total}", "总分", f["c"])
    _write(sheet, f"F{total}", LANGFANG_TOTAL[0], f["c"])
    _write(sheet, f"G{total}", LANGFANG_TOTAL[1], f["two"])
    _write(sheet, f"H{total}", None, f["c"])
    book.close()
    return path


# -- 青神 2023 (SC-2023), the system's export before the clerk filled it ------------------------------

QINGSHEN_CODE = "51000021R000000019951"
QINGSHEN_GOAL = "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。"
GOAL_INSTRUCTION = "对照年度目标,说明相关任务目标的完成情况(100字以内)"
FUNDS_INSTRUCTION = ("1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
                     "2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.")
TEXT_INSTRUCTIONS = {
    "评价结论": "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)",
    "存在问题": "结合自评情况,分析存在的问题及原因。(200字以内)",
    "改进措施": "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)",
}
# 一级, 二级, 三级, 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析
QINGSHEN_INDICATORS: list[tuple[Any, ...]] = [
    ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", EMPTY, 60, EMPTY, EMPTY),
    ("效益指标", "社会效益指标", "足额保障率(参保率)", "=", 100, "%", EMPTY, 30, EMPTY, EMPTY),
]
QINGSHEN_FUNDS: list[tuple[Any, ...]] = [
    # label, 年初预算, 调整后预算数, 预算执行数, 预算执行率 (as printed)
    ("总额", 238.93, 251.89, 251.89, "100.00%"),
    ("其中:财政资金", 238.93, 251.89, 251.89, "100.00%"),
    ("财政专户管理资金", 0, 0, 0, "0.00%"),
    ("单位资金", 0, 0, 0, "0.00%"),
    ("其他资金", EMPTY, EMPTY, EMPTY, EMPTY),
]


def sc_2023(path: Path, *, code: str = QINGSHEN_CODE, name: str = "工资性支出", year: int = 2023,
            supervisor: str = "青神县发展和改革局本级", unit: str = "青神县发展和改革局",
            goal: str = QINGSHEN_GOAL, goal_actual: str = GOAL_INSTRUCTION, process: Any = EMPTY,
            funds: list[tuple[Any, ...]] | None = None, funds_score: Any = EMPTY, funds_reason: str = FUNDS_INSTRUCTION,
            indicators: list[tuple[Any, ...]] | None = None, totals: tuple[Any, Any] = (100, EMPTY),
            texts: dict[str, str] | None = None, leads: tuple[Any, Any] = (EMPTY, EMPTY)) -> Path:
    """A SC-2023 sheet as 四川's 一体化 system exports it: 青神 2023 by default (the blank export), or a
    filled one with the values given. Rates are text ("100.00%") as the export prints them."""
    funds = QINGSHEN_FUNDS if funds is None else funds
    indicators = QINGSHEN_INDICATORS if indicators is None else indicators
    texts = TEXT_INSTRUCTIONS if texts is None else texts
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("部门预算项目支出绩效自评表")
    f = _formats(book)
    sheet.merge_range("A1:K1", "报表编号:510000_0013zp", f["l"])
    sheet.merge_range("A2:K2", f"部门预算项目支出绩效自评表({year}年度)", f["title"])
    sheet.write("A3", "项目名称", f["c"])
    sheet.merge_range("B3:K3", f"{code}-{name}", f["l"])
    sheet.write("A4", "主管部门", f["c"])
    sheet.merge_range("B4:K4", supervisor, f["l"])
    sheet.write("A5", "实施单位 (盖章)", f["c"])
    sheet.merge_range("B5:K5", unit, f["l"])
    sheet.merge_range("A6:A8", "项目基本情况", f["c"])
    sheet.merge_range("B6:B7", "1.项目年度目标完成情况", f["c"])
    sheet.merge_range("C6:F6", "项目年度目标", f["c"])
    sheet.merge_range("G6:K6", "年度目标完成情况", f["c"])
    sheet.merge_range("C7:F7", goal, f["l"])
    sheet.merge_range("G7:K7", goal_actual, f["l"])
    sheet.write("B8", "2.项目实施内容及过程概述", f["c"])
    sheet.merge_range("C8:K8", process or "", f["l"])
    sheet.merge_range("A9:A14", "预算执行情况(10分)", f["c"])
    for col, text in zip("BCDEFGH", ("年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重",
                                     "得分"), strict=True):
        sheet.write(f"{col}9", text, f["c"])
    sheet.merge_range("I9:K9", "原因", f["c"])
    for i, (label, initial, adjusted, executed, rate) in enumerate(funds):
        r = 10 + i
        _write(sheet, f"B{r}", label, f["c"])
        for col, value in zip("CDEF", (initial, adjusted, executed, rate), strict=True):
            _write(sheet, f"{col}{r}", value, f["two"] if col != "F" else f["c"])
        _write(sheet, f"G{r}", 10 if i == 0 else "/", f["c"])
        _write(sheet, f"H{r}", funds_score if i == 0 else "/", f["two"])
    sheet.merge_range(f"I10:K{9 + len(funds)}", funds_reason, f["l"])
    header = 9 + len(funds) + 1
    sheet.merge_range(f"A{header}:A{header + len(indicators)}", "绩效指标(90分)", f["c"])
    for col, text in zip("BCDEFGHIJK", ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值",
                                        "权重", "得分", "未完成原因分析"), strict=True):
        sheet.write(f"{col}{header}", text, f["c"])
    for i, row in enumerate(indicators):
        for col, value in zip("BCDEFGHIJK", row, strict=True):
            _write(sheet, f"{col}{header + 1 + i}", value, f["l"] if col in "DK" else f["c"])
    total = header + 1 + len(indicators)
    sheet.merge_range(f"A{total}:H{total}", "合计", f["c"])
    _write(sheet, f"I{total}", totals[0], f["c"])
    _write(sheet, f"J{total}", totals[1], f["c"])
    _write(sheet, f"K{total}", EMPTY, f["c"])
    for i, (label, text) in enumerate(texts.items()):
        sheet.write(f"A{total + 1 + i}", label, f["c"])
        sheet.merge_range(f"B{total + 1 + i}:K{total + 1 + i}", text, f["l"])
    last = total + 1 + len(texts)
    sheet.write(f"A{last}", "项目负责人:", f["c"])
    sheet.merge_range(f"B{last}:E{last}", leads[0] or "", f["c"])
    sheet.merge_range(f"F{last}:G{last}", "财务负责人:", f["c"])
    sheet.merge_range(f"H{last}:K{last}", leads[1] or "", f["c"])
    book.close()
    return path


def filled_sc_2023(path: Path, *, executed: float = 240.5, reason: str = "") -> Path:
    """A SC-2023 form the clerk filled: 指标性质 comparators, weights with decimals, the text parts,
    the 负责人 lines. With the default `executed`, 执行率 is 240.5 / 251.89 = 95.48%."""
    rate = f"{executed / 251.89 * 100:.2f}%"
    return sc_2023(
        path, code="51000021R000000020017", name="农村公路养护补助", unit="青神县交通运输局",
        supervisor="青神县交通运输局", goal="完成县乡道养护120公里，优良路率不低于80%。",
        goal_actual="完成县乡道养护126公里，优良路率82.5%。", process="全年分四批实施养护，按季度验收拨付。",
        funds=[("总额", 238.93, 251.89, executed, rate), ("其中:财政资金", 238.93, 251.89, executed, rate),
               ("财政专户管理资金", 0, 0, 0, "0.00%"), ("单位资金", 0, 0, 0, "0.00%"),
               ("其他资金", EMPTY, EMPTY, EMPTY, EMPTY)],
        funds_score=round(10 * executed / 251.89, 2), funds_reason=reason,
        indicators=[
            ("产出指标", "数量指标", "县乡道养护里程", "≥", 120, "公里", "126公里", 22.5, 22.5, EMPTY),
            ("产出指标", "质量指标", "优良路率", "≥", 80, "%", "82.5%", 22.5, 22.5, EMPTY),
            ("效益指标", "社会效益指标", "群众出行条件", "定性", "明显改善", EMPTY, "明显改善", 30, 30, EMPTY),
            ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥", 90, "%", "85%", 15, 14.17,
             "部分路段施工期间通行不便，下年度错峰施工"),
        ],
        totals=(100, round(89.17 + 10 * executed / 251.89, 2)),
        texts={"评价结论": "项目自评得分98.72分，养护任务全面完成。", "存在问题": "个别路段施工影响通行。",
               "改进措施": "优化施工组织，错峰作业。"},
        leads=("王明 0833-1234567", "李华"))


def filled_sc_xj(path: Path) -> Path:
    """A 四川 衔接资金 绩效目标自评表 (SC-XJ), filled: no 年初 column, 分值 before 年度指标值, an actual
    that repeats the comparator (“≥266米”), group weights in the 一级 cell."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("绩效目标自评表")
    f = _formats(book)
    sheet.merge_range("A1:H1", "绩效目标自评表", f["title"])
    sheet.merge_range("A2:H2", "(2022年度)", f["c"])
    sheet.write("A3", "项目名称", f["c"])
    sheet.merge_range("B3:H3", "中江县某村产业路建设项目", f["l"])
    sheet.write("A4", "项目负责人及电话", f["c"])
    sheet.merge_range("B4:H4", "张强 13800000000", f["l"])
    sheet.write("A5", "主管部门", f["c"])
    sheet.merge_range("B5:D5", "中江县农业农村局", f["c"])
    sheet.write("E5", "实施单位", f["c"])
    sheet.merge_range("F5:H5", "中江县某镇人民政府", f["c"])
    sheet.merge_range("A6:A9", "资金情况(万元)", f["c"])
    for col, text in zip("BCDEF", ("", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)"), strict=True):
        _write(sheet, f"{col}6", text or None, f["c"])
    sheet.merge_range("G6:H6", "得分", f["c"])
    _write(sheet, "B7", "年度资金总额:", f["c"])
    _write(sheet, "C7", 50, f["c"])
    _write(sheet, "D7", 48.6, f["c"])
    _write(sheet, "E7", 10, f["c"])
    _write(sheet, "F7", 0.972, f["pct2"])
    sheet.merge_range("G7:H7", 9.72, f["c"])
    for r, (label, annual, executed) in ((8, ("其中:本年财政拨款", 50, 48.6)), (9, ("其他资金", 0, 0))):
        _write(sheet, f"B{r}", label, f["c"])
        _write(sheet, f"C{r}", annual, f["c"])
        _write(sheet, f"D{r}", executed, f["c"])
        for col in "EF":
            _write(sheet, f"{col}{r}", None, f["c"])
        sheet.merge_range(f"G{r}:H{r}", None, f["c"])
    sheet.merge_range("A10:A11", "年度总体目标", f["c"])
    sheet.merge_range("B10:D10", "年初设定目标", f["c"])
    sheet.merge_range("E10:H10", "年度总体目标完成情况综述", f["c"])
    sheet.merge_range("B11:D11", "新建产业路266米，带动脱贫户增收。", f["l"])
    sheet.merge_range("E11:H11", "建成产业路268米，已投入使用。", f["l"])
    for col, text in zip("ABCDEFGH", ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                                      "未完成原因及拟采取的改进措施"), strict=True):
        _write(sheet, f"{col}12", text, f["c"])
    rows = [
        ("数量指标", "新建产业路长度", 20, "≥266米", "≥266米", 20),
        ("质量指标", "验收合格率", 20, "100%", "100%", 20),
        ("时效指标", "完工时间", 15, "2022年12月底前", "按期完成", 15),
        ("成本指标", "每米造价", 5, "≤1800元", "1790元", 5),
        ("社会效益指标", "受益脱贫人口", 20, "≥50人", "52人", 20),
        ("服务对象满意度指标", "受益群众满意度", 10, "≥90%", "95%", 10),
    ]
    for i, (level2, level3, points, target, actual, score) in enumerate(rows):
        r = 13 + i
        for col, value in zip("BCDEFG", (level2, level3, points, target, actual, score), strict=True):
            _write(sheet, f"{col}{r}", value, f["l"] if col == "C" else f["c"])
        _write(sheet, f"H{r}", None, f["l"])
    sheet.merge_range("A13:A16", "产出指标(60分)", f["c"])
    _write(sheet, "A17", "效益指标(20分)", f["c"])
    _write(sheet, "A18", "满意度指标(10分)", f["c"])
    sheet.merge_range("A19:C19", "总分", f["c"])
    _write(sheet, "D19", 100, f["c"])
    sheet.merge_range("E19:F19", None, f["c"])
    _write(sheet, "G19", 99.72, f["c"])
    _write(sheet, "H19", None, f["c"])
    sheet.merge_range("A20:H20", "注：1.产出指标50分，效益指标30分，满意度指标10分，预算执行率10分。"
                      "2.定性指标分三档。", f["l"])
    book.close()
    return path


def filled_cn_a(path: Path, *, name: str = "农村饮水安全巩固提升工程", unit: str = "219001-贵池区水利局") -> Path:
    """A CN-A form as 安徽 prints it: units as "219-名称", 其中:本年财政拨款, group weights in the 一级
    cell ("产出指标(50分)"), 执行率 "100.00%"."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("自评表")
    f = _formats(book)
    sheet.merge_range("A1:H1", "项目支出绩效自评表", f["title"])
    sheet.merge_range("A2:H2", "(2022年度)", f["c"])
    sheet.write("A3", "项目名称", f["c"])
    sheet.merge_range("B3:H3", name, f["l"])
    sheet.write("A4", "主管部门", f["c"])
    sheet.merge_range("B4:D4", "219-贵池区水利局", f["c"])
    sheet.write("E4", "实施单位", f["c"])
    sheet.merge_range("F4:H4", unit, f["c"])
    sheet.merge_range("A5:A9", "项目资金(万元)", f["c"])
    for col, text in zip("BCDEFGH", FUNDS_HEADINGS, strict=True):
        _write(sheet, f"{col}5", text or None, f["c"])
    funds = [("年度资金总额", 120, 135.5, 135.5), ("其中:本年财政拨款", 120, 130, 130), ("上年结转资金", 0, 5.5, 5.5),
             ("其他资金", 0, 0, 0)]
    for i, (label, initial, annual, executed) in enumerate(funds):
        r = 6 + i
        for col, value in zip("BCDE", (label, initial, annual, executed), strict=True):
            _write(sheet, f"{col}{r}", value, f["c"])
        for col in "FGH":
            _write(sheet, f"{col}{r}", None, f["c"])
    _write(sheet, "F6", 10, f["c"])
    _write(sheet, "G6", "100.00%", f["c"])
    _write(sheet, "H6", 10, f["c"])
    sheet.merge_range("A10:A11", "年度总体目标", f["c"])
    sheet.merge_range("B10:E10", "预期目标", f["c"])
    sheet.merge_range("F10:H10", "实际完成情况", f["c"])
    sheet.merge_range("B11:E11", "巩固提升12个村的饮水安全，受益人口1.2万人。", f["l"])
    sheet.merge_range("F11:H11", "完成12个村改造，受益人口1.25万人。", f["l"])
    for col, text in zip("ABCDEFGH", ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                      "偏差原因分析及改进措施"), strict=True):
        _write(sheet, f"{col}12", text, f["c"])
    rows = [
        ("数量指标", "改造村数", "12个", "12个", 20, 20, None),
        ("质量指标", "水质达标率", "≥95%", "96%", 15, 15, None),
        ("时效指标", "完工及时率", "100%", "100%", 15, 15, None),
        ("社会效益指标", "受益人口", "≥1.2万人", "1.25万人", 30, 30, None),
        ("服务对象满意度指标", "群众满意度", "≥90%", "88%", 10, 9.78, "个别村水压不足，已安排加压设备"),
    ]
    for i, row in enumerate(rows):
        r = 13 + i
        for col, value in zip("BCDEFGH", row, strict=True):
            _write(sheet, f"{col}{r}", value, f["l"] if col in "CH" else f["c"])
    sheet.merge_range("A13:A15", "产出指标(50分)", f["c"])
    _write(sheet, "A16", "效益指标(30分)", f["c"])
    _write(sheet, "A17", "满意度指标(10分)", f["c"])
    sheet.merge_range("A18:E18", "总分", f["c"])
    _write(sheet, "F18", 100, f["c"])
    _write(sheet, "G18", 99.78, f["c"])
    _write(sheet, "H18", None, f["c"])
    book.close()
    return path
