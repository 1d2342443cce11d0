"""Zoom for the grid: Ctrl+wheel, Ctrl+加号 (or Ctrl+=), Ctrl+减号, Ctrl+0, and 适应宽度.

The zoom steps are those office applications and browsers use. 适应宽度 keeps every column of the
sheet inside the window's width; the zoom then only sets the size of the text. It is on by default:
on a small screen it is the only way to see the whole sheet, and even a 1920×1080 screen at 100 % is
a little narrower than the official column widths next to the list. Off, the columns keep their
size at the zoom and the grid scrolls sideways. Both are remembered (QSettings).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

ZOOM_LEVELS = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200)
ZOOM_KEY = "grid/zoom"
FIT_KEY = "grid/fit_width"


def zoom_step(current: int, steps: int) -> int:
    """The zoom `steps` levels above (or below, when negative) `current`, within ZOOM_LEVELS."""
    if steps > 0:
        higher = [z for z in ZOOM_LEVELS if z > current]
        return higher[min(steps, len(higher)) - 1] if higher else ZOOM_LEVELS[-1]
    if steps < 0:
        lower = [z for z in ZOOM_LEVELS if z < current]
        return lower[max(steps, -len(lower))] if lower else ZOOM_LEVELS[0]
    return current


def stored_zoom(value: object) -> int:
    """A remembered zoom, or 100 for nothing or anything unreadable."""
    try:
        percent = int(str(value))
    except ValueError:
        return 100
    return min(max(percent, ZOOM_LEVELS[0]), ZOOM_LEVELS[-1])


class GridZoom(QObject):
    """Owns the zoom actions and applies them to a FormView; `label` shows the zoom (status bar)."""

    changed = Signal(int)

    def __init__(self, view, settings: QSettings, parent=None, fit_by_default: bool = True):
        super().__init__(parent)
        self.view = view
        self.settings = settings
        self.act_in = QAction("放大", parent)
        # Ctrl++ needs Shift on most keyboards: Ctrl+= is the same key without it.
        self.act_in.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        self.act_out = QAction("缩小", parent)
        self.act_out.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.act_reset = QAction("实际大小（100%）", parent)
        self.act_reset.setShortcut(QKeySequence("Ctrl+0"))
        self.act_fit = QAction("适应宽度", parent)
        self.act_fit.setCheckable(True)
        self.act_fit.setStatusTip("所有列都放进窗口的宽度，不用左右滚动")
        for action in (self.act_in, self.act_out, self.act_reset):
            action.setStatusTip("表格的缩放（也可按住 Ctrl 滚动鼠标滚轮）")
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.label = QLabel(parent)
        self.label.setToolTip("表格缩放（Ctrl+滚轮，Ctrl+加号/减号，Ctrl+0 复原）")
        self.act_in.triggered.connect(lambda: self.step(1))
        self.act_out.triggered.connect(lambda: self.step(-1))
        self.act_reset.triggered.connect(lambda: self.set_zoom(100))
        self.act_fit.toggled.connect(self.set_fit_width)
        view.zoomSteps.connect(self.step)
        fit = settings.value(FIT_KEY)
        self.act_fit.blockSignals(True)
        self.act_fit.setChecked(fit_by_default if fit is None else str(fit).lower() in ("true", "1"))
        self.act_fit.blockSignals(False)
        view.fit_width = self.act_fit.isChecked()
        self.set_zoom(stored_zoom(settings.value(ZOOM_KEY, 100)), remember=False)

    @property
    def zoom(self) -> int:
        return self.view.zoom

    def actions(self) -> list[QAction]:
        return [self.act_in, self.act_out, self.act_reset, self.act_fit]

    def step(self, steps: int) -> None:
        self.set_zoom(zoom_step(self.view.zoom, steps))

    def set_zoom(self, percent: int, remember: bool = True) -> None:
        self.view.set_zoom(percent)
        self.label.setText(f"{percent}%")
        self.act_in.setEnabled(percent < ZOOM_LEVELS[-1])
        self.act_out.setEnabled(percent > ZOOM_LEVELS[0])
        if remember:
            self.settings.setValue(ZOOM_KEY, percent)
        self.changed.emit(percent)

    def set_fit_width(self, on: bool) -> None:
        self.view.set_fit_width(on)
        self.settings.setValue(FIT_KEY, on)
