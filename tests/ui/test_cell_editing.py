"""Editing a cell as in a spreadsheet: typing replaces, F2 edits in place, Esc cancels (the undo
stack and the store exactly as before), numbers are kept as typed and marked, and text an input
method commits is never lost. The real window on a real database, offscreen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from core.store import Store
from tests.ui.test_focus_and_keys import cell, focus, select
from ui.form_model import ERROR


def commit_ime(widget, text, preedit=""):
    """What an input method sends: a commit string (and/or a composition still being typed)."""
    event = QInputMethodEvent(preedit, [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_editor(window):
    editor = window.editor.view.indexWidget(window.editor.view.currentIndex())
    assert isinstance(editor, (QLineEdit, QPlainTextEdit)), editor
    return editor


def editor_text(editor) -> str:
    return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()


def press_enter(qtbot, window, editor):
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editor.session is None, timeout=2000)  # Qt closes it queued


def test_undo_waits_while_a_cell_is_being_edited(qtbot, window):
    window.editor.edit("indicators[1].reason", "先")
    assert window.act_undo.isEnabled()
    view = select(window, "indicators[2].reason")
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert not window.act_undo.isEnabled()  # as in a spreadsheet: the edit in progress comes first
    press_enter(qtbot, window, focus())
    assert window.act_undo.isEnabled() and window.editor.stack.count() == 2


def test_f6_from_an_open_editor_keeps_what_was_typed(qtbot, window):
    view = select(window, "indicators[2].reason")
    qtbot.keyClick(view, Qt.Key.Key_X)
    qtbot.keyClicks(focus(), "yz")
    qtbot.keyClick(focus(), Qt.Key.Key_F6)
    assert focus() is window.findings.list
    assert window.editor.form.indicators[2].reason == "xyz" and window.editor.session is None
    assert window.editor.stack.count() == 1


def test_typing_on_a_selected_number_cell_replaces_its_content(qtbot, window):
    view = select(window, "indicators[1].score")
    qtbot.keyClick(view, Qt.Key.Key_1)
    editor = open_editor(window)
    qtbot.keyClicks(editor, "2")
    assert editor_text(editor) == "12"
    press_enter(qtbot, window, editor)
    assert window.editor.form.indicators[1].score == Decimal(12)
    assert window.editor.stack.count() == 1 and window.editor.stack.text(0) == "编辑第 2 个指标的得分"


def test_typing_on_a_selected_long_text_cell_replaces_its_content(qtbot, window):
    window.editor.edit("indicators[1].reason", "旧的原因")
    view = select(window, "indicators[1].reason")
    qtbot.keyClick(view, Qt.Key.Key_A)
    editor = open_editor(window)
    assert isinstance(editor, QPlainTextEdit)
    commit_ime(editor, "新的")
    assert editor_text(editor) == "a新的"
    press_enter(qtbot, window, editor)
    assert window.editor.form.indicators[1].reason == "a新的"


def test_f2_edits_in_place_with_the_cursor_at_the_end(qtbot, window):
    view = select(window, "indicators[0].actual")
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = open_editor(window)
    assert editor.text() == "15534个" and not editor.hasSelectedText() and editor.cursorPosition() == 6
    qtbot.keyClicks(editor, "0")
    press_enter(qtbot, window, editor)
    assert window.editor.form.indicators[0].actual == "15534个0"
    view = select(window, "goal_actual")
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = open_editor(window)
    commit_ime(editor, "。")
    press_enter(qtbot, window, editor)
    assert window.editor.form.goal_actual.endswith("企业满意度达99.99%。。")


def stored_state(store: Store, form_id: int):
    """Everything the store holds about a form: its listing and every revision, as rows."""
    conn = store._live
    return (conn.execute("SELECT * FROM forms WHERE id = ?", (form_id,)).fetchall(),
            conn.execute("SELECT * FROM revisions WHERE form_id = ? ORDER BY number", (form_id,)).fetchall())


def listed(window):
    """The form's row in the list as the clerk reads it."""
    model = window.list_panel.model
    return [model.index(0, column).data() for column in range(model.columnCount())]


def undo_state(stack):
    return stack.count(), stack.index(), stack.cleanIndex(), [stack.text(i) for i in range(stack.count())]


@pytest.mark.parametrize(("path", "keys"), [("indicators[1].reason", "abc"), ("indicators[1].score", "99"),
                                            ("indicators[0].actual", "1")])
