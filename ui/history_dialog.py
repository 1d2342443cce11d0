"""历史版本: the revisions of a form, what each changed and when, and restoring one.

Each revision is listed by what it changed since the one before and how it was kept:
"第 5 版  修改 3 处：实际完成情况、第 2 个指标的得分、第 2 个指标的偏差原因（10:42 自动保存）".
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from core.fields import field_label
from core.form_diff import Change, diff_forms
from core.layouts import sheet_field_label
from core.model import Form, FundRow, Indicator
from core.store import REVISION_REASONS, StoreError
from ui.form_model import editable_text

# How a revision was kept: still open (autosaved while typing), or sealed by one of these.
KEPT_BY = {None: "自动保存", "save": "保存", "export": "导出", "import": "导入", "restore": "恢复"}
SHOWN_FIELDS = 3  # fields named in a summary line before "等"


def _shown(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Indicator):  # a whole row added or removed: named by its indicator
        value = value.level3 or value.level2 or value.level1
    elif isinstance(value, FundRow):
        value = value.label
    text = editable_text(value)
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”" if text else "（空）"


def change_label(path: str, form: Form | None = None) -> str:
    """The changed field as the clerk finds it on her sheet (`form`: the form it belongs to)."""
    whole_row = re.fullmatch(r"indicators\[(\d+)\]", path)
    if whole_row:
        return f"第 {int(whole_row.group(1)) + 1} 个指标（整行）"
    return field_label(path) if form is None else sheet_field_label(form, path)


def describe(change, form: Form | None = None) -> str:
    """One change between two revisions, as a clerk reads it."""
    return f"{change_label(change.path, form)}：{_shown(change.before)} → {_shown(change.after)}"


def when_text(stamp: str, today: date) -> str:
    """"10:42" today, "3月1日 10:42" this year, "2024年3月1日 10:42" before."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if moment.date() == today:
        return clock
    day = f"{moment.month}月{moment.day}日 {clock}"
    return day if moment.year == today.year else f"{moment.year}年{day}"


def changes_text(changes, form: Form | None = None) -> str:
    if not changes:
        return "没有修改"
    labels = list(dict.fromkeys(change_label(change.path, form) for change in changes))
    named = "、".join(labels[:SHOWN_FIELDS]) + ("等" if len(labels) > SHOWN_FIELDS else "")
    return f"修改 {len(changes)} 处：{named}"


def revision_text(info, changes, today: date, form: Form | None = None) -> str:
    """The list line of one revision; `changes` are those since the revision before (None for the
    first); `form` is the revision's own state, whose sheet names the fields."""
    reason = REVISION_REASONS.get(info.reason, info.reason)
    if changes is None:
        what = reason  # 新建, 导入, 复制上年
    elif info.reason == "edit":
        what = changes_text(changes, form)
    elif info.reason == "restore" and info.restored_from:
        what = f"恢复到第 {info.restored_from} 版，{changes_text(changes, form)}"
    else:
        what = f"{reason}，{changes_text(changes, form)}"
    kept = KEPT_BY.get(info.sealed, info.sealed)
    when = when_text(info.updated, today)
    return f"第 {info.number} 版  {what}（{when}{'' if kept in what else ' ' + kept}）"


class HistoryDialog(QDialog):
    def __init__(self, store, form_id: int, parent=None, today: date | None = None):
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
        today = today or date.today()
        self.current_form: Form | None = None  # set by _lines: the newest revision's form
        lines = self._lines(today)
        for info in reversed(self.revisions):
            item = QListWidgetItem(lines[info.number])
            item.setToolTip(f"开始于 {when_text(info.created, today)}，最后写入 {when_text(info.updated, today)}")
            item.setData(Qt.ItemDataRole.UserRole, info.number)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._selected)
        self.restore_button.clicked.connect(self._restore)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _lines(self, today: date) -> dict[int, str]:
        """Each revision's list line, from the change since the revision before it."""
        lines, before = {}, None
        for info in self.revisions:
            try:
                form = self.store.revision_form(self.form_id, info.number)
            except StoreError:
                form = None
            changes: tuple[Change, ...] | None = (diff_forms(before, form) if before is not None and form is not None
                                                  else None)
            lines[info.number] = revision_text(info, changes, today, form)
            before = form
        self.current_form = before  # the newest revision is the form as it is now
        return lines

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
            lines += [f"· {describe(change, self.current_form)}" for change in changes]
            self.detail.setPlainText("\n".join(lines))

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(self, "恢复历史版本",
                                      f"把表恢复到第 {number} 版？当前内容会作为一个版本保留在历史中。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.restore(self.form_id, number)
        except StoreError as exc:
            QMessageBox.critical(self, "恢复历史版本", str(exc))
            return
        self.restored = number
        self.accept()
