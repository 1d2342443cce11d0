"""审核 → 汇总表 in the real window on a real database, driven offscreen."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog

from core.model import STATUSES
from core.numbers import from_cell_number
from core.store import Store
from core.summary.table import COLUMNS, SummaryScope, cell_text, footer_rows, summarize
from core.summary.xlsx import FIRST_ROW, SHEET_TITLE
from tests.pdf_support import page_texts, squeeze
from tests.summary_forms import known_forms
from tests.ui.test_main_window import make_window
from ui.summary_model import FORM_ID_ROLE

D = Decimal
SCORE = next(i for i, c in enumerate(COLUMNS) if c.key == "total_score")
RATE = next(i for i, c in enumerate(COLUMNS) if c.key == "rate")
CODE = next(i for i, c in enumerate(COLUMNS) if c.key == "code")


@pytest.fixture
def window(qtbot, tmp_path, answers):
    """The main window on the four known forms of 2024 (seed A marked 已审核) and one of 2023."""
    db = tmp_path / "forms.sqlite3"
    with Store(db) as store:
        ids = [store.create_form(form) for form in known_forms()]
        store.set_status(ids[0], STATUSES[1])
        store.create_form(replace(known_forms()[0], year="2023", code="440303231553147100001"))
    win = make_window(qtbot, db, tmp_path)
    yield win
    if win.summary_dialog is not None:
        win.summary_dialog.close()
    win.close()
    win.store.close()


@pytest.fixture
def dialog(window):
    return window.show_summary()


def column(dialog, col: int) -> list[str]:
    return [dialog.proxy.index(r, col).data() for r in range(dialog.proxy.rowCount())]


def footer_texts(dialog) -> list[list[str]]:
    model = dialog.footer_model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_menu_opens_the_summary_of_the_open_forms_year(window, dialog):
    assert window.act_summary in window.menuBar().actions()[3].menu().actions()
    assert window.act_summary.isEnabled()
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.year.currentText() == "2024" and [dialog.year.itemText(i) for i in range(2)] == ["2024", "2023"]
    assert dialog.model.rowCount() == 4


def test_every_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    qtmodeltester.check(dialog.footer_model)


def test_the_pinned_totals_show_what_the_files_print(dialog):
    expected = [[cell_text(v, c, footer=True) for v, c in zip(row, COLUMNS, strict=False)]
                for row in footer_rows(dialog.summary)]
    assert footer_texts(dialog) == expected
    total, average, weighted = footer_texts(dialog)
    assert total[:8] == ["合计（共 4 张表）", "", "", "", "10,050,000.00", "10,405,000.00", "9,739,826.00", "93.61"]
    assert total[10:12] == ["优 2、良 1、中 1、差 0", "2 张有错误"]
    assert average[SCORE] == "86.64" and weighted[SCORE] == "97.05"
    assert dialog.footer.columnSpan(0, 0) == 4
    # Pinned: a separate view under the table, which scrolls alone.
    assert dialog.footer.isVisible() and dialog.footer.parent() is not dialog.table.viewport()
    dialog.table.scrollToBottom()
    assert dialog.footer.isVisible()
    for col in range(len(COLUMNS)):
        assert dialog.footer.columnWidth(col) == dialog.table.columnWidth(col)
    dialog.table.horizontalHeader().resizeSection(2, 333)
    assert dialog.footer.columnWidth(2) == 333
    assert dialog.unit_label.text().startswith("单位：元")


def test_sorting_orders_numbers_by_value_and_puts_a_missing_rate_last(dialog):
    dialog.table.sortByColumn(SCORE, Qt.SortOrder.AscendingOrder)
    assert column(dialog, SCORE) == ["67.50", "80.00", "99.23", "99.83"]
    dialog.table.sortByColumn(SCORE, Qt.SortOrder.DescendingOrder)
    assert column(dialog, SCORE) == ["99.83", "99.23", "80.00", "67.50"]
    dialog.table.sortByColumn(RATE, Qt.SortOrder.AscendingOrder)
    assert column(dialog, RATE) == ["75.00", "92.33", "98.28", "—"]
    assert footer_texts(dialog)[0][0] == "合计（共 4 张表）"  # the totals stay where they are


def test_scope_controls_choose_unit_supervisor_status_and_year(dialog):
    dialog.unit.setCurrentText("深圳市罗湖区档案馆")
    assert column(dialog, CODE) == ["440303241553147100002", "440303241553147100003"]
    assert footer_texts(dialog)[0][0] == "合计（共 2 张表）"
    dialog.unit.setCurrentText("全部")
    dialog.supervisor.setCurrentText("深圳市罗湖区政务服务和数据管理局（本级）")
    assert column(dialog, CODE) == ["440303241553147400008"]
    dialog.supervisor.setCurrentText("全部")
    dialog.status.setCurrentText("已审核")
    assert column(dialog, CODE) == ["440303241553147100001"]
    dialog.status.setCurrentText("全部")
    dialog.year.setCurrentText("2023")
    assert column(dialog, CODE) == ["440303231553147100001"]
    assert dialog.grades.counts == (("优", 1), ("良", 0), ("中", 0), ("差", 0))


def test_grade_bars_are_drawn_in_proportion_to_the_counts(qtbot, dialog):
    assert dialog.grades.counts == (("优", 2), ("良", 1), ("中", 1), ("差", 0))
    best, good, middle, poor = dialog.grades.bar_rects()
    assert best.height() == pytest.approx(2 * good.height()) and good.height() == pytest.approx(middle.height())
    assert poor.height() == 0 and best.bottom() == pytest.approx(poor.bottom())
    image = dialog.grades.grab().toImage()
    centre = best.center().toPoint()
    assert image.pixelColor(centre).name() == "#3c8d5a"  # the 优 bar is painted where it is said to be
    assert dict(dialog.scores.counts)["95–100"] == 2


def test_a_double_click_opens_the_form_in_the_main_window(qtbot, window, dialog):
    assert window.form_id == 1
    row = column(dialog, CODE).index("440303241553147100003")
    index = dialog.proxy.index(row, CODE)
    rect = dialog.table.visualRect(index)
    # A real double click: press and release, then the double-click event (Qt 6's view wants the press).
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert index.data(FORM_ID_ROLE) == 4
    assert window.form_id == 4 and window.editor.form.name == "有审核错误的项目"
    assert window.list_panel.current_id() == 4


def test_an_edit_in_the_main_window_shows_when_the_summary_is_opened_again(qtbot, window, dialog):
    dialog.close()  # the clerk closes it, fixes a form, and opens it again
    window.list_panel.select(4)
    window.editor.edit("indicators[5].reason", "受疫情影响，活动延期。")
    window.editor.edit("indicators[5].score", "30")
    again = window.show_summary()  # no wait for the autosave: the summary saves first
    assert again is dialog and dialog.isVisible()
    scores = dict(zip(column(dialog, CODE), column(dialog, SCORE), strict=False))
    assert scores["440303241553147100003"] == "97.50"
    assert footer_texts(dialog)[0][11] == "1 张有错误"


def test_exports_write_what_the_view_shows(qtbot, monkeypatch, tmp_path, dialog):
    from ui.pdf_actions import SigningDialog

    dialog.status.setCurrentText("填报中")
    xlsx = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    dialog.export_xlsx.click()
    ws = openpyxl.load_workbook(xlsx)[SHEET_TITLE]
    assert ws.cell(FIRST_ROW + 3, 1).value == "合计（共 3 张表）"  # seed B and the two of 档案馆
    assert from_cell_number(ws.cell(FIRST_ROW + 3, 6).value) == D("5845000.00")
    pdf = tmp_path / "汇总"  # the dialog adds the missing .pdf
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    monkeypatch.setattr(SigningDialog, "exec", lambda self: 1)
    dialog.export_pdf.click()
    text = squeeze(page_texts(tmp_path / "汇总.pdf")[0])
    assert "合计（共3张表）" in text and "状态：填报中" in text
    assert dialog.exported.full_text == f"已导出：{tmp_path / '汇总.pdf'}" == dialog.exported.toolTip()
    dialog.status.setCurrentText("全部")  # another view: what was exported is no longer said
    assert dialog.exported.text() == "" and dialog.exported.toolTip() == ""


def test_a_long_export_path_does_not_widen_the_dialog(qtbot, monkeypatch, tmp_path, dialog):
    dialog.resize(1200, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    width = dialog.width()
    deep = tmp_path.joinpath(*["很长的文件夹名称" * 3] * 4)
    deep.mkdir(parents=True)
    target = deep / ("汇总表" * 20 + ".xlsx")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.export_xlsx.click()
    qtbot.wait(50)
    assert target.is_file() and dialog.exported.toolTip().endswith(target.name)
    assert dialog.width() == width and dialog.sizeHint().width() <= width
    shown = dialog.exported.text()
    assert "…" in shown and shown.startswith("已导出：") and shown.endswith(".xlsx")
    assert dialog.exported.fontMetrics().horizontalAdvance(shown) <= dialog.exported.width()


def test_exports_are_off_when_nothing_is_in_scope(dialog):
    dialog.unit.setCurrentText("深圳市罗湖区档案馆")
    dialog.status.setCurrentText("已导出")
    assert dialog.model.rowCount() == 0 and not dialog.export_xlsx.isEnabled() and not dialog.export_pdf.isEnabled()
    assert footer_texts(dialog)[0][0] == "合计（共 0 张表）"
    summary = summarize([], SummaryScope("2024"), ("优", "良", "中", "差"))
    assert dialog.summary.totals == summary.totals
    assert dialog.table.indexAt(dialog.table.rect().center()) == QModelIndex()


def test_on_a_1366_pixel_screen_every_number_shows_and_long_names_give_way(qtbot, window):
    window.store.create_form(replace(known_forms()[1], code="440303241553147199999", name="很长的项目名称" * 12,
                                     implementing_unit="深圳市罗湖区某某很长的单位名称" * 4))
    dialog = window.show_summary()
    dialog.resize(1229, 700)  # the dialog's size on a 1366×768 screen
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.table.viewport().width() < 1229)
    table, header = dialog.table, dialog.table.horizontalHeader()
    widths = [table.columnWidth(c) for c in range(len(COLUMNS))]
    assert sum(widths) <= table.viewport().width(), widths
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    for col, spec in enumerate(COLUMNS):  # every number and word is whole outside the three text columns
        if spec.key not in ("code", "name", "implementing_unit"):
            assert widths[col] >= table.sizeHintForColumn(col), spec.header
    assert [dialog.footer.columnWidth(c) for c in range(len(COLUMNS))] == widths
    long_row = column(dialog, CODE).index("440303241553147199999")
    name = dialog.proxy.index(long_row, COLUMNS.index(next(c for c in COLUMNS if c.key == "name")))
    assert name.data(Qt.ItemDataRole.ToolTipRole) == "很长的项目名称" * 12
    dialog.resize(2400, 700)  # room for all: the name gets its 260 pixels back
    qtbot.waitUntil(lambda: table.columnWidth(2) >= 260)
    assert header.sectionSize(2) >= 260
