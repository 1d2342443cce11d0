"""What a clerk's day with the regional layouts found (walk 5): the 历史版本 list is blind to the
fields only the regional layouts have, shows an internal field name, and the 审核 messages about
四川's funds use another layout's words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.checks import evaluate
from core.fields import field_label, with_value
from core.form_diff import diff_forms
from core.profile import default_profile
from core.store import Store
from core.xlsx.reader import read_workbook
from tests.regional_fixtures import QINGSHEN_FUNDS, filled_sc_2023, sc_2023


@pytest.mark.parametrize("path,value", [
    ("texts.conclusion", "项目自评得分97.88分，养护任务全面完成。"),
    ("texts.problems", "无"),
    ("funds.reason", "部分养护项目年底完工，尾款次年支付。"),
    ("supervisor", "青神县交通局"),
    ("project_lead", "张三"),
    ("finance_lead", "李四"),
])
def test_history_sees_an_edit_of_a_field_only_regional_layouts_have(tmp_path, path, value):
    # A clerk who rewrote the 评价结论 found "没有修改" in 历史版本, and the older version shown as
    # "与当前版本相同" brought her old text back when restored.
    (source,) = read_workbook(filled_sc_2023(tmp_path / "sc.xlsx")).forms
    edited = with_value(source.form, path, value)
    changes = diff_forms(source.form, edited)
    assert len(changes) == 1, f"the edit of {path} is not in the history: {changes}"
    assert changes[0].after == value


def test_a_revision_with_another_conclusion_is_not_the_same_as_the_current_one(tmp_path):
    # 历史版本 showed the older revision as "与当前版本相同"; 恢复到此版本 then brought back its
    # 评价结论 (204 字, over the limit) without a word.
    (source,) = read_workbook(filled_sc_2023(tmp_path / "sc.xlsx")).forms
    store = Store(tmp_path / "forms.sqlite3")
    try:
        form_id = store.create_form(source.form)
        store.save(form_id, source.form, checkpoint=True)
        store.save(form_id, with_value(source.form, "texts.conclusion", "改写后的评价结论"), checkpoint=True)
        numbers = [info.number for info in store.revisions(form_id)]
        assert len(numbers) >= 2
        changes = store.compare(form_id, numbers[0], numbers[-1])
        assert [c.after for c in changes] == ["改写后的评价结论"]
    finally:
        store.close()


def test_the_history_line_of_a_reimport_over_a_copy_speaks_chinese(tmp_path):
    # 复制上年, then importing the new year's system export: the 历史版本 line read
    # "重新导入，修改 15 处：预期目标、template_bound、…".
    (source,) = read_workbook(filled_sc_2023(tmp_path / "sc.xlsx")).forms
    copy = replace(source.form, template_bound=False)
    for change in diff_forms(copy, source.form):
        label = field_label(change.path)
        assert not any("a" <= ch.lower() <= "z" for ch in label), f"{change.path} is shown as {label!r}"


def _funds_messages(tmp_path, funds) -> list[str]:
    (source,) = read_workbook(sc_2023(tmp_path / "sc.xlsx", funds=funds)).forms
    evaluation = evaluate(source.form, default_profile())
    return [f.message for f in evaluation.findings if f.field.startswith(("funds.", "fund_rows["))]


def test_a_missing_sichuan_budget_is_asked_for_in_the_sheets_own_words(tmp_path):
    # 四川's sheet says 总额 | 调整后预算数 | 预算执行数; the message asked for "年度资金总额的全年预算数",
    # words the clerk cannot find on her screen.
    funds = [("总额", 238.93, None, None, None)] + QINGSHEN_FUNDS[1:]
    messages = _funds_messages(tmp_path, funds)
    assert messages, "an empty 调整后预算数 is reported"
    for message in messages:
        assert "全年预算数" not in message and "全年执行数" not in message, message
    assert any("调整后预算数" in m for m in messages) and any("预算执行数" in m for m in messages), messages


def test_a_sichuan_sum_mismatch_names_the_sheets_column(tmp_path):
    funds = [QINGSHEN_FUNDS[0], ("其中:财政资金", 238.93, 250, 251.89, "100.00%")] + QINGSHEN_FUNDS[2:]
    messages = [m for m in _funds_messages(tmp_path, funds) if "其中各项之和" in m]
    assert len(messages) == 1
    assert "调整后预算数" in messages[0] and "全年预算数" not in messages[0], messages[0]
