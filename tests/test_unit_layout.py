"""A unit adds a layout without code (issue 15): a small variant of A — its columns in another
order, its money in 万元 — written as a layout file into a temporary folder, and a workbook in that
layout built cell by cell with XlsxWriter (not from the layout file). The workbook is imported, shown
in the grid, checked, exported fresh and into the copy, and printed; everything equals what the
workbook holds."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from core.layout_files import add_layout_folder, forget_unit_layouts
from core.profile import default_profile
from core.xlsx.reader import read_workbook
from tests.conftest import check_json, run_main
from tests.pdf_support import squeeze, table_rows
from ui.form_editor import FormEditor

# The variant: 项目名称 before 项目编码; funds columns 全年预算数 | 全年执行数 | 年初预算数 | 执行率 | 分值;
# indicator columns 分值 before 年度指标值; money in 万元 to four places; 执行率 printed to two. It is the
# complete example of docs/layouts.md, taken from there: the guide's example is what this test runs.
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "layouts.md"


def guide_example() -> str:
    match = re.search(r"## 5\..*?```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert match, "docs/layouts.md lost its complete example (section 5, a ```toml block)"
    return match.group(1)


LAYOUT = guide_example()

CODE = "440303251553147100009"
NAME = "某区政务服务大厅运行保障项目"
UNIT = "某区政务服务数据管理局（本级）"
GOAL_EXPECTED = "保障政务服务大厅全年正常运行，群众办事满意度保持在95%以上。"
GOAL_ACTUAL = "大厅全年运行正常，接待办事群众12.6万人次，满意度99.2%。"
# (一级指标 as printed, 二级, 三级, 分值, 年度指标值, 实际完成值, 得分, 偏差原因)
INDICATORS = [
    ("产出指标 (50分)", "数量指标", "接待办事群众人次", 20, "≥10万人次", "12.6万人次", 20, ""),
    ("产出指标 (50分)", "质量指标", "办件差错率", 15, "≤1%", "0.5%", 15, ""),
    ("产出指标 (50分)", "时效指标", "平均等候时间", 15, "≤20分钟", "25分钟", 12, "午间窗口不足，已增设两个窗口"),
    ("效益指标 (30分)", "社会效益指标", "群众办事便利度", 30, "有所提升", "明显提升", 30, ""),
    ("满意度指标 (10分)", "服务对象满意度指标", "办事群众满意度", 10, "≥95%", "99.2%", 10, ""),
]
# In 万元: 全年预算数 320.5, 全年执行数 300.1234, 年初预算数 300; 执行率 300.1234/320.5 = 93.64%.
ANNUAL, EXECUTED, INITIAL = 320.5, 300.1234, 300
RATE, FUNDS_SCORE, TOTAL_POINTS, TOTAL_SCORE = "93.64", "9.36", "100.00", "96.36"


def build_fixture(path: Path) -> Path:
    """The variant's workbook as a unit's own template would hold it, written cell by cell."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("自评表")
    center = book.add_format({"align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    left = book.add_format({"align": "left", "valign": "vcenter", "border": 1, "text_wrap": True})
    amount = book.add_format({"align": "center", "border": 1, "num_format": "0.0000"})
    two = book.add_format({"align": "center", "border": 1, "num_format": "0.00"})
    sheet.merge_range("A1:I1", "项目支出绩效自评表", center)
    sheet.write("A2", "项目名称：", center)
    sheet.merge_range("B2:C2", NAME, center)
    sheet.write("D2", "项目编码：", center)
    sheet.write_string("E2", CODE, center)
    sheet.write("F2", "绩效自评年度：", center)
    sheet.merge_range("G2:I2", 2025, center)
    sheet.write("A3", "实施单位：", center)
    sheet.merge_range("B3:C3", UNIT, center)
    sheet.write("D3", "一级预算单位：", center)
    sheet.merge_range("E3:I3", UNIT, center)
    sheet.merge_range("A4:I4", "资金使用情况", center)
    sheet.merge_range("A5:B5", "", center)
    for col, text in zip("CDEFG", ("全年预算数", "全年执行数", "年初预算数", "执行率（%）", "分值"), strict=True):
        sheet.write(f"{col}5", text, center)
    sheet.merge_range("H5:I5", "得分", center)
    sheet.write("A6", "项目资金（万元）", center)
    sheet.write("B6", "年度资金总额", center)
    sheet.write_number("C6", ANNUAL, amount)
    sheet.write_number("D6", EXECUTED, amount)
    sheet.write_number("E6", INITIAL, amount)
    sheet.write_number("F6", float(RATE), two)
    sheet.write_number("G6", 10, center)
    sheet.merge_range("H6:I6", float(FUNDS_SCORE), two)
    sheet.merge_range("A7:I7", "项目目标完成情况", center)
    sheet.merge_range("A8:A9", "年度总体目标", center)
    sheet.merge_range("B8:E8", "预期目标", center)
    sheet.merge_range("F8:I8", "* 实际完成情况", center)
    sheet.merge_range("B9:E9", GOAL_EXPECTED, left)
    sheet.merge_range("F9:I9", GOAL_ACTUAL, left)
    for col, text in zip("BCDEFGHI", ("一级指标", "二级指标", "三级指标", "* 分值", "年度指标值", "* 实际完成值",
                                      "* 得分", "偏差原因分析及改进措施"), strict=True):
        sheet.write(f"{col}10", text, center)
    first = 11
    for i, (_, level2, level3, points, target, actual, score, reason) in enumerate(INDICATORS):
        r = first + i
        sheet.write(f"C{r}", level2, center)
        sheet.write(f"D{r}", level3, left)
        sheet.write_number(f"E{r}", points, two)
        sheet.write(f"F{r}", target, center)
        sheet.write(f"G{r}", actual, center)
        sheet.write_number(f"H{r}", score, two)
        sheet.write(f"I{r}", reason, left) if reason else sheet.write_blank(f"I{r}", None, left)
    sheet.merge_range(f"B{first}:B{first + 2}", INDICATORS[0][0], center)
    sheet.write(f"B{first + 3}", INDICATORS[3][0], center)
    sheet.write(f"B{first + 4}", INDICATORS[4][0], center)
    total = first + len(INDICATORS)
    sheet.merge_range(f"A10:A{total}", "年度绩效指标", center)
    sheet.merge_range(f"B{total}:D{total}", "总分", center)
    sheet.write_number(f"E{total}", float(TOTAL_POINTS), two)
    sheet.merge_range(f"F{total}:G{total}", "—", center)
    sheet.write_number(f"H{total}", float(TOTAL_SCORE), two)
    sheet.write(f"I{total}", "—", center)
    book.close()
    return path


# What the fixture holds, cell by cell, as text: the grid, both exports and the PDF must show it.
SHOWN = {
    "B2": NAME, "E2": CODE, "G2": "2025", "B3": UNIT, "E3": UNIT, "A6": "项目资金（万元）",
    "C6": "320.5000", "D6": "300.1234", "E6": "300.0000", "F6": RATE, "G6": "10", "H6": FUNDS_SCORE,
    "B9": GOAL_EXPECTED, "F9": GOAL_ACTUAL,
    "B11": "产出指标 (50分)", "E11": "20.00", "F11": "≥10万人次", "G11": "12.6万人次", "H11": "20.00",
    "E13": "15.00", "F13": "≤20分钟", "G13": "25分钟", "H13": "12.00", "I13": INDICATORS[2][7],
    "B14": "效益指标 (30分)", "B15": "满意度指标 (10分)", "E16": TOTAL_POINTS, "H16": TOTAL_SCORE,
}


@pytest.fixture
def unit(tmp_path):
    """The unit's folder beside its database, holding the variant's layout file; and the fixture."""
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "wan-a.toml").write_text(LAYOUT, encoding="utf-8")
    workbook = build_fixture(tmp_path / "某区自评表.xlsx")
    return tmp_path, folder, workbook


def run(*args) -> subprocess.CompletedProcess:
    result = run_main(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def cell_texts(path: Path) -> dict[str, str]:
    """Each SHOWN cell of the workbook's first sheet, as it prints (number formats applied)."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    texts = {}
    for ref in SHOWN:
        cell = sheet[ref]
        value = cell.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            places = cell.number_format.count("0") - 1 if "." in cell.number_format else 0
            value = f"{value:.{places}f}"
        texts[ref] = "" if value is None else str(value)
    return texts


def test_layout_check_accepts_the_variant(unit):
    _, folder, _ = unit
    result = run("layout-check", folder / "wan-a.toml")
    assert "版式文件正确（WAN-A" in result.stdout and "金额单位万元" in result.stdout
    listing = run("layouts", "--layouts", folder).stdout
    assert "WAN-A\t某区 2025 版（万元）\t万元\t本单位" in listing


def test_the_variant_workbook_is_read_and_checked_by_its_own_labels(unit):
    _, folder, workbook = unit
    report, _ = check_json(workbook, "--layouts", folder)
    text = json.dumps(report, ensure_ascii=False)
    form = report["forms"][0]
    assert form["layout"] == "WAN-A", text
    assert (form["code"], form["name"], form["year"], form["implementing_unit"]) == (CODE, NAME, 2025, UNIT)
    assert form["fund_rows"] == [{"label": "年度资金总额", "initial_budget": "300.00",
                                  "annual_budget": "320.50", "executed": "300.1234"}]
    assert (form["funds"]["rate"], form["funds"]["score"], form["funds"]["points"]) == (RATE, FUNDS_SCORE, "10")
    rows = [(r["level1"], r["level2"], r["level3"], r["points"], r["target"], r["actual"], r["score"], r["reason"])
            for r in form["indicators"]]
    assert rows == [(level1.split(" ")[0], level2, level3, f"{points}.00", target, actual, f"{score}.00", reason)
                    for level1, level2, level3, points, target, actual, score, reason in INDICATORS]
    assert (form["total_points"], form["total_score"]) == (TOTAL_POINTS, TOTAL_SCORE)
    assert [g["points"] for g in form["groups"]] == ["50.00", "30.00", "10.00"]
    assert not [f for f in form["findings"] if f["level"] == "error"], text
    assert report["errors"] == [] and report["warnings"] == []


def test_the_variant_is_imported_exported_both_ways_and_printed_as_the_fixture_holds(unit):
    home, folder, workbook = unit
    db = home / "forms.db"  # its layouts/ folder is the unit's folder: no --layouts needed
    run("import", workbook, "--db", db)
    listing = run("list", "--db", db).stdout
    assert CODE in listing, listing
    form_id = next(line.split()[0] for line in listing.splitlines() if CODE in line)
    fresh, copy, pdf = home / "fresh.xlsx", home / "copy.xlsx", home / "form.pdf"
    run("export-xlsx", form_id, fresh, "--fresh", "--db", db)
    run("export-xlsx", form_id, copy, "--db", db)
    run("export-pdf", form_id, pdf, "--db", db)
    for written in (fresh, copy):
        assert cell_texts(written) == SHOWN, written.name
        again, _ = check_json(written, "--layouts", folder)
        original, _ = check_json(workbook, "--layouts", folder)
        for report in (again, original):
            report["forms"][0].pop("sheet")
        assert again == original, written.name
    printed = {text for page in table_rows(pdf) for row in page for text in row}
    for ref, shown in SHOWN.items():
        assert squeeze(shown) in printed, (ref, shown)  # each value whole in one ruled cell


@pytest.fixture
def unit_layouts(unit):
    """The unit's layouts loaded in this process, as the window loads them; forgotten afterwards."""
    _, folder, _ = unit
    assert add_layout_folder(folder) == []
    yield unit
    forget_unit_layouts()


def test_the_grid_shows_the_variant_as_the_fixture_holds(qtbot, unit_layouts):
    _, _, workbook = unit_layouts
    read = read_workbook(workbook)
    assert not read.problems and read.forms[0].form.layout == "WAN-A"
    editor = FormEditor(default_profile())
    qtbot.addWidget(editor)
    editor.open(read.forms[0].form, QUndoStack(editor))
    model = editor.model
    for ref, shown in SHOWN.items():
        row, col = int(ref[1:]) - 1, ord(ref[0]) - ord("A")
        assert model.index(row, col).data(Qt.ItemDataRole.DisplayRole) == shown, ref
    assert model.flags(model.index_of("indicators[0].points")) & Qt.ItemFlag.ItemIsEditable
    assert model.index_of("indicators[0].points").column() == 4  # 分值 before 年度指标值, as the file says


def test_a_layout_a_workbook_still_reads_as_a_beside_the_variant(unit_layouts, seed_a):
    """The variant prints A's labels: which columns they stand in decides, not which file came first."""
    read = read_workbook(seed_a)
    assert not read.problems and read.forms[0].form.layout == "A"


def test_a_units_own_rules_beside_its_layout_are_used_and_not_taken_for_a_layout(unit):
    from core.paths import resource
    from core.profile import default_profile

    _, folder, _ = unit
    rules = resource("profiles", "sichuan.toml").read_text(encoding="utf-8").replace(
        'name = "四川', 'name = "某区自定规则 四川', 1)
    (folder / "our-rules.toml").write_text(rules, encoding="utf-8")
    layout = (folder / "wan-a.toml").read_text(encoding="utf-8")
    (folder / "wan-a.toml").write_text(layout.replace('family = "深圳"', 'family = "深圳"\nprofile = "our-rules"'),
                                       encoding="utf-8")
    listing = run("layouts", "--layouts", folder)
    assert "our-rules.toml" not in listing.stdout + listing.stderr  # a rule profile, not a broken layout
    assert add_layout_folder(folder) == []
    try:
        assert default_profile().for_layout("WAN-A").name.startswith("某区自定规则")
    finally:
        forget_unit_layouts()


def test_a_layout_naming_rules_that_do_not_exist_is_said_at_start(unit):
    _, folder, _ = unit
    layout = (folder / "wan-a.toml").read_text(encoding="utf-8")
    (folder / "wan-a.toml").write_text(layout.replace('family = "深圳"', 'family = "深圳"\nprofile = "our-rulez"'),
                                       encoding="utf-8")
    try:
        problems = add_layout_folder(folder)
    finally:
        forget_unit_layouts()
    assert len(problems) == 1 and "没有名为“our-rulez”的评分规则" in problems[0] and "wan-a.toml" in problems[0]
