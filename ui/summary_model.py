"""The 汇总表's table models: the rows (sortable through SummarySortProxy) and the totals block, both
showing core.summary.table's cells as its texts — the window shows what the xlsx and the PDF print."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.summary.table import COLUMNS, Summary, Value, cell_text, footer_rows, row_values

FORM_ID_ROLE = Qt.ItemDataRole.UserRole
ERROR_COLOUR = QColor("#B3261E")
_ALIGN = {"text": Qt.AlignmentFlag.AlignLeft, "money": Qt.AlignmentFlag.AlignRight,
          "rate": Qt.AlignmentFlag.AlignRight, "score": Qt.AlignmentFlag.AlignRight}


def _alignment(kind: str) -> Qt.AlignmentFlag:
    return _ALIGN.get(kind, Qt.AlignmentFlag.AlignHCenter) | Qt.AlignmentFlag.AlignVCenter


def sort_key(value: Value) -> tuple:
    """Numbers by value, text by text, a missing number ("—") after every number."""
    if isinstance(value, (Decimal, int)):
        return (0, Decimal(value), "")
    if value in (None, "—"):
        return (1, Decimal(0), "")
    return (0, Decimal(0), str(value))


class SummaryTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary: Summary | None = None
        self.values: list[tuple[Value, ...]] = []
        self.texts: list[list[str]] = []

    def set_summary(self, summary: Summary | None) -> None:
        self.beginResetModel()
        self.summary = summary
        rows = summary.rows if summary is not None else ()
        self.values = [row_values(row, number) for number, row in enumerate(rows, start=1)]
        self.texts = [[cell_text(v, c) for v, c in zip(values, COLUMNS, strict=False)] for values in self.values]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.values)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.summary is None:
            return None
        r, c = index.row(), index.column()
        column = COLUMNS[c]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[r][c]
        if role == Qt.ItemDataRole.ToolTipRole and column.kind in ("text", "code", "findings"):
            return self.texts[r][c]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(column.kind))
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "findings" and self.summary.rows[r].errors:
            return QBrush(ERROR_COLOUR)
        if role == FORM_ID_ROLE:
            return self.summary.rows[r].form_id
        return None

    def key(self, row: int, column: int) -> tuple:
        return sort_key(self.values[row][column])

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        return None


class SummarySortProxy(QSortFilterProxyModel):
    """Sorts by the values themselves: "100.00" after "99.83", "—" after every number."""

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, SummaryTableModel)  # the summary dialog's own model
        return model.key(left.row(), left.column()) < model.key(right.row(), right.column())


class SummaryFooterModel(QAbstractTableModel):
    """The totals block (合计 and the two averages), pinned under the table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.texts: list[list[str]] = []

    def set_summary(self, summary: Summary | None) -> None:
        self.beginResetModel()
        rows = footer_rows(summary) if summary is not None else ()
        self.texts = [[cell_text(v, c, footer=True) for v, c in zip(values, COLUMNS, strict=False)] for values in rows]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.texts)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text = self.texts[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            kind = "label" if index.column() == 0 else COLUMNS[index.column()].kind
            return int(_alignment(kind))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None
