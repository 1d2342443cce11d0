"""The form editor widget, driven through its real widgets offscreen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from core.fields import with_value
from core.profile import default_profile
from tests.seeds import seed_form
from ui.form_editor import FormEditor


@pytest.fixture
def editor(qtbot):
    widget = FormEditor(default_profile())
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    stack = QUndoStack(widget)
    widget.open(seed_form("A"), stack)
    return widget


def cell_text(editor, path):
    return editor.model.index_of(path).data(Qt.ItemDataRole.DisplayRole)


def type_into(qtbot, editor, path, text, chinese=False):
    """Open the cell's editor and type, as a clerk would (Chinese through an input-method commit)."""
    index = editor.model.index_of(path)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    widget = QApplication.focusWidget()
    assert isinstance(widget, (QLineEdit, QPlainTextEdit)), widget
    if isinstance(widget, QLineEdit):
        widget.selectAll()
        widget.del_()
    else:
        widget.clear()
    if chinese:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
    else:
        qtbot.keyClicks(widget, text)
    return widget


def test_model_passes_the_model_tester(qtmodeltester, editor):
    qtmodeltester.check(editor.model)


def test_the_grid_shows_the_official_layout_with_its_merges(editor):
    view, model = editor.view, editor.model
    assert model.rowCount() == 24 and model.columnCount() == 9
    assert view.columnSpan(0, 0) == 9  # title A1:I1
    assert view.rowSpan(10, 1) == 4  # 产出指标 B11:B14
    assert cell_text(editor, "funds.rate") == "98.2800"
    assert cell_text(editor, "total_score") == "99.83"
    assert model.index(10, 1).data() == "产出指标 (50分)"


def test_grey_cells_are_read_only_and_clerk_cells_editable(editor):
    model = editor.model
    assert not model.flags(model.index_of("code")) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index_of("total_score")) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index_of("indicators[0].actual")) & Qt.ItemFlag.ItemIsEditable
    model.set_system_unlocked(True)
    assert model.flags(model.index_of("code")) & Qt.ItemFlag.ItemIsEditable


def test_typing_on_a_cell_the_clerk_cannot_fill_says_why_under_the_grid(qtbot, editor):
    """A keyboard user never sees the tooltip: the line under the grid says why nothing happened."""
    form = editor.form
    grey = "置灰单元格由预算系统填写，这里不能修改；确需修改请用“编辑 → 解锁置灰字段”"
    for path, reason in (("fund_rows[0].executed", grey), ("funds.rate", "此格由程序按表中数字计算，不能直接填写")):
        index = editor.model.index_of(path)
        editor.view.setCurrentIndex(index)
        editor.view.setFocus()
        qtbot.keyClicks(editor.view, "2")
        assert editor.hint.text() == reason
        assert editor.view.state() != QAbstractItemView.State.EditingState and editor.view.currentIndex() == index
    assert editor.form == form


def test_chinese_typed_on_a_grey_cell_says_why_under_the_grid_too(qtbot, editor):
    """A clerk typing through an input method (拼音) commits text with a QInputMethodEvent, not a
    key press: the line under the grid says why nothing happened, as it does for a typed key."""
    form = editor.form
    index = editor.model.index_of("fund_rows[0].executed")
    editor.view.setCurrentIndex(index)
    editor.view.setFocus()
    event = QInputMethodEvent()
    event.setCommitString("二")
    QApplication.sendEvent(editor.view, event)
    assert editor.hint.text() == editor.model.read_only_reason(index)
    assert editor.view.currentIndex() == index and editor.form == form


def test_typing_a_score_recomputes_the_total_at_once(qtbot, editor):
    type_into(qtbot, editor, "indicators[1].score", "12.5")
    assert cell_text(editor, "total_score") == "97.33"
    assert cell_text(editor, "groups[0].points") == "产出指标 (50分)"
    rules = {f.rule for f in editor.evaluation.findings}
    assert "REASON_MISSING" in rules and "SCORE_VS_SUGGESTED" in rules


def test_typing_in_one_cell_is_one_undo_step(qtbot, editor):
    type_into(qtbot, editor, "indicators[1].score", "12.5")
    focused = QApplication.focusWidget()
    assert focused is not None
    focused.clearFocus()
    stack = editor.stack
    assert stack.count() == 1  # five keystrokes (and the clear) merged
    stack.undo()
    assert cell_text(editor, "total_score") == "99.83"
    stack.redo()
    assert cell_text(editor, "total_score") == "97.33"


