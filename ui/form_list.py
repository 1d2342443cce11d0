"""The list of forms on the left: search box, year and status filters, and a table."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QTableView, QVBoxLayout, QWidget)

from decimal import Decimal

from core.model import STATUSES
from core.numbers import parse_decimal

COLUMNS = ("项目编码", "项目名称", "年度", "实施单位", "状态", "总分", "最后修改")
ALL = "全部"
SCORE_COLUMN = COLUMNS.index("总分")
NAME_COLUMN = COLUMNS.index("项目名称")
UNNAMED = "（未命名）"  # a new form before its name is typed: not an empty row
SAMPLE_MARK = "【示例】"  # a shipped sample form, until the clerk edits or deletes it
SAMPLE_TIP = "示例表：随程序提供的样例，供熟悉填报方法；编辑或删除后不再标记为示例"


def _score_key(text) -> Decimal:
    number = parse_decimal(text or "")
    return number if number is not None else Decimal(-1)


class FormListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []  # core.store.FormSummary
        self.samples: set[int] = set()  # ids of the untouched sample forms

    def set_rows(self, rows: list, samples: set[int] | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if samples is not None:
            self.samples = set(samples)
        self.endResetModel()

    def shown_name(self, row) -> str:
        name = row.name.strip() or UNNAMED
        return SAMPLE_MARK + name if row.id in self.samples else name

    def update_row(self, form_id: int, **changes) -> None:
        for i, row in enumerate(self.rows):
            if row.id == form_id:
                self.rows[i] = row._replace(**changes)  # FormSummary is a NamedTuple
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return

    def row_of(self, form_id: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == form_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME_COLUMN and row.id in self.samples:
            return f"{self.shown_name(row)}\n{SAMPLE_TIP}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (row.code, self.shown_name(row), row.year, row.implementing_unit, row.status,
                      row.total_score or "", row.updated[:16].replace("T", " "))
            return values[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class FilterModel(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.year = ALL
        self.status = ALL
        self.text = ""

    def set_filters(self, text: str, year: str, status: str) -> None:
        self.text, self.year, self.status = text.strip().casefold(), year, status
        self.invalidateFilter()

    def lessThan(self, left, right) -> bool:
        if left.column() == SCORE_COLUMN:  # "100.00" must sort after "99.83"
            return _score_key(left.data()) < _score_key(right.data())
        return super().lessThan(left, right)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        row = self.sourceModel().rows[source_row]
        if self.year != ALL and row.year != self.year:
            return False
        if self.status != ALL and row.status != self.status:
            return False
        if self.text:
            haystack = f"{row.code} {row.name} {row.implementing_unit}".casefold()
            return self.text in haystack
        return True


class FormListPanel(QWidget):
    formActivated = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("搜索项目名称、编码或单位（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox(self)
        self.status = QComboBox(self)
        self.status.addItems([ALL, *STATUSES])
        self.model = FormListModel(self)
        self.proxy = FilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.DisplayRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Sorting only when a header is clicked: sorting 10 000 rows through Python at start-up
        # would cost more than the rest of the window.
        self.proxy.setDynamicSortFilter(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._sort_by)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("年度：", self))
        filters.addWidget(self.year, 1)
        filters.addWidget(QLabel("状态：", self))
        filters.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._connect()

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self._debounce.timeout.connect(self._apply_filters)
        self.year.currentTextChanged.connect(lambda _: self._apply_filters())
        self.status.currentTextChanged.connect(lambda _: self._apply_filters())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def _sort_by(self, column: int) -> None:
        header = self.table.horizontalHeader()
        ascending = not (header.isSortIndicatorShown() and header.sortIndicatorSection() == column
                         and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder)
        order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)
        self.proxy.sort(column, order)

    def set_forms(self, rows: list, samples: set[int] | None = None) -> None:
        selected = self.current_id()
        self.model.set_rows(rows, samples)
        years = sorted({row.year for row in rows if row.year}, reverse=True)
        current = self.year.currentText() or ALL
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItems([ALL, *years])
        self.year.setCurrentText(current if current in years else ALL)
        self.year.blockSignals(False)
        self._apply_filters()
        if selected is not None:
            self.select(selected, emit=False)

    def _apply_filters(self) -> None:
        self.proxy.set_filters(self.search.text(), self.year.currentText() or ALL, self.status.currentText() or ALL)

    def _row_changed(self, current, _previous) -> None:
        form_id = current.data(Qt.ItemDataRole.UserRole) if current.isValid() else None
        if form_id is not None:
            self.formActivated.emit(form_id)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, form_id: int, emit: bool = True) -> None:
        row = self.model.row_of(form_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.search.clear()
            self.year.setCurrentText(ALL)
            self.status.setCurrentText(ALL)
            self._apply_filters()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.blockSignals(not emit)
        self.table.selectionModel().blockSignals(not emit)
        self.table.setCurrentIndex(index)
        self.table.selectionModel().blockSignals(False)
        self.table.blockSignals(False)
        self.table.scrollTo(index)
