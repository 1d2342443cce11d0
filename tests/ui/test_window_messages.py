"""What the window tells the clerk, word for word: the backup target that refused a backup, the
missing database (with a temporary QSettings), the clean check, the unnamed form, the next year's
form that already exists, the form reopened, the 示例 mark, the proposed file name, and 帮助 (F1)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from core import APP_NAME
from core.profile import default_profile
from core.samples import add_samples, sample_ids
from core.store import Store
from tests.seeds import seed_form
from ui.app import parse, start
from ui.database_start import LAST_DB_KEY, missing_message
from ui.findings_panel import ALL_CLEAR
from ui.main_window import MainWindow

CODE_A = "440303241553147100001"
NAME_A = "罗湖区新开办企业“免费刻章”项目"


class Said:
    """Stands in for QMessageBox's static functions: keeps (title, text), answers Yes."""

    def __init__(self):
        self.messages: list[tuple[str, str]] = []

    def __call__(self, parent, title, text, *args, **kwargs):
        self.messages.append((title, text))
        return QMessageBox.StandardButton.Yes


@pytest.fixture
def said(monkeypatch):
    said = Said()
    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, name, said)
    return said


def settings_in(folder: Path) -> QSettings:
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, db: Path, folder: Path) -> MainWindow:
    window = MainWindow(Store(db), default_profile(), settings_in(folder))
    qtbot.addWidget(window)
    window.show()
    return window


def close(window: MainWindow) -> None:
    window.close()
    window.store.close()


def started(qtbot, settings: QSettings, default_db: Path):
    """ui.app.start as main.py runs it, waiting until the window has filled itself."""
    window, store, _ = start(parse([]), settings, default_db=default_db)
    if window is not None:
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.has_filled, timeout=5000)
    return window, store


