"""The settings and history dialogs, on a real store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QMessageBox

from core.fields import with_value
from core.store import Store
from core.store.unit_settings import UnitSettings
from tests.seeds import seed_form
from ui.history_dialog import HistoryDialog
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "forms.sqlite3") as store:
        yield store


def test_settings_are_kept_in_the_store(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.preparer.setText("张三")
    dialog.phone.setText("0755-12345678")
    dialog.unit_leader.setText("李四")
    dialog.protect.setChecked(True)
    dialog.accept()
    settings = UnitSettings.from_store(store)
    assert (settings.preparer, settings.phone, settings.unit_leader, settings.protect_sheet) == (
        "张三", "0755-12345678", "李四", True)


def test_a_malformed_rule_profile_is_refused_with_the_reason(qtbot, store, tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text("weights = 1", encoding="utf-8")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: said.append(a[2]))
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.rule_profile.setText(str(bad))
    dialog.accept()
    assert dialog.profile is None and "已改用内置规则" in said[0]
    assert UnitSettings.from_store(store).rule_profile == ""


def test_a_shipped_regional_profile_is_offered_and_chosen_for_every_form(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    names = [dialog.shipped_rules.itemText(i) for i in range(dialog.shipped_rules.count())]
    assert names[0].startswith("按表的版式自动选用") and any(n.startswith("四川") for n in names)
    sichuan = next(i for i, n in enumerate(names) if n.startswith("四川"))
    dialog.shipped_rules.setCurrentIndex(sichuan)
    dialog.shipped_rules.activated.emit(sichuan)
    assert dialog.rule_profile.text() == "profiles/sichuan"  # a name: it survives the program moving
    dialog.accept()
    assert dialog.profile is not None and dialog.profile.for_layout("A") is dialog.profile  # chosen: not by layout
    assert dialog.profile.funds_reason_below == Decimal(90)
    again = SettingsDialog(store)
    qtbot.addWidget(again)
    assert again.shipped_rules.currentIndex() == sichuan  # the dialog shows what is in force


def test_history_lists_revisions_shows_changes_and_restores(qtbot, store, monkeypatch):
    form = seed_form("A")
    form_id = store.create_form(form)
    for score in ("14", "13", "12"):
        form = with_value(form, "indicators[1].score", Decimal(score))
        store.save(form_id, form, checkpoint=True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog = HistoryDialog(store, form_id)
    qtbot.addWidget(dialog)
    # A new form's first revision stays open until the first explicit save seals it.
    assert dialog.list.count() == len(store.revisions(form_id)) == 3
    dialog.list.setCurrentRow(dialog.list.count() - 1)  # the first revision
    assert "第 2 个指标的得分：“14” → “12”" in dialog.detail.toPlainText()
    dialog.restore_button.click()
    assert dialog.restored == 1
    assert store.form(form_id).indicators[1].score == Decimal(14)


def test_qt_standard_buttons_speak_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from ui.app import _load_qt_translation

    _load_qt_translation(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_the_print_preview_renders_ten_thousand_unbroken_characters_within_bounds():
    """The preview draws the PDF's own pages (pdfium): bounded for long unbroken text too."""
    from tests.hostile import LONG_TEXT_PDF, run_python_bounded

    code = LONG_TEXT_PDF + """
from PySide6.QtWidgets import QApplication
from ui.pdf_actions import page_images
app = QApplication([])
images = page_images(long_text_pdf(10_000, "url"), 96)
print(len(images), all(not image.isNull() for image in images))
"""
    result = run_python_bounded(code)
    assert result.returncode == 0, result.stderr
    count, ok = result.stdout.split()
    assert int(count) >= 1 and ok == "True"


def test_signing_details_that_cannot_be_kept_are_said_and_still_used(qtbot, tmp_path, monkeypatch, seed_a):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from core.importing import import_file
    from core.store import Store
    from ui.pdf_actions import SigningDialog, ask_signing

    db = tmp_path / "forms.sqlite3"
    with Store(db) as store:
        (result,) = import_file(store, seed_a).results
    said = []
    monkeypatch.setattr(SigningDialog, "exec", lambda self: (self.preparer.setText("李四"), 1)[1])
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    with Store(db, read_only=True) as read_only:  # e.g. the window lost its write access
        options = ask_signing(parent, read_only, result.id, has_errors=False)
    assert options is not None and options.preparer == "李四"
    assert len(said) == 1 and "没能保存" in said[0] and "这一次仍按您刚填写的内容生成" in said[0]