def test_esc_cancels_the_edit_leaving_undo_stack_and_store_exactly_as_before(qtbot, window, path, keys):
    editor_widget, stack = window.editor, window.editor.stack
    window.editor.edit("indicators[2].reason", "一步")
    window.editor.edit("indicators[3].reason", "两步")
    window.act_undo.trigger()  # a redo step, which a new edit would throw away
    window.save_checkpoint()  # sealed: autosave of the coming edit starts a new revision
    form, before_stack = editor_widget.form, undo_state(stack)
    before_store = stored_state(window.store, 1)
    before_row = listed(window)
    shown = cell(window, path).data()

    view = select(window, path)
    qtbot.keyClick(view, keys[0])
    qtbot.keyClicks(focus(), keys[1:])
    assert window.write_pending()  # autosave while the editor is open: the typing is on disk...
    assert stored_state(window.store, 1) != before_store
    assert len(window.store.revisions(1)) == len(before_store[1]) + 1  # a new revision after the seal
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)

    assert editor_widget.session is None and view.state() != QAbstractItemView.State.EditingState
    assert editor_widget.form == form and cell(window, path).data() == shown
    assert undo_state(stack) == before_stack
    window.flush_save()
    assert stored_state(window.store, 1) == before_store  # ...and taken back: same revision, same stamps
    assert listed(window) == before_row
    window.act_redo.trigger()  # the redo step survived
    assert editor_widget.form.indicators[3].reason == "两步"


def test_esc_after_an_edit_of_a_checked_form_keeps_it_checked(qtbot, window):
    window.editor.edit("indicators[0].reason", "已说明")
    window.mark_checked()
    assert window.store.get(1).status == "已审核"
    view = select(window, "indicators[1].reason")
    qtbot.keyClick(view, Qt.Key.Key_Q)
    window.write_pending()
    assert window.store.get(1).status == "填报中"
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    assert window.store.get(1).status == "已审核" and window.status_of_form == "已审核"
    assert window.list_panel.model.rows[0].status == "已审核"


def test_esc_after_ctrl_s_in_the_editor_saves_the_old_text_as_a_new_edit(qtbot, window):
    view = select(window, "indicators[1].reason")
    qtbot.keyClick(view, Qt.Key.Key_Q)
    editor = focus()
    window.write_pending(checkpoint=True)  # the sealed revision holds "q": it is never taken back
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    window.flush_save()
    assert window.store.form(1).indicators[1].reason == "" and window.editor.form.indicators[1].reason == ""
    assert any(r.sealed == "save" for r in window.store.revisions(1))


@pytest.mark.parametrize(("typed", "chinese"), [("10", "分"), ("15%", ""), ("1e3", ""), ("abc", "")])
def test_a_number_cell_keeps_what_is_typed_and_marks_it(qtbot, window, typed, chinese):
    view = select(window, "indicators[1].score")
    qtbot.keyClick(view, typed[0])
    editor = open_editor(window)
    qtbot.keyClicks(editor, typed[1:])
    if chinese:
        commit_ime(editor, chinese)
    press_enter(qtbot, window, editor)
    text = typed + chinese
    assert window.editor.form.indicators[1].score == text
    index = cell(window, "indicators[1].score")
    assert index.data() == text
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR
    (finding,) = [f for f in window.editor.evaluation.findings
                  if f.rule == "NUMBER_FORMAT" and f.field == "indicators[1].score"]
    assert finding.message in index.data(Qt.ItemDataRole.ToolTipRole)


@pytest.mark.parametrize("path", ["indicators[1].reason", "indicators[1].actual", "indicators[1].score"])
def test_an_input_method_commit_without_composition_lands_in_the_cell(qtbot, window, path):
    view = select(window, path)
    commit_ime(view, "，")
    editor = open_editor(window)
    assert editor_text(editor) == "，"
    assert window.editor.form.indicators[1].__getattribute__(path.rsplit(".", 1)[1]) == "，"
    commit_ime(editor, "好")
    press_enter(qtbot, window, editor)
    assert cell(window, path).data() == "，好"


def test_a_composition_then_its_commit_lands_in_the_cell_once(qtbot, window):
    view = select(window, "indicators[1].reason")
    commit_ime(view, "", preedit="yuan")
    commit_ime(focus() if focus() is not view else view, "原因")
    editor = open_editor(window)
    assert editor_text(editor) == "原因"
    press_enter(qtbot, window, editor)
    assert window.editor.form.indicators[1].reason == "原因"
