"""A small bar chart painted with QPainter (QtCharts is not in PySide6-Essentials): one bar per
(label, count), the count above it, the label below."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#5B7DB1")
GRADE_COLOURS = {"优": QColor("#3C8D5A"), "良": QColor("#5B7DB1"), "中": QColor("#D9A441"), "差": QColor("#C0504D")}


class BarChart(QWidget):
    def __init__(self, title: str, colours: dict[str, QColor] | None = None, parent=None):
        super().__init__(parent)
        self.title = title
        self.colours = colours or {}
        self.counts: tuple[tuple[str, int], ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)

    def set_counts(self, counts: Sequence[tuple[str, int]]) -> None:
        self.counts = tuple(counts)
        self.setToolTip("\n".join(f"{label}：{count} 张" for label, count in self.counts))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(300, 200)

    def bar_rects(self) -> list[QRectF]:
        """Where each bar is drawn (a zero count has a zero-height bar on the baseline)."""
        metrics = self.fontMetrics()
        line = metrics.height()
        plot = QRectF(8, line * 2 + 6, self.width() - 16, self.height() - line * 4 - 10)
        top = max((count for _, count in self.counts), default=0) or 1
        slot = plot.width() / max(1, len(self.counts))
        rects = []
        for index, (_, count) in enumerate(self.counts):
            height = plot.height() * count / top
            rects.append(QRectF(plot.left() + slot * index + slot * 0.18, plot.bottom() - height, slot * 0.64, height))
        return rects

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        painter.drawText(QRectF(0, 2, self.width(), line), Qt.AlignmentFlag.AlignCenter, self.title)
        rects = self.bar_rects()
        baseline = self.height() - line * 2 - 4
        painter.setPen(QPen(self.palette().mid().color()))
        painter.drawLine(4, int(baseline), self.width() - 4, int(baseline))
        for (label, count), rect in zip(self.counts, rects, strict=False):
            painter.fillRect(rect, self.colours.get(label, BAR))
            painter.setPen(self.palette().text().color())
            slot = QRectF(rect.left() - rect.width() * 0.3, 0, rect.width() * 1.6, line)
            painter.drawText(slot.translated(0, rect.top() - line - 2), Qt.AlignmentFlag.AlignCenter, str(count))
            painter.drawText(slot.translated(0, baseline + 3), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
