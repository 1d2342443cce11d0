"""The two real seed forms (../shared/seed, Shenzhen Luohu 2024) and a builder that writes them as
xlsx in the official arrangement with plain openpyxl — deliberately not with our own writer, so the
reader is tested against files it did not produce.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

# The seeds' values as the official sheets print them (texts, numbers as text, row tuples).
SEED_A: dict[str, Any] = {
    "layout": "A",
    "code": "440303241553147100001",
    "name": "罗湖区新开办企业“免费刻章”项目",
    "year": "2024",
    "implementing_unit": "深圳市罗湖区政务服务数据管理局（本级）",
    "budget_unit": "深圳市罗湖区政务服务数据管理局（本级）",
    "fund_rows": [("年度资金总额", "4560000.00", "4560000.00", "4481566.00")],
    "funds_points": 10,
    "rate": "98.2800",
    "funds_score": "9.83",
    "goal_expected": ("更好推动优化营商环境工作各项要求落实到位，保障“免费刻章”服务和“开办企业一窗通”"
                      "过渡期一窗出服务的连续性，持续推动“一门式一网式”政务服务模式改革。"),
    "goal_actual": ("2024年度，深圳市罗湖区政务服务数据管理局（本级）保障“免费刻章”服务和“开办企业一窗通”"
                    "过渡期一窗出服务的连续性，全年免费刻章15534个，免费刻章费用支付准确率、"
                    "免费刻章费用支付及时率达100%，支出进度达标率达98.28%，有效提升新开办企业获得感，"
                    "企业满意度达99.99%。"),
    # level1 label, level2, level3, target, actual, points, score
    "indicators": [
        ("产出指标 (50分)", "数量指标", "免费刻章数量", "≥12000个", "15534个", 15, 15),
        ("产出指标 (50分)", "质量指标", "免费刻章费用支付准确率", "100%", "100%", 15, 15),
        ("产出指标 (50分)", "时效指标", "免费刻章费用支付及时率", "100%", "100%", 10, 10),
        ("产出指标 (50分)", "成本指标", "支出进度达标率", "≥95%", "98.28%", 10, 10),
        ("效益指标 (30分)", "经济效益指标", "无", "无", "不适用", 0, 0),
        ("效益指标 (30分)", "社会效益指标", "提高开办企业获得感", "有所提升", "100%", 30, 30),
        ("效益指标 (30分)", "生态效益指标", "无", "无", "不适用", 0, 0),
        ("效益指标 (30分)", "可持续影响指标", "无", "无", "不适用", 0, 0),
        ("满意度指标 (10分)", "服务对象满意度指标", "企业对免费刻章服务的满意度", "≥95%", "99.99%", 10, 10),
        ("满意度指标 (10分)", "其他满意度指标", "无", "无", "不适用", 0, 0),
    ],
    "total_points": "100.00",
    "total_score": "99.83",
}

SEED_B: dict[str, Any] = {
    "layout": "B",
    "code": "440303241553147400008",
    "name": "大数据服务经费",
    "year": "2024",
    "implementing_unit": "深圳市罗湖区智慧城市建设中心",
    "budget_unit": "深圳市罗湖区政务服务和数据管理局（本级）",
    "unit_code": "155002",
    "fund_rows": [
        ("年度资金总额", "4590000.00", "5045000.00", "4658260.00"),
        ("其中：当年财政拨款", "4590000.00", "5045000.00", "4658260.00"),
        ("上年结转资金", "0.00", "0.00", "0.00"),
        ("其他资金", "0.00", "0.00", "0.00"),
    ],
    "funds_points": 10,
    "rate": "92.33",
    "funds_score": "9.23",
    "goal_expected": ("1.建设罗湖区大数据运营能力提升项目，完善人口数据和企业数据建设，提升数据基础运营能力，"
                      "强化数据安全保障能力。 2.建设罗湖区智能合同体检服务项目，构建罗湖区合同条款大数据库，"
                      "进一步规范政府合同管理程序，提高工作及监管效能。 3.建设罗湖区财政投资评审中心业务管理系统"
                      "二期项目。 4.建设罗湖区民生诉求智慧管理平台系统对接与妇儿维权模块建设项目。"),
    "goal_actual": ("已完善人口数据何企业数据建设；构建区级合同条款大数据库；建设投资评审二期项目；"
                    "完成妇儿维权模块对接；"),
    # level1 label, level2, level3, target, unit, actual, weight, score
    "indicators": [
        ("产出指标 (50分)", "数量指标", "归集市政务信息资源共享平台数据", "≥120项", "", "120", 7, 7),
        ("产出指标 (50分)", "数量指标", "电子合同签约服务的签约主体机构的数量", "≥200", "", "200", 7, 7),
        ("产出指标 (50分)", "数量指标", "运维服务人员", "≥1人", "", "2", 7, 7),
        ("产出指标 (50分)", "数量指标", "新增发布数据服务", "≥100个", "", "100", 7, 7),
        ("产出指标 (50分)", "质量指标", "项目实施是否满足严格按《ISO9001质量管理体系》执行", "满足", "", "满足", 7, 7),
        ("产出指标 (50分)", "时效指标", "系统运行维护响应时间", "≤2小时。", "", "≤2小时。", 7, 7),
        ("产出指标 (50分)", "成本指标", "是否满足开展概算编制服务", "满足", "", "满足", 8, 8),
        ("效益指标 (30分)", "经济效益指标", "", "", "", "不适用", 8, 8),
        ("效益指标 (30分)", "社会效益指标", "不适用", "不适用", "", "不适用", 8, 8),
        ("效益指标 (30分)", "生态效益指标", "", "", "", "不适用", 8, 8),
        ("效益指标 (30分)", "可持续影响指标", "", "", "", "不适用", 6, 6),
        ("满意度指标 (10分)", "服务对象满意度指标", "", "", "", "满意", 5, 5),
        ("满意度指标 (10分)", "其他满意度指标", "", "", "", "满意", 5, 5),
    ],
    "total_points": "100",
    "total_score": "99.23",
}

NOTE = ("作为导入模板，置灰信息无需录入且不可修改。置灰部分如强制修改导入系统，数据有出入请自行负责；"
        "作为导出模板，置灰信息系统")


def _merge_groups(ws, first_row: int, labels: list[str]) -> None:
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if i - start > 1:
                ws.merge_cells(start_row=first_row + start, start_column=2, end_row=first_row + i - 1, end_column=2)
            start = i


def write_seed_a(ws, seed=SEED_A, amounts_as_text: bool = False, merged: bool = True) -> None:
    def amount(text):
        return text if amounts_as_text else float(text)

    ws["A1"] = "项目支出绩效自评表"
    ws["A2"], ws["B2"], ws["D2"], ws["E2"], ws["F2"], ws["G2"] = (
        "项目编码：", seed["code"], "项目名称：", seed["name"], "绩效自评年度：", int(seed["year"]))
    ws["A3"], ws["B3"], ws["D3"], ws["E3"] = ("实施单位：", seed["implementing_unit"], "一级预算单位：",
                                              seed["budget_unit"])
    ws["A4"] = "资金使用情况"
    for col, text in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率（%）", "得分"),
                         strict=True):
        ws[f"{col}5"] = text
    label, initial, annual, executed = seed["fund_rows"][0]
    ws["A6"], ws["B6"] = "项目资金（元）", label
    ws["C6"], ws["D6"], ws["E6"] = amount(initial), amount(annual), amount(executed)
    ws["F6"], ws["G6"], ws["H6"] = seed["funds_points"], float(seed["rate"]), float(seed["funds_score"])
    ws["A7"] = "项目目标完成情况"
    ws["A8"], ws["B8"], ws["F8"] = "年度总体目标", "预期目标", "* 实际完成情况"
    ws["B9"], ws["F9"] = seed["goal_expected"], seed["goal_actual"]
    ws["A10"] = "年度绩效指标"
    for col, text in zip("BCDEFGHI", ("一级指标", "二级指标", "三级指标", "年度指标值", "* 实际完成值",
                                      "* 分值", "* 得分", "偏差原因分析及改进措施"), strict=True):
        ws[f"{col}10"] = text
    rows = seed["indicators"]
    for i, (level1, level2, level3, target, actual, points, score) in enumerate(rows):
        r = 11 + i
        if not merged or i == 0 or rows[i - 1][0] != level1:
            ws[f"B{r}"] = level1
        ws[f"C{r}"], ws[f"D{r}"], ws[f"E{r}"], ws[f"F{r}"] = level2, level3, target, actual
        ws[f"G{r}"], ws[f"H{r}"] = points, score
        ws[f"G{r}"].number_format = ws[f"H{r}"].number_format = "0.00"
    total = 11 + len(rows)
    ws[f"B{total}"], ws[f"G{total}"], ws[f"H{total}"], ws[f"I{total}"] = (
        "总分", float(seed["total_points"]), float(seed["total_score"]), "—")
    ws[f"A{total + 2}"], ws[f"A{total + 3}"] = "备注：  ", NOTE
    if merged:
        for rng in ("A1:I1", "B2:C2", "G2:I2", "B3:C3", "E3:I3", "A4:I4", "A7:I7", "A8:A9", "B8:E8", "F8:I8",
                    "B9:E9", "F9:I9", f"A10:A{total}", f"B{total}:F{total}"):
            ws.merge_cells(rng)
        _merge_groups(ws, 11, [r[0] for r in rows])
    ws["G6"].number_format = "0.0000"


def write_seed_b(ws, seed=SEED_B, merged: bool = True) -> None:
    ws["A1"] = "项目支出绩效自评表"
    ws["A2"], ws["B2"], ws["D2"], ws["E2"], ws["G2"], ws["H2"] = (
        "项目编码：", seed["code"], "项目名称：", seed["name"], "绩效自评年度：", int(seed["year"]))
    ws["A3"], ws["B3"], ws["D3"], ws["E3"], ws["G3"], ws["H3"] = (
        "实施单位：", seed["implementing_unit"], "一级预算单位：", seed["budget_unit"], "单位编码：",
        seed["unit_code"])
    ws["A4"] = "预算执行情况"
    ws["A5"] = "项目资金（元）"
    for col, text in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率（%）", "得分"),
                         strict=True):
        ws[f"{col}5"] = text
    for i, (label, initial, annual, executed) in enumerate(seed["fund_rows"]):
        r = 6 + i
        ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"], ws[f"E{r}"] = label, float(initial), float(annual), float(executed)
        if i == 0:
            ws[f"F{r}"], ws[f"G{r}"], ws[f"H{r}"] = (seed["funds_points"], float(seed["rate"]),
                                                     float(seed["funds_score"]))
        else:
            ws[f"F{r}"] = ws[f"G{r}"] = ws[f"H{r}"] = "—"
    ws["A10"] = "项目目标完成情况"
    ws["A11"], ws["B11"], ws["G11"] = "年度总体目标", "预期目标", "* 实际完成情况"
    ws["B12"], ws["G12"] = seed["goal_expected"], seed["goal_actual"]
    ws["A13"] = "年度绩效指标"
    for col, text in zip("BCDEFGHIJ", ("一级指标", "二级指标", "三级指标", "年度指标值", "度量单位",
                                       "* 实际完成值", "* 权重", "* 得分", "偏差原因分析及改进措施"), strict=True):
        ws[f"{col}13"] = text
    rows = seed["indicators"]
    for i, (level1, level2, level3, target, unit, actual, weight, score) in enumerate(rows):
        r = 14 + i
        if not merged or i == 0 or rows[i - 1][0] != level1:
            ws[f"B{r}"] = level1
        ws[f"C{r}"], ws[f"D{r}"], ws[f"E{r}"] = level2, level3 or None, target or None
        ws[f"F{r}"], ws[f"G{r}"] = unit or None, actual
        ws[f"H{r}"], ws[f"I{r}"] = weight, score
    total = 14 + len(rows)
    ws[f"B{total}"], ws[f"H{total}"], ws[f"I{total}"], ws[f"J{total}"] = (
        "总分", int(seed["total_points"]), float(seed["total_score"]), "—")
    if merged:
        for rng in ("A1:J1", "B2:C2", "E2:F2", "H2:J2", "B3:C3", "E3:F3", "H3:J3", "A4:J4", "A5:A9",
                    "A10:J10", "A11:A12", "B11:F11", "G11:J11", "B12:F12", "G12:J12", f"A13:A{total}",
                    f"B{total}:G{total}"):
            ws.merge_cells(rng)
        _merge_groups(ws, 14, [r[0] for r in rows])


def seed_workbook(path: Path, layout: str, **options) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"自评表{layout}"
    (write_seed_a if layout == "A" else write_seed_b)(ws, **options)
    wb.save(path)
    return path


def seed_form(layout: str):
    """The seed as a Form value, built directly (not through the reader)."""
    from decimal import Decimal

    from core.layouts import split_group_label
    from core.model import Form, FundRow, Indicator

    seed = SEED_A if layout == "A" else SEED_B
    indicators = []
    for row in seed["indicators"]:
        if layout == "A":
            level1, level2, level3, target, actual, points, score = row
            unit = ""
        else:
            level1, level2, level3, target, unit, actual, points, score = row
        indicators.append(Indicator(split_group_label(level1)[0], level2, level3, target, unit, actual,
                                    Decimal(points), Decimal(score)))
    return Form(
        layout=layout, code=seed["code"], name=seed["name"], year=seed["year"],
        implementing_unit=seed["implementing_unit"], budget_unit=seed["budget_unit"],
        unit_code=seed.get("unit_code", ""),
        fund_rows=tuple(FundRow(label, Decimal(a), Decimal(b), Decimal(c)) for label, a, b, c in seed["fund_rows"]),
        funds_points=Decimal(seed["funds_points"]), goal_expected=seed["goal_expected"],
        goal_actual=seed["goal_actual"], indicators=tuple(indicators), template_bound=True,
    )
