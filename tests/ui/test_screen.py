"""The window on any screen: where it opens, zoom and 适应宽度, the list's columns in a narrow pane,
rows that stay a readable height. The first-geometry function itself is in test_geometry.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QHelpEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from core.profile import default_profile
from core.store import Store
from tests.conftest import ROOT
from tests.ui.test_main_window import make_window
from ui.form_view import MAX_ROW_LINES
from ui.main_window import MainWindow
from ui.zoom import ZOOM_LEVELS, zoom_step

CTRL = Qt.KeyboardModifier.ControlModifier


# -- the first start on real screen sizes (a child process per simulated screen) -----------------------

def first_start(tmp_path, width: int, height: int, scale: str = "1") -> dict:
    """Open the real window for the first time on a width×height screen at `scale` (QT_SCALE_FACTOR)."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale)
    result = subprocess.run([sys.executable, "-m", "tests.ui.screen_probe", str(tmp_path / "f.sqlite3"),
                             str(tmp_path / "w.ini")], cwd=ROOT, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_everything_in_reach(report: dict) -> None:
    assert report["window_on_screen"], report["window"]
    assert report["status_bar_on_screen"] and report["score_label_on_screen"]  # 总分 and 已保存
    assert report["findings_on_screen"]
    columns = report["list_columns"]
    for name in ("项目名称", "状态", "总分"):  # in the list without scrolling sideways
        assert not columns[name]["hidden"], name
        assert columns[name]["x"] >= 0 and columns[name]["x"] + columns[name]["width"] <= report["list_viewport_width"]
    assert columns["项目名称"]["width"] >= 100
    assert report["list_scroll_max"] == 0
    assert report["grid_columns_width"] <= report["grid_viewport_width"] and report["grid_scroll_max"] == 0
    assert report["focus_in_grid"] and report["current"] == "indicators[0].reason"


@pytest.mark.parametrize(("width", "height", "scale"), [(1366, 768, "1"), (1920, 1080, "1.5")])
def test_on_a_small_screen_the_window_opens_maximised_with_everything_in_reach(tmp_path, width, height, scale):
    report = first_start(tmp_path, width, height, scale)
    assert report["maximised"] and report["fit_width"]
    assert_everything_in_reach(report)


def test_on_a_large_screen_the_window_opens_at_a_size_that_fits(tmp_path):
    report = first_start(tmp_path, 1920, 1080)
    assert not report["maximised"] and report["fit_width"]
    x, y, width, height = report["window"]
    assert width >= 1600 and height >= 900
    assert_everything_in_reach(report)


def test_a_placement_remembered_on_a_larger_screen_is_replaced(qtbot, tmp_path, answers, seed_a):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/placement", "300 200 1800 1000 0 1.0")  # saved on a bigger monitor
    settings.setValue("window/geometry", b"\x01\xd9\xd0\xcb")  # what older versions kept: ignored
    settings.sync()
    with Store(tmp_path / "f.sqlite3"):
        pass
    win = make_window(qtbot, tmp_path / "f.sqlite3", tmp_path)
    try:
        area = win.screen().availableGeometry()
        assert win.isMaximized() and area.contains(win.normalGeometry())
    finally:
        win.close()
        win.store.close()


# -- zoom and fit to width -----------------------------------------------------------------------

def point_size(window) -> float:
    return window.editor.view.font().pointSizeF()


def test_zoom_keys_step_the_grid_and_ctrl_0_resets_it(qtbot, window):
    view = window.editor.view
    base, row_height = point_size(window), view.rowHeight(10)
    qtbot.keyClick(view, Qt.Key.Key_Plus, CTRL)
    assert window.zoom.zoom == 110 and point_size(window) == pytest.approx(base * 1.1)
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)  # Ctrl+= : the plus key without Shift
    assert window.zoom.zoom == 125 and view.rowHeight(10) > row_height
    assert window.zoom.label.text() == "125%"
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    assert window.zoom.zoom == 80 and point_size(window) == pytest.approx(base * 0.8)
    qtbot.keyClick(view, Qt.Key.Key_0, CTRL)
    assert window.zoom.zoom == 100 and point_size(window) == pytest.approx(base)
    assert window.editor.model.index(0, 0).data(Qt.ItemDataRole.FontRole).pointSizeF() == 15  # the title too


