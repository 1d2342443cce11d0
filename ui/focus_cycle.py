"""F6 / Shift+F6: move the keyboard focus between the window's panes (list → grid → findings),
as Office and Qt Creator do; Tab in the list goes on to the grid instead of walking the list's cells."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget


class PaneCycle(QObject):
    """`panes`: (pane, widget to focus in it) in cycle order. A pane hidden or collapsed is skipped."""

    def __init__(self, window: QWidget, panes: list[tuple[QWidget, QWidget]]):
        super().__init__(window)
        self.panes = panes
        self.act_next = QAction("下一个窗格", window)
        self.act_next.setShortcut(QKeySequence("F6"))
        self.act_next.setStatusTip("在表清单、表格和审核结果之间切换（F6，反向 Shift+F6）")
        self.act_previous = QAction("上一个窗格", window)
        self.act_previous.setShortcut(QKeySequence("Shift+F6"))
        for action in (self.act_next, self.act_previous):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)  # works with the menu bar hidden too
        self.act_next.triggered.connect(lambda: self.move(1))
        self.act_previous.triggered.connect(lambda: self.move(-1))
        targets = [target for _, target in panes]
        for target in targets:
            if isinstance(target, QAbstractItemView) and target is targets[0]:
                target.setTabKeyNavigation(False)  # Tab leaves the list for the grid
        for first, second in pairwise(targets):
            QWidget.setTabOrder(first, second)

    def actions(self) -> list[QAction]:
        return [self.act_next, self.act_previous]

    def current(self) -> int | None:
        """The pane holding the keyboard focus (an open cell editor counts as the grid)."""
        focus = QApplication.focusWidget()
        for number, (pane, _) in enumerate(self.panes):
            if focus is not None and (focus is pane or pane.isAncestorOf(focus)):
                return number
        return None

    def move(self, step: int) -> None:
        count = len(self.panes)
        here = self.current()
        start = (-1 if step > 0 else count) if here is None else here
        for distance in range(1, count + 1):
            pane, target = self.panes[(start + step * distance) % count]
            if target.isVisible() and target.isEnabled() and pane.width() > 0 and pane.height() > 0:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                return
