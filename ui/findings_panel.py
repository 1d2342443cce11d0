"""The 审核 panel: errors first, then warnings; clicking one jumps to its cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from core.checks import Evaluation
from ui.icons import icon

ALL_CLEAR = "审核通过，没有错误和提醒"


class FindingsPanel(QWidget):
    jumpTo = Signal(str)  # field path

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel(self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self._shown: tuple | None = None  # the findings listed; None: no form shown yet
        self._latest: Evaluation | None = None
        # Cells are marked at once; the list (word-wrapped, possibly hundreds of lines) is rebuilt
        # once typing pauses, so a keystroke never waits for it.
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(120)
        self._refresh.timeout.connect(lambda: self.show_evaluation(self._latest))

    def show_later(self, evaluation: Evaluation | None) -> None:
        self._latest = evaluation
        self._refresh.start()

    def show_evaluation(self, evaluation: Evaluation | None) -> None:
        self._refresh.stop()
        self._latest = evaluation
        findings = None if evaluation is None else evaluation.errors + evaluation.warnings
        if findings == self._shown:
            return  # typing in a cell rarely changes the findings: keep the list (and its scroll) as is
        self._shown = findings
        self.list.clear()
        if evaluation is None:
            self.summary.setText("")
            return
        if not findings:
            # Said in the list itself too, where the eye looks for problems: an empty list reads as broken.
            self.summary.setText(ALL_CLEAR)
            item = QListWidgetItem(icon("ok"), ALL_CLEAR)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            return
        # Our own marks (resources/icons): QStyle's standard icons cost ~4 ms of start-up to import.
        icons = {"error": icon("error"), "warning": icon("warning")}
        for finding in findings:
            where = f"[{finding.cell}] " if finding.cell else ""
            item = QListWidgetItem(icons[finding.level], f"{where}{finding.message}")
            item.setData(Qt.ItemDataRole.UserRole, finding.field)
            item.setToolTip(f"{finding.rule}：{finding.message}")
            self.list.addItem(item)
        errors, warnings = len(evaluation.errors), len(evaluation.warnings)
        self.summary.setText(f"审核：{errors} 个错误，{warnings} 个提醒（点击可跳到对应单元格）")

    def _activated(self, item: QListWidgetItem) -> None:
        field = item.data(Qt.ItemDataRole.UserRole)
        if field:
            self.jumpTo.emit(field)