def test_ctrl_wheel_zooms_and_a_plain_wheel_scrolls(qtbot, window):
    view = window.editor.view

    def wheel(delta: int, modifiers=CTRL) -> None:
        event = QWheelEvent(QPointF(50, 50), QPointF(view.viewport().mapToGlobal(QPoint(50, 50))), QPoint(0, 0),
                            QPoint(0, delta), Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)

    wheel(120)
    assert window.zoom.zoom == 110
    wheel(-240)
    assert window.zoom.zoom == 90
    for _ in range(3):
        wheel(40)  # a touchpad: three small steps make one notch
    assert window.zoom.zoom == 100
    view.verticalScrollBar().setValue(0)
    wheel(-120, Qt.KeyboardModifier.NoModifier)
    assert window.zoom.zoom == 100 and view.verticalScrollBar().value() > 0


def columns_width(view) -> int:
    return sum(view.columnWidth(c) for c in range(view.model().columnCount()))


def test_fit_to_width_keeps_every_column_in_the_window_at_any_zoom(qtbot, window):
    view = window.editor.view
    assert window.zoom.act_fit.isChecked()  # on by default
    for percent in (100, 150, 200):
        window.zoom.set_zoom(percent)
        QApplication.processEvents()
        assert columns_width(view) <= view.viewport().width() and view.horizontalScrollBar().maximum() == 0
    window.zoom.act_fit.trigger()  # off: the columns keep their size and the grid scrolls
    QApplication.processEvents()
    assert columns_width(view) > view.viewport().width() and view.horizontalScrollBar().maximum() > 0
    window.zoom.act_fit.trigger()
    assert columns_width(view) <= view.viewport().width()


def test_zoom_and_fit_to_width_are_remembered(qtbot, window, tmp_path):
    window.zoom.set_zoom(150)
    window.zoom.act_fit.trigger()
    window.close()
    window.store.close()
    again = make_window(qtbot, window.store.path, tmp_path)
    try:
        assert again.zoom.zoom == 150 and not again.zoom.act_fit.isChecked()
        assert again.editor.view.font().pointSizeF() == pytest.approx(point_size(window) or 1.5 * 9, rel=0.5)
    finally:
        again.close()
        again.store.close()


def test_zoom_steps_stop_at_the_ends():
    assert zoom_step(100, 1) == 110 and zoom_step(100, -1) == 90 and zoom_step(100, 3) == 150
    assert zoom_step(ZOOM_LEVELS[-1], 1) == ZOOM_LEVELS[-1] and zoom_step(ZOOM_LEVELS[0], -5) == ZOOM_LEVELS[0]
    assert zoom_step(105, 1) == 110 and zoom_step(105, -1) == 100  # a zoom between steps goes to the next


# -- the list in a narrow pane --------------------------------------------------------------------

def test_the_list_shows_name_status_and_total_without_scrolling_sideways(qtbot, window):
    table = window.list_panel.table
    for width in (260, 380, 900):
        window.splitter.setSizes([width, 1366 - width])
        QApplication.processEvents()
        visible = {table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(7)
                   if not table.isColumnHidden(c)
                   and table.columnViewportPosition(c) + table.columnWidth(c) <= table.viewport().width()}
        assert {"项目名称", "状态", "总分"} <= visible, width
        assert table.horizontalScrollBar().maximum() == 0
    assert not table.isColumnHidden(0) and not table.isColumnHidden(3)  # wide: code and unit too
    code = table.model().index(0, 0)
    assert code.data(Qt.ItemDataRole.ToolTipRole) == "440303241553147100001"
    assert "440303241553147100001" in table.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)


