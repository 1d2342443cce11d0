"""`layout-check FILE.toml`: each kind of mistake a unit's IT person can make in a layout file is
named with its key path (or its line), and nothing wrong is reported for a correct file."""

from __future__ import annotations

import pytest

from core.paths import resource
from tests.conftest import run_main

SHIPPED_A = resource("layouts") / "A.toml"


def variant(text: str) -> str:
    """Layout A under an id of the unit's own (a shipped id is refused on its own account)."""
    return text.replace('id = "A"', 'id = "UNIT-A"', 1)


def layout_check(tmp_path, text: str):
    path = tmp_path / "unit.toml"
    path.write_text(text, encoding="utf-8")
    return run_main("layout-check", path)


def edit(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


def test_a_correct_file_passes(tmp_path):
    result = layout_check(tmp_path, variant(SHIPPED_A.read_text(encoding="utf-8")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "版式文件正确（UNIT-A" in result.stdout


MISTAKES = {
    "unknown role": (
        edit('{at = "B:C", role = "system", field = "code"}', '{at = "B:C", role = "grey", field = "code"}'),
        "parts[0].rows[1][1].role：未知的角色 'grey'"),
    "a field that does not exist": (
        edit('field = "indicators[].actual"', 'field = "indicators[].achieved"'),
        "parts[4].row[4].field：没有名为 'indicators[].achieved' 的字段"),
    "overlapping cells in a row": (
        edit('{at = "D", role = "label", text = "项目名称："}', '{at = "C", role = "label", text = "项目名称："}'),
        "parts[0].rows[1][2]：与 parts[0].rows[1][1] 重叠（同一行的 C 列）"),
    "a cell overlapping one merged down from above": (
        edit('[{at = "B:E", role = "system", field = "goal_expected", align = "left"},',
             '[{at = "A:E", role = "system", field = "goal_expected", align = "left"},'),
        "parts[3].rows[1][0]：与 parts[3].rows[0][0] 重叠（上方单元格向下合并的区域的 A 列）"),
    "a repeating part without its group column": (
        edit('  {at = "B", role = "computed", field = "groups[].points"},\n', ""),
        "parts[4].row：缺少一级指标（分组）所在的列"),
    "a missing total row": (
        lambda text: text[:text.index("total = [")] + text[text.index("[[parts]]                    # 备注"):],
        "parts[4].total：指标部分缺少总分（合计）行"),
    "a cell merged down into the next part": (
        edit('{at = "A", down = 2, role = "label", text = "年度总体目标"}',
             '{at = "A", down = 3, role = "label", text = "年度总体目标"}'),
        "与 parts[3].rows[0][0] 重叠（上方单元格向下合并的区域的 A 列）"),
    "a cell of the repeating row merged into the next indicator": (
        edit('{at = "I", role = "clerk", field = "indicators[].reason", align = "left"}',
             '{at = "I", down = 2, role = "clerk", field = "indicators[].reason", align = "left"}'),
        "：与 parts[4].row[7] 重叠（上方单元格向下合并的区域的 I 列）"),
    "rules that do not exist": (
        edit('profile = "rule_profile"', 'profile = "guangdong"'),
        "profile：没有名为“guangdong”的评分规则"),
    "a code pattern that is not a regular expression": (
        edit('money_unit = "元"', 'money_unit = "元"\ncode_pattern = \'\\d{8}[A-Z\''),
        "code_pattern：应为项目代码的正则表达式"),
    "a character limit of zero": (
        edit('field = "goal_actual", align = "left"}', 'field = "goal_actual", align = "left", max_chars = 0}'),
        "parts[3].rows[1][1].max_chars：应为 1 到 32767 的整数（字数上限），实际为 0"),
    "a character limit on a number": (
        edit('{at = "G", role = "clerk", field = "indicators[].points", format = "points"}',
             '{at = "G", role = "clerk", field = "indicators[].points", format = "points", max_chars = 5}'),
        "：只能用在填表人填写文字的单元格"),
    "a character limit on a label": (
        edit('{at = "D", role = "label", text = "项目名称："}',
             '{at = "D", role = "label", text = "项目名称：", max_chars = 9}'),
        "parts[0].rows[1][2].max_chars：只能用在填表人填写文字的单元格"),
    "a TOML syntax error": (
        edit('money_unit = "元"', 'money_unit = "元'),
        "第 8 行"),
}


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_kind_of_mistake_is_named_with_its_key_path(tmp_path, kind):
    change, expected = MISTAKES[kind]
    result = layout_check(tmp_path, change(variant(SHIPPED_A.read_text(encoding="utf-8"))))
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_reusing_a_shipped_id_is_refused(tmp_path):
    result = layout_check(tmp_path, SHIPPED_A.read_text(encoding="utf-8"))
    assert result.returncode != 0
    assert "id “A”与程序自带的版式相同" in result.stdout + result.stderr


def test_the_layouts_listing_names_unit_files_it_could_not_use(tmp_path):
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "same-id.toml").write_text(SHIPPED_A.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.toml").write_text(variant(SHIPPED_A.read_text(encoding="utf-8")).replace(
        'role = "clerk"', 'role = "typist"', 1), encoding="utf-8")
    (folder / "good.toml").write_text(variant(SHIPPED_A.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_main("layouts", "--layouts", folder)
    output = result.stdout + result.stderr
    assert "UNIT-A" in output and "本单位" in output
    assert "same-id.toml" in output and "与程序自带的版式相同" in output
    assert "broken.toml" in output and "未知的角色 'typist'" in output


def test_mistakes_in_several_cells_are_all_named_at_once(tmp_path):
    """A unit's IT person mends every cell in one go instead of one per run."""
    text = variant(SHIPPED_A.read_text(encoding="utf-8"))
    for change in (MISTAKES["unknown role"][0], MISTAKES["a field that does not exist"][0],
                   MISTAKES["a character limit of zero"][0]):
        text = change(text)
    result = layout_check(tmp_path, text)
    assert result.returncode != 0
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "unit.toml：" in line]
    assert [line.split("：", 1)[1].split("：")[0] for line in lines] == [
        "parts[0].rows[1][1].role", "parts[3].rows[1][1].max_chars", "parts[4].row[4].field"]
