"""历史版本 says what each revision changed and when, and how it was kept:
"修改 3 处：…（10:42 自动保存）", not "编辑 …，保存时保存"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from core.fields import with_value
from core.store import Store
from tests.seeds import seed_form
from ui.history_dialog import HistoryDialog, when_text


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(datetime(2025, 3, 1, 9, 5).astimezone())


@pytest.fixture
def store(tmp_path, clock):
    with Store(tmp_path / "forms.sqlite3", clock=clock) as store:
        yield store


def lines(qtbot, store, form_id, today=date(2025, 3, 1)) -> list[str]:
    dialog = HistoryDialog(store, form_id, today=today)
    qtbot.addWidget(dialog)
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def test_each_revision_says_what_changed_and_when_it_was_kept(qtbot, store, clock):
    form = seed_form("A")
    form_id = store.create_form(form)
    store.save(form_id, form, checkpoint=True)  # 09:05, sealed by Ctrl+S
    clock.now = clock.now.replace(hour=10, minute=42)
    form = with_value(form, "goal_actual", "全年完成免费刻章15534个。")
    form = with_value(form, "indicators[1].score", Decimal("14"))
    form = with_value(form, "indicators[1].reason", "个别费用延迟支付")
    store.save(form_id, form)  # typed and autosaved at 10:42
    assert lines(qtbot, store, form_id) == [
        "第 2 版  修改 3 处：实际完成情况、第 2 个指标的得分、第 2 个指标的偏差原因（10:42 自动保存）",
        "第 1 版  新建（09:05 保存）",
    ]


def test_more_than_three_fields_are_summed_up_and_exports_and_restores_are_named(qtbot, store, clock):
    form = seed_form("A")
    form_id = store.create_form(form)
    store.save(form_id, form, checkpoint=True)
    clock.now += timedelta(minutes=10)
    for i in range(5):
        form = with_value(form, f"indicators[{i}].reason", f"说明{i}")
    store.save(form_id, form)
    store.mark_exported(form_id)
    clock.now += timedelta(minutes=10)
    store.restore(form_id, 1)
    assert lines(qtbot, store, form_id) == [
        "第 3 版  恢复到第 1 版，修改 5 处：第 1 个指标的偏差原因、第 2 个指标的偏差原因、"
        "第 3 个指标的偏差原因等（09:25）",
        "第 2 版  修改 5 处：第 1 个指标的偏差原因、第 2 个指标的偏差原因、第 3 个指标的偏差原因等（09:15 导出）",
        "第 1 版  新建（09:05 保存）",
    ]


def test_older_revisions_carry_their_date():
    assert when_text("2025-03-01T10:42:07+08:00", date(2025, 3, 1)) == "10:42"
    assert when_text("2025-03-01T10:42:07+08:00", date(2025, 5, 6)) == "3月1日 10:42"
    assert when_text("2024-12-30T08:01:00+08:00", date(2025, 1, 2)) == "2024年12月30日 08:01"


def test_a_reimport_over_a_copy_is_told_in_chinese_with_yes_and_no():
    """复制上年 then importing the system's export binds the form to that workbook: the history says
    so in words, not "template_bound：“False” → “True”" (a clerk's walk through the regional layouts)."""
    from dataclasses import replace

    from core.form_diff import diff_forms
    from ui.history_dialog import describe

    form = seed_form("B")
    (change,) = diff_forms(replace(form, template_bound=False), replace(form, template_bound=True))
    assert describe(change) == "与预算系统导出表对应：否 → 是"


def test_a_funds_change_is_named_by_the_sheets_row_and_column(tmp_path):
    """四川's sheet says 其中:财政资金 | 调整后预算数, not "第 2 行资金的全年预算数" (a clerk's walk)."""
    from decimal import Decimal as D

    from core.form_diff import diff_forms
    from core.xlsx.reader import read_workbook
    from tests.regional_fixtures import filled_sc_2023
    from ui.history_dialog import changes_text, describe

    (read,) = read_workbook(filled_sc_2023(tmp_path / "青神.xlsx")).forms
    after = with_value(read.form, "fund_rows[1].annual_budget", "260.5")
    (change,) = diff_forms(read.form, after)
    assert describe(change, after) == f"{read.form.fund_rows[1].label}的调整后预算数：“{D('251.89')}” → “260.5”"
    assert changes_text((change,), after) == f"修改 1 处：{read.form.fund_rows[1].label}的调整后预算数"
    a = seed_form("A")
    (change,) = diff_forms(a, with_value(a, "fund_rows[0].executed", "1"))
    assert describe(change, a).startswith("年度资金总额的全年执行数：")


def test_a_row_added_or_removed_is_named_by_its_indicator_and_undo_names_the_sheets_cell(qtbot, tmp_path):
    from dataclasses import replace

    from PySide6.QtGui import QUndoStack

    from core.form_diff import diff_forms
    from core.model import Indicator
    from core.profile import default_profile
    from core.xlsx.reader import read_workbook
    from tests.regional_fixtures import filled_sc_2023
    from ui.form_editor import FormEditor
    from ui.history_dialog import describe

    a = seed_form("A")
    longer = replace(a, indicators=(*a.indicators, Indicator(level1="产出指标", level3="新增指标")))
    (change,) = diff_forms(a, longer)
    assert describe(change) == f"第 {len(longer.indicators)} 个指标（整行）：（空） → “新增指标”"
    (read,) = read_workbook(filled_sc_2023(tmp_path / "青神.xlsx")).forms
    editor = FormEditor(default_profile())
    qtbot.addWidget(editor)
    stack = QUndoStack(editor)
    editor.open(read.form, stack)
    editor.model.set_system_unlocked(True)
    editor.edit("fund_rows[1].annual_budget", "260.5")
    assert stack.undoText() == f"编辑{read.form.fund_rows[1].label}的调整后预算数"


def test_a_paragraph_is_named_by_the_label_beside_it_on_its_sheet(tmp_path):
    """四川's sheet calls the funds' reason 原因 and the goal's answer 年度目标完成情况; 深圳's keep
    their names (a review: the history said 资金执行原因 on a 四川 form)."""
    from core.form_diff import diff_forms
    from core.xlsx.reader import read_workbook
    from tests.regional_fixtures import filled_sc_2023
    from ui.history_dialog import changes_text

    (read,) = read_workbook(filled_sc_2023(tmp_path / "青神.xlsx")).forms
    after = with_value(with_value(read.form, "funds.reason", "尾款次年支付"), "goal_actual", "完成")
    assert changes_text(diff_forms(read.form, after), after) == "修改 2 处：年度目标完成情况、原因"
    a = seed_form("A")
    edited = with_value(a, "goal_actual", "完成")
    assert changes_text(diff_forms(a, edited), edited) == "修改 1 处：实际完成情况"