def test_the_list_measures_its_columns_once_for_new_rows_and_an_empty_list_settles(qtbot, tmp_path, answers,
                                                                                 monkeypatch):
    """Each fitting measures the rows in view (~6 ms for a full list): 60 new rows, more than the
    list shows, are measured once, not again when their scroll bar would appear; an empty list does
    not refit itself over and over."""
    from dataclasses import replace

    from tests.seeds import seed_form

    with Store(tmp_path / "many.sqlite3") as store:
        for n in range(60):
            store.create_form(replace(seed_form("B"), code=f"4403032415531474{n:05d}", name=f"项目{n}"))
    # As ui.app starts it: the window shown empty, then filled.
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Store(tmp_path / "many.sqlite3"), default_profile(), settings, fill=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(100)
    table = window.list_panel.table
    fits: list[int] = []
    fit = type(table).fit_columns

    def counted(self) -> None:
        fits.append(self.model().rowCount())
        fit(self)

    monkeypatch.setattr(type(table), "fit_columns", counted)
    window.fill()
    qtbot.wait(100)
    assert table.verticalScrollBar().maximum() > 0  # more rows than the list shows
    assert fits == [60]
    window.close()
    window.store.close()
    fits.clear()
    empty = make_window(qtbot, tmp_path / "empty.sqlite3", tmp_path)
    qtbot.wait(200)
    assert 1 <= len(fits) <= 3 and set(fits) == {0}
    empty.close()
    empty.store.close()


def test_opening_a_form_measures_each_row_once(qtbot, window, monkeypatch):
    view = window.editor.view
    measured: list[int] = []
    size_hint = type(view).sizeHintForRow

    def counted(self, row: int) -> int:
        measured.append(row)
        return size_hint(self, row)

    monkeypatch.setattr(type(view), "sizeHintForRow", counted)
    other = next(row.id for row in window.store.list_forms() if row.id != window.form_id)
    window.list_panel.select(other)
    qtbot.wait(100)
    assert window.form_id == other
    assert sorted(measured) == list(range(view.model().rowCount()))


# -- long text: capped rows, whole text in the editor and the tooltip -----------------------------

def test_a_5000_character_reason_keeps_its_row_about_six_lines_tall(qtbot, window):
    text = "原因说明" * 1250
    window.editor.edit("indicators[1].reason", text)
    view, index = window.editor.view, window.editor.model.index_of("indicators[1].reason")
    line = view.fontMetrics().lineSpacing()
    assert 4 * line < view.rowHeight(index.row()) <= MAX_ROW_LINES * line + 10
    assert view.text_clipped(index)
    tip = view.tooltip_for(index)
    assert text in tip
    QApplication.sendEvent(view.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, view.visualRect(index).center(),
                                                       view.viewport().mapToGlobal(view.visualRect(index).center())))
    assert text in QToolTip.text()
    short = window.editor.model.index_of("indicators[0].actual")
    assert not view.text_clipped(short) and view.tooltip_for(short) == short.data(Qt.ItemDataRole.ToolTipRole)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == text
    assert editor.height() > view.rowHeight(index.row()) and view.viewport().rect().contains(editor.geometry())


def test_a_number_elided_in_a_narrow_column_shows_whole_in_the_tooltip(qtbot, window):
    view, index = window.editor.view, window.editor.model.index_of("fund_rows[0].annual_budget")
    view.setColumnWidth(index.column(), 300)
    assert not view.text_clipped(index)
    view.setColumnWidth(index.column(), view.fontMetrics().horizontalAdvance("4560"))
    assert view.text_clipped(index) and "4560000.00" in view.tooltip_for(index)


def test_models_pass_the_model_tester_after_zoom_and_long_text(qtmodeltester, window):
    window.zoom.set_zoom(150)
    window.editor.edit("indicators[1].reason", "长" * 3000)
    qtmodeltester.check(window.editor.model)
    qtmodeltester.check(window.list_panel.proxy)