def answer_next_box(button_text: str, seen: list[str]) -> None:
    """When the next modal message box is up, note its text and press the button `button_text`."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, press)


@pytest.fixture
def samples_db(tmp_path) -> Path:
    db = tmp_path / "forms.sqlite3"
    with Store(db) as store:
        add_samples(store)
    return db


# --- backup ---------------------------------------------------------------------------------------

def test_a_backup_the_target_refuses_names_the_backup_file_not_the_database(qtbot, tmp_path, samples_db, said,
                                                                              monkeypatch):
    blocker = tmp_path / "一个文件.txt"
    blocker.write_text("x")
    target = blocker / "备份.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window = open_window(qtbot, samples_db, tmp_path)
    window.backup()
    close(window)
    assert said.messages == [(APP_NAME, f"无法写入备份文件 {target}：路径中有一段不是文件夹而是文件；"
                                        "数据库本身没有受影响，请换一个位置保存备份")]


# --- the database used last -------------------------------------------------------------------------

def test_a_true_first_start_creates_the_database_with_the_samples_and_remembers_it(qtbot, tmp_path):
    settings = settings_in(tmp_path)
    default = tmp_path / "data" / "forms.sqlite3"
    window, store = started(qtbot, settings, default)
    assert window.store.path == default and len(store.list_forms()) == 2
    assert settings.value(LAST_DB_KEY) == str(default)
    close(window)


def _remembered_but_deleted(tmp_path: Path) -> tuple[QSettings, Path]:
    settings = settings_in(tmp_path)
    db = tmp_path / "单位数据" / "forms.sqlite3"
    db.parent.mkdir()
    with Store(db) as store:
        store.create_form(seed_form("A"))
    settings.setValue(LAST_DB_KEY, str(db))
    for path in db.parent.iterdir():  # deleted while the program was closed
        path.unlink()
    return settings, db


def test_a_deleted_database_is_said_and_an_empty_one_made_only_when_asked(qtbot, tmp_path):
    settings, db = _remembered_but_deleted(tmp_path)
    seen: list[str] = []
    answer_next_box("新建空数据库", seen)
    window, store = started(qtbot, settings, tmp_path / "default.sqlite3")
    assert seen == [f"上次使用的数据库文件不存在：\n{db}\n\n它可能已被删除、移动或改名，或者所在的U盘、网络盘没有连接。"
                    "如果只是没有连接，请先退出，连接后再打开本程序。"]
    assert seen[0] == missing_message(db)
    assert store.path == db and store.list_forms() == []  # empty: no samples slipped in
    assert not (tmp_path / "default.sqlite3").exists()
    close(window)


def test_a_deleted_database_can_be_restored_from_a_backup_in_its_place(qtbot, tmp_path, monkeypatch):
    backup = tmp_path / "U盘" / "备份.db"
    backup.parent.mkdir()
    settings, db = _remembered_but_deleted(tmp_path)
    with Store(tmp_path / "other.sqlite3") as other:
        other.create_form(replace(seed_form("B"), name="备份里的表"))
        other.backup(backup)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    seen: list[str] = []
    answer_next_box("从备份恢复…", seen)
    window, store = started(qtbot, settings, tmp_path / "default.sqlite3")
    assert seen == [missing_message(db)] and store.path == db and db.is_file()
    assert [row.name for row in store.list_forms()] == ["备份里的表"]
    close(window)


def test_another_database_file_can_be_chosen_and_is_remembered(qtbot, tmp_path, monkeypatch):
    settings, db = _remembered_but_deleted(tmp_path)
    chosen = tmp_path / "moved.sqlite3"
    with Store(chosen) as other:
        other.create_form(seed_form("A"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen), ""))
    seen: list[str] = []
    answer_next_box("选择其他数据库文件…", seen)
    window, store = started(qtbot, settings, tmp_path / "default.sqlite3")
    assert store.path == chosen and settings.value(LAST_DB_KEY) == str(chosen)
    assert not db.exists()
    close(window)


def test_quitting_at_the_missing_database_question_creates_nothing(qtbot, tmp_path):
    settings, db = _remembered_but_deleted(tmp_path)
    seen: list[str] = []
    answer_next_box("退出", seen)
    assert start(parse([]), settings, default_db=tmp_path / "default.sqlite3") == (None, None, [])
    assert seen and not db.exists() and not (tmp_path / "default.sqlite3").exists()


# --- the window's own words -------------------------------------------------------------------------

def test_a_form_without_findings_says_it_passed(qtbot, tmp_path):
    db = tmp_path / "forms.sqlite3"
    form = seed_form("A")
    clean = replace(form, indicators=tuple(
        replace(row, reason="指标值偏低，下年调整") if i == 0 else row for i, row in enumerate(form.indicators)))
    with Store(db) as store:
        store.create_form(clean)
    window = open_window(qtbot, db, tmp_path)
    assert window.editor.evaluation is not None and window.editor.evaluation.findings == ()
    assert window.findings.summary.text() == ALL_CLEAR == "审核通过，没有错误和提醒"
    assert [window.findings.list.item(i).text() for i in range(window.findings.list.count())] == [ALL_CLEAR]
    window.editor.edit("indicators[0].reason", "")  # a finding again, then cleared again by F5
    window.run_check()
    assert window.findings.summary.text().startswith("审核：0 个错误，1 个提醒")
    window.editor.edit("indicators[0].reason", "指标值偏低，下年调整")
    window.run_check()
    assert window.findings.summary.text() == ALL_CLEAR
    close(window)


def test_an_unnamed_new_form_is_called_unnamed_in_the_list_and_title(qtbot, tmp_path, samples_db, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a, **k: (items[0], True))
    window = open_window(qtbot, samples_db, tmp_path)
    window.new_form()
    assert window.form_id is not None
    row = window.list_panel.model.row_of(window.form_id)
    assert row is not None
    assert window.list_panel.model.index(row, 1).data() == "（未命名）"
    assert window.windowTitle() == f"（未命名） - {APP_NAME}"
    window.editor.edit("name", "新的项目")
    window.flush_save()
    assert window.list_panel.model.index(row, 1).data() == "新的项目"
    assert window.windowTitle() == f"新的项目 - {APP_NAME}"
    close(window)


def test_copying_to_a_next_year_that_exists_offers_to_open_that_form(qtbot, tmp_path, samples_db, said):
    window = open_window(qtbot, samples_db, tmp_path)
    window.list_panel.select(1)
    window.copy_from_last_year()
    first_copy = window.form_id
    assert window.editor.form is not None and window.editor.form.year == "2025"
    window.list_panel.select(1)
    seen: list[str] = []
    answer_next_box("打开这张表", seen)
    window.copy_from_last_year()
    assert seen == [f"项目编码 {CODE_A} 的 2025 年自评表已存在（编号 {first_copy}），没有重复复制。\n要打开这张表吗？"]
    assert said.messages == []  # an information box, not an error
    assert window.form_id == first_copy and len(window.store.list_forms()) == 3
    window.list_panel.select(1)
    answer_next_box("关闭", seen)
    window.copy_from_last_year()
    assert window.form_id == 1
    close(window)


def test_the_form_used_last_is_opened_again(qtbot, tmp_path, samples_db, said):
    window = open_window(qtbot, samples_db, tmp_path)
    assert window.form_id == 1
    window.list_panel.select(2)
    close(window)
    again = open_window(qtbot, samples_db, tmp_path)
    assert again.form_id == 2 and again.list_panel.current_id() == 2
    again.delete_form()  # the last one is gone: the first form opens next time
    close(again)
    third = open_window(qtbot, samples_db, tmp_path)
    assert third.form_id == 1
    close(third)
    other = tmp_path / "other.sqlite3"  # another database does not take this one's last form
    with Store(other) as store:
        for _ in range(3):
            store.create_form(seed_form("B"))
    settings = settings_in(tmp_path)
    settings.setValue("window/last_form", 3)
    settings.sync()
    fourth = open_window(qtbot, other, tmp_path)
    assert fourth.form_id == 1
    close(fourth)


def test_samples_are_marked_until_edited_or_deleted(qtbot, tmp_path, samples_db, said):
    window = open_window(qtbot, samples_db, tmp_path)
    model = window.list_panel.model
    names = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert names == [f"【示例】{NAME_A}", "【示例】大数据服务经费"]
    assert window.windowTitle() == f"【示例】{NAME_A} - {APP_NAME}"
    window.editor.edit("indicators[0].reason", "我们单位自己的说明")
    window.flush_save()
    assert model.index(0, 1).data() == NAME_A and window.windowTitle() == f"{NAME_A} - {APP_NAME}"
    assert model.index(1, 1).data() == "【示例】大数据服务经费"
    window.list_panel.select(2)
    assert window.windowTitle() == f"【示例】大数据服务经费 - {APP_NAME}"
    window.delete_form()
    assert sample_ids(window.store) == set()
    close(window)
    again = open_window(qtbot, samples_db, tmp_path)
    assert again.list_panel.model.index(0, 1).data() == NAME_A  # kept in the database
    close(again)


def test_opening_a_sample_without_editing_keeps_its_mark(qtbot, tmp_path, samples_db):
    window = open_window(qtbot, samples_db, tmp_path)
    window.list_panel.select(2)
    window.list_panel.select(1)
    window.save_checkpoint()  # Ctrl+S with nothing changed
    assert sample_ids(window.store) == {1, 2}
    close(window)


def test_the_save_dialog_proposes_name_code_and_year(qtbot, tmp_path, samples_db, monkeypatch):
    proposed = []

    def cancel(parent, title, path, pattern):
        proposed.append(path)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", cancel)
    window = open_window(qtbot, samples_db, tmp_path)
    window.remember_folder(str(tmp_path / "导出" / "x.xlsx"))
    assert window.export_current_xlsx() is None
    assert window.export_current_pdf() is None
    assert proposed == [str(tmp_path / "导出" / f"{NAME_A}_{CODE_A}_2024.xlsx"),
                        str(tmp_path / "导出" / f"{NAME_A}_{CODE_A}_2024.pdf")]
    close(window)


def test_f1_opens_the_help_page_with_workflow_shortcuts_and_data_location(qtbot, tmp_path, samples_db):
    window = open_window(qtbot, samples_db, tmp_path)
    assert window.act_help.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    window.act_help.trigger()
    dialog = window.help_dialog
    assert dialog.isVisible()
    text = dialog.browser.toPlainText()
    steps = ("导入或新建", "填写带 * 的单元格", "审核", "导出 xlsx 导入系统", "打印签字盖章")
    places = [text.index(f"第 {n} 步：{step}") for n, step in enumerate(steps, start=1)]
    assert places == sorted(places) and "第 6 步" not in text
    for action in (window.act_new, window.act_save, window.act_check, window.act_export_xlsx, window.act_print,
                   window.act_undo, window.act_help):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert keys and keys in text, action.text()
    assert str(samples_db) in text and window.settings.fileName() in text
    close(window)


def test_the_window_and_the_toolbar_have_icons(qtbot, tmp_path, samples_db):
    from ui.app import make_application
    from ui.icons import ACTION_ICONS

    make_application()
    window = open_window(qtbot, samples_db, tmp_path)
    assert not window.windowIcon().isNull()
    assert {size.width() for size in window.windowIcon().availableSizes()} >= {16, 32, 48, 256}
    for attribute in ACTION_ICONS:
        assert not getattr(window, attribute).icon().isNull(), attribute
    close(window)


def test_the_window_is_painted_before_it_is_filled_and_does_not_resize(qtbot, tmp_path, samples_db):
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0
        first_size = None  # as the clerk first saw it (a maximised window settles before its first paint)

        def eventFilter(self, watched, event):  # Qt's name
            if event.type() == QEvent.Type.Paint:
                Paints.count += 1
                Paints.first_size = Paints.first_size or watched.size()
            return False

    settings = settings_in(tmp_path)
    settings.setValue("window/last_form", 2)
    settings.setValue("window/last_form_db", str(samples_db))
    window, store, _ = start(parse(["--db", str(samples_db)]), settings)
    qtbot.addWidget(window)
    paints = Paints(window)
    window.installEventFilter(paints)
    assert window.isVisible() and not window.has_filled and window.editor.form is None
    seen: dict[str, Any] = {}
    window.filled.connect(lambda: seen.update(paints=Paints.count, size=window.size()))
    qtbot.waitUntil(lambda: window.has_filled, timeout=5000)
    assert seen["paints"] >= 1  # the clerk saw the window drawn, not a blank rectangle, before the fill
    # The form used last, in a window that kept the size it was first painted with.
    assert seen["size"] == Paints.first_size and window.form_id == 2
    close(window)


def test_the_collector_paused_for_start_up_is_on_again_once_the_window_is_filled(qtbot, tmp_path, samples_db):
    """main.py pauses the cycle collector while the window starts (~5 ms of collections among
    objects that all live on); a window that stayed without it would grow with every edit."""
    import gc

    gc.disable()
    try:
        window, store, _ = start(parse(["--db", str(samples_db)]), settings_in(tmp_path))
        qtbot.addWidget(window)
        assert not gc.isenabled()
        qtbot.waitUntil(lambda: window.has_filled, timeout=5000)
        assert gc.isenabled() and window.editor.form is not None
        close(window)
    finally:
        gc.enable()
