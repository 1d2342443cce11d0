"""The window driven by the keyboard as an office application is: start-up focus on the first
empty clerk cell, F6 / Shift+F6 between panes, Tab out of the list, both redo keys bound once.
The real window on a real database, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication

from core.fields import with_value
from core.store import Store
from tests.ui.test_main_window import make_window

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def focus():
    return QApplication.focusWidget()


def cell(window, path):
    return window.editor.model.index_of(path)


def select(window, path):
    """Put the grid's cursor on a cell (not editing) and the keyboard focus in the grid."""
    view = window.editor.view
    view.setCurrentIndex(cell(window, path))
    view.setFocus()
    assert view.state() != QAbstractItemView.State.EditingState
    return view


def test_start_up_focus_is_in_the_grid_on_the_first_empty_clerk_cell(qtbot, window):
    qtbot.waitUntil(lambda: focus() is window.editor.view)
    current = window.editor.view.currentIndex()
    assert current == cell(window, "indicators[0].reason")  # seed A: everything before it is filled
    assert current.data(Qt.ItemDataRole.EditRole) == ""


def test_start_up_cursor_skips_filled_cells_and_grey_ones(qtbot, tmp_path, answers, seed_a):
    from core.xlsx.reader import read_workbook

    db = tmp_path / "f.sqlite3"
    with Store(db) as store:
        (form,) = [f.form for f in read_workbook(seed_a).forms]
        store.create_form(with_value(with_value(form, "goal_actual", ""), "code", ""))
    win = make_window(qtbot, db, tmp_path)
    try:
        # The empty 项目编码 is grey (the system's): the clerk starts at 实际完成情况.
        assert win.editor.view.currentIndex() == cell(win, "goal_actual")
        qtbot.waitUntil(lambda: focus() is win.editor.view)
    finally:
        win.close()
        win.store.close()


def test_f6_cycles_list_grid_findings_and_shift_f6_goes_back(qtbot, window):
    qtbot.waitUntil(lambda: focus() is window.editor.view)
    order = []
    for _ in range(3):
        qtbot.keyClick(focus(), Qt.Key.Key_F6)
        order.append(focus())
    assert order == [window.findings.list, window.list_panel.table, window.editor.view]
    back = []
    for _ in range(3):
        qtbot.keyClick(focus(), Qt.Key.Key_F6, SHIFT)
        back.append(focus())
    assert back == [window.list_panel.table, window.findings.list, window.editor.view]


def test_f6_from_the_search_box_goes_to_the_grid(qtbot, window):
    window.list_panel.search.setFocus()
    qtbot.keyClick(window.list_panel.search, Qt.Key.Key_F6)
    assert focus() is window.editor.view


def test_tab_in_the_list_moves_focus_to_the_grid_and_opens_no_other_form(qtbot, window):
    table = window.list_panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert focus() is window.editor.view
    assert window.form_id == 1 and window.list_panel.current_id() == 1
    before = window.editor.view.currentIndex()
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)  # in the grid, Tab goes on to the next clerk cell
    assert focus() is window.editor.view and window.editor.view.currentIndex() != before


def test_redo_answers_ctrl_y_and_ctrl_shift_z_without_an_ambiguous_shortcut(qtbot, window, qtlog):
    view = select(window, "indicators[1].reason")
    window.editor.edit("indicators[1].reason", "原因")
    for redo in ((Qt.Key.Key_Y, CTRL), (Qt.Key.Key_Z, CTRL | SHIFT)):
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
        assert window.editor.form.indicators[1].reason == ""
        qtbot.keyClick(view, *redo)
        assert window.editor.form.indicators[1].reason == "原因", redo
    assert not [r.message for r in qtlog.records if "Ambiguous" in r.message]


def test_no_key_is_bound_to_two_actions(window):
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()
    assert {"Ctrl+Y", "Ctrl+Shift+Z", "F6", "Shift+F6", "Ctrl+0", "Ctrl+=", "Ctrl++", "Ctrl+-"} <= seen.keys()
