"""The list of forms on the left: search box, year and status filters, and a table."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.model import STATUSES
from core.numbers import parse_decimal
from ui.column_fit import ColumnNeed, fit_columns

COLUMNS = ("项目编码", "项目名称", "年度", "实施单位", "状态", "总分", "最后修改")
ALL = "全部"
SCORE_COLUMN = COLUMNS.index("总分")
# How the list fits a narrow pane: 项目名称 (at least ten characters of it), 状态 and 总分 always
# show; the code and the unit shrink (elided, whole in the tooltip), and what still does not fit is
# hidden, 最后修改 first. (priority, keep, stretch, minimum as sample text or None for the content)
FIT = {"项目编码": (60, False, False, "4403…00001"), "项目名称": (100, True, True, "罗湖区政务服务数据管"),
       "年度": (40, False, False, None), "实施单位": (30, False, False, "罗湖区…"),
       "状态": (90, True, False, None), "总分": (80, True, False, None), "最后修改": (10, False, False, None)}
NAME_COLUMN = COLUMNS.index("项目名称")
# Room around a cell's text: twice the focus frame's margin (2 pixels in Qt's styles) and 8 more.
# A constant, not asked of QStyle: its Python enums cost ~5 ms of start-up to create.
TEXT_PADDING = 2 * 2 + 8
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

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME_COLUMN:
            # The code and the unit may be elided or hidden in a narrow list: the name tells them.
            tip = f"{self.shown_name(row)}\n项目编码：{row.code}\n实施单位：{row.implementing_unit}\n年度：{row.year}"
            return f"{tip}\n{SAMPLE_TIP}" if row.id in self.samples else tip
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
        row = cast(FormListModel, self.sourceModel()).rows[source_row]  # the panel's own model
        if self.year != ALL and row.year != self.year:
            return False
        if self.status != ALL and row.status != self.status:
            return False
        if self.text:
            haystack = f"{row.code} {row.name} {row.implementing_unit}".casefold()
            return self.text in haystack
        return True


class FormTable(QTableView):
    """The list's table: its columns always fit its width (see FormListPanel.fit_columns)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fitted = -1

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.Resize and self.viewport().width() != self.fitted:
            self.fit_columns()  # a new height alone (a scroll bar below) needs no new widths
        return super().viewportEvent(event)

    def fit_columns(self) -> None:
        if self.model() is None or not self.isVisible():
            return  # a hidden table measures every row; it is fitted when shown (a resize)
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        padding = TEXT_PADDING
        needs = []
        for column, name in enumerate(COLUMNS):
            priority, keep, stretch, sample = FIT[name]
            preferred = max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
            minimum = preferred if sample is None else min(preferred, metrics.horizontalAdvance(sample) + padding)
            needs.append(ColumnNeed(preferred, minimum, priority, keep, stretch))
        self.fitted = self.viewport().width()
        widths = fit_columns(self.fitted, needs)
        for column, width in enumerate(widths):
            self.setColumnHidden(column, width == 0)
            if width:
                self.setColumnWidth(column, width)


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
        self.table = FormTable(self)
        self.table.setModel(self.proxy)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "4403032415…00001": both ends tell
        # Widths from the rows in view only: measuring 10 000 rows through Python costs seconds.
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows may be selected (Ctrl/Shift+click, Ctrl+A) for work on many forms at once, such as
        # 导出自评报告; the current row is still the form that is open.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Sorting only when a header is clicked: sorting 10 000 rows through Python at start-up
        # would cost more than the rest of the window.
        self.proxy.setDynamicSortFilter(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._sort_by)
        self.table.verticalHeader().hide()
        # A scroll bar that appears once the rows are in would narrow the table and measure every
        # column again (~6 ms at start-up); kept, the columns are fitted once to their final width.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(False)
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
        # New texts (a total typed, a name changed, a filter) may need other widths.
        for signal in (self.proxy.modelReset, self.proxy.layoutChanged, self.proxy.rowsInserted,
                       self.proxy.rowsRemoved, self.proxy.dataChanged):
            signal.connect(lambda *_: self.table.fit_columns())

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

    def selected_ids(self) -> list[int]:
        """The forms selected in the list, in the list's order (only those the filters show)."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [index.data(Qt.ItemDataRole.UserRole) for index in rows]

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