def test_undo_and_redo_go_to_the_cell_they_change(qtbot, editor):
    """As in a spreadsheet: the clerk sees what came back, even after moving on (a clerk's walk)."""
    type_into(qtbot, editor, "indicators[1].score", "12.5")
    edited = editor.model.index_of("indicators[1].score")
    elsewhere = editor.model.index_of("goal_actual")
    editor.view.setCurrentIndex(elsewhere)
    editor.stack.undo()
    assert editor.view.currentIndex() == edited
    editor.view.setCurrentIndex(elsewhere)
    editor.stack.redo()
    assert editor.view.currentIndex() == edited and cell_text(editor, "indicators[1].score") == "12.50"


def test_a_row_grown_by_the_clerks_text_stays_in_sight(qtbot, editor):
    """A reason typed at the bottom of the window grows its row downwards: the grid follows it
    (a clerk's walk left the grown row half under the window's edge)."""
    editor.resize(1400, 420)
    last = len(editor.form.indicators) - 1
    path = f"indicators[{last}].reason"
    index = editor.model.index_of(path)
    editor.view.setCurrentIndex(index)
    editor.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtBottom)
    before = editor.view.rowHeight(index.row())
    reason = "因天气原因部分工程延期完成，已在次年一季度完成剩余工作。" * 3
    widget = type_into(qtbot, editor, path, reason, chinese=True)
    widget.clearFocus()
    QApplication.processEvents()
    assert editor.view.rowHeight(index.row()) > before
    rect = editor.view.visualRect(index)
    assert rect.top() >= 0 and rect.bottom() <= editor.view.viewport().height()


def test_chinese_text_through_an_input_method(qtbot, editor):
    type_into(qtbot, editor, "indicators[1].reason", "系统故障，已整改", chinese=True)
    assert editor.form.indicators[1].reason == "系统故障，已整改"


def test_tab_skips_grey_cells(qtbot, editor):
    view = editor.view
    view.setCurrentIndex(editor.model.index_of("indicators[0].reason"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex() == editor.model.index_of("indicators[1].actual")


def test_accepting_the_suggestion_with_ctrl_enter(qtbot, editor):
    editor.open(with_value(seed_form("A"), "indicators[3].score", None), QUndoStack(editor))
    view = editor.view
    view.setCurrentIndex(editor.model.index_of("indicators[3].score"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.form.indicators[3].score == Decimal("10.00")
    assert cell_text(editor, "total_score") == "99.83"


def test_pasting_a_block_fills_clerk_cells_and_skips_grey_ones(qtbot, editor):
    start = editor.model.index_of("indicators[0].actual")
    editor.paste(start, "15000个\t15\t14\t原因一\n100%\t15\t15\t\n")
    form = editor.form
    assert (form.indicators[0].actual, form.indicators[0].score, form.indicators[0].reason) == (
        "15000个", Decimal(14), "原因一")
    assert form.indicators[1].actual == "100%"
    assert editor.stack.count() == 1
    editor.stack.undo()
    assert editor.form == seed_form("A")


def test_a_finding_is_marked_on_its_cell(qtbot, editor):
    index = editor.model.index_of("indicators[0].actual")
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None  # FAR_ABOVE_TARGET
    assert "远超" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_rows_can_be_added_and_moved_only_when_not_tied_to_a_template(qtbot, editor, monkeypatch):
    editor.insert_row(0)
    assert len(editor.form.indicators) == 10  # template-bound: unchanged
    from dataclasses import replace

    editor.open(replace(seed_form("A"), template_bound=False), QUndoStack(editor))
    editor.insert_row(0)
    assert len(editor.form.indicators) == 11 and editor.form.indicators[1].level2 == "数量指标"
    assert editor.model.rowCount() == 25 and editor.view.rowSpan(10, 1) == 5
    editor.move_row(1, -1)
    assert editor.form.indicators[0].level3 == ""
    editor.move_row(1, 1)  # cannot leave its 二级指标
    assert editor.form.indicators[2].level2 == "质量指标"


def test_grade_keeps_the_score_inside_its_band(qtbot, editor):
    editor.set_grade(5, "部分达成")
    assert editor.form.indicators[5].grade == "部分达成"
    assert editor.form.indicators[5].score == Decimal("18.00")
    assert "BAND" not in {f.rule for f in editor.evaluation.findings}
