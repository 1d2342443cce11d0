"""历史版本: the revisions of a form, what each changed, and restoring one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox,
                               QPlainTextEdit, QPushButton, QVBoxLayout)

from core.store import REVISION_REASONS, SEAL_REASONS, StoreError
from core.fields import field_label
from ui.form_model import editable_text



def _shown(value) -> str:
    text = editable_text(value)
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”" if text else "（空）"


def describe(change) -> str:
    """One change between two revisions, as a clerk reads it."""
    return f"{field_label(change.path)}：{_shown(change.before)} → {_shown(change.after)}"


class HistoryDialog(QDialog):
    def __init__(self, store, form_id: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("历史版本")
        self.resize(820, 520)
        self.store, self.form_id = store, form_id
        self.restored: int | None = None
        self.list = QListWidget(self)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.restore_button = QPushButton("恢复到此版本", self)
        self.restore_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addWidget(self.detail, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(buttons)
        self.revisions = store.revisions(form_id)
        self.current = self.revisions[-1].number if self.revisions else None
        for info in reversed(self.revisions):
            when = info.updated[:19].replace("T", " ")
            text = f"第 {info.number} 版  {REVISION_REASONS.get(info.reason, info.reason)}  {when}"
            if info.restored_from:
                text += f"（恢复自第 {info.restored_from} 版）"
            if info.sealed:
                text += f"，{SEAL_REASONS.get(info.sealed, info.sealed)}时保存"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, info.number)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._selected)
        self.restore_button.clicked.connect(self._restore)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _selected(self, item) -> None:
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        self.restore_button.setEnabled(number != self.current)
        try:
            changes = self.store.compare(self.form_id, number, self.current) if number != self.current else ()
        except StoreError as exc:
            self.detail.setPlainText(str(exc))
            return
        if number == self.current:
            self.detail.setPlainText("这是当前版本。")
        elif not changes:
            self.detail.setPlainText("与当前版本相同。")
        else:
            lines = [f"从第 {number} 版到当前版本的变化（共 {len(changes)} 处）："]
            lines += [f"· {describe(change)}" for change in changes]
            self.detail.setPlainText("\n".join(lines))

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(self, "恢复历史版本", f"把表恢复到第 {number} 版？当前内容会作为一个版本保留在历史中。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.restore(self.form_id, number)
        except StoreError as exc:
            QMessageBox.critical(self, "恢复历史版本", str(exc))
            return
        self.restored = number
        self.accept()
