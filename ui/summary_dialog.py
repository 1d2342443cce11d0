"""审核 → 汇总表: the 绩效自评结果汇总表 of a year in a window of its own — the table (sortable, a
double-click opens the form in the main window), its totals pinned below it, the 等级 counts and the
总得分 distribution as bars, the scope (year, 实施单位, 主管部门, status) and the exports.

It is not modal: the clerk keeps it open beside the main window while fixing the forms it lists.
Everything shown comes from core.summary.table; the exports write what the window shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.model import STATUSES
from core.pdf.writer import PdfOptions
from core.profile import Profile
from core.store import Store, StoreError
from core.store.unit_settings import UnitSettings
from core.summary.rows import SummaryRow
from core.summary.table import (
    COLUMNS,
    LABEL_SPAN,
    RowMemo,
    Summary,
    SummaryScope,
    grade_names,
    in_scope,
    rows_of_year,
    score_bins,
    summarize,
)
from ui.bar_chart import GRADE_COLOURS, BarChart
from ui.column_fit import ColumnNeed, fit_columns
from ui.summary_model import FORM_ID_ROLE, SummaryFooterModel, SummarySortProxy, SummaryTableModel

ALL = "全部"
# How narrow the text columns may become when the table is wider than the dialog (their text is then
# elided, whole in the tooltip); every other column keeps the width its contents need.
NARROWEST = {"code": "4403…0001", "name": "罗湖区政务服务", "implementing_unit": "罗湖区政务"}


class ElidedLabel(QLabel):
    """A one-line label that never asks for more width than it has: its text is elided in the
    middle (a file path keeps its folder's start and its file name), whole in the tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideMiddle, self.width()))


class SummaryDialog(QDialog):
    formActivated = Signal(int)

    def __init__(self, store: Store, profile: Profile, year: str | None = None, parent=None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.store = store
        self.profile = profile
        self.settings = settings
        self.year_rows: list[SummaryRow] = []
        self.summary: Summary | None = None
        self.memo = RowMemo()  # a refresh judges again only the forms edited since
        self._preferred: list[int] = []  # the columns' measured widths (_fit_columns)
        self.setWindowTitle("绩效自评结果汇总表")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.year = QComboBox(self)
        self.unit = QComboBox(self)
        self.supervisor = QComboBox(self)
        self.status = QComboBox(self)
        self.status.addItems([ALL, *STATUSES])
        for combo in (self.unit, self.supervisor):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.unit_label = QLabel(self)
        # What the last export wrote: its file name, the whole path in the tooltip. Never wider than
        # the room it has: a long path must not push the dialog off a 1366-pixel screen.
        self.exported = ElidedLabel(self)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.model = SummaryTableModel(self)
        self.proxy = SummarySortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(50)  # 1 000 rows: measure the first ones
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.viewport().installEventFilter(self)
        self.footer_model = SummaryFooterModel(self)
        self.footer = QTableView(self)
        self.footer.setModel(self.footer_model)
        self.footer.horizontalHeader().hide()
        self.footer.verticalHeader().hide()
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.footer.setFrameShape(QFrame.Shape.NoFrame)
        self.footer.setWordWrap(False)
        self.grades = BarChart("各等级项目数（张）", GRADE_COLOURS, self)
        self.scores = BarChart("总得分分布（张；分段含下限，95–100 含 100）", parent=self)
        self.export_xlsx = QPushButton("导出 xlsx…", self)
        self.export_pdf = QPushButton("导出 PDF…", self)
        self.refresh = QPushButton("刷新", self)
        self.close_button = QPushButton("关闭", self)
        self._build()
        self._connect()
        self._fill_years(year)
        self.reload()

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        scope = QHBoxLayout()
        for text, combo in (("年度：", self.year), ("实施单位：", self.unit),
                            ("主管部门（一级预算单位）：", self.supervisor),
                            ("状态：", self.status)):
            scope.addWidget(QLabel(text, self))
            scope.addWidget(combo, 1 if combo in (self.unit, self.supervisor) else 0)
        scope.addStretch()
        table_part = QWidget(self)
        tables = QVBoxLayout(table_part)
        tables.setContentsMargins(0, 0, 0, 0)
        tables.setSpacing(0)
        tables.addWidget(self.table, 1)
        tables.addWidget(self.footer)
        charts = QWidget(self)
        chart_layout = QHBoxLayout(charts)
        chart_layout.setContentsMargins(0, 4, 0, 0)
        chart_layout.addWidget(self.grades, 2)
        chart_layout.addWidget(self.scores, 3)
        # The table takes the whole width (13 columns); the bars sit under it.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(table_part)
        self.splitter.addWidget(charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh)
        buttons.addSpacing(12)
        buttons.addWidget(self.unit_label)  # under the table, beside the totals it qualifies
        buttons.addSpacing(12)
        buttons.addWidget(self.exported, 1)
        for button in (self.export_xlsx, self.export_pdf, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(scope)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.resize(min(1280, area.width() * 9 // 10), min(760, area.height() * 9 // 10))

    def _connect(self) -> None:
        self.year.currentTextChanged.connect(lambda _: self.reload())
        for combo in (self.unit, self.supervisor, self.status):
            combo.currentTextChanged.connect(lambda _: self.apply_scope())
        self.table.doubleClicked.connect(self._activated)
        self.table.horizontalHeader().sectionResized.connect(self._sync_width)
        self.table.horizontalScrollBar().valueChanged.connect(self.footer.horizontalScrollBar().setValue)
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self.refresh.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.close)

    def _fill_years(self, wanted: str | None) -> None:
        try:
            years = sorted({s.year.strip() for s in self.store.list_forms() if s.year.strip()}, reverse=True)
        except StoreError as exc:
            QMessageBox.critical(self, "汇总表", str(exc))
            years = []
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItems(years)
        if wanted and wanted.strip() in years:
            self.year.setCurrentText(wanted.strip())
        self.year.blockSignals(False)

    def start_at(self, year: str | None) -> None:
        """Read the years again (a form may have been added), go to `year` (None: stay), reload."""
        current = self.year.currentText()
        self._fill_years(year or current)
        self.reload()

    # -- scope and contents -------------------------------------------------------------------
    def scope(self) -> SummaryScope:
        def chosen(combo: QComboBox) -> str:
            text = combo.currentText()
            return "" if text in ("", ALL) else text

        return SummaryScope(self.year.currentText().strip(), chosen(self.unit), chosen(self.supervisor),
                            chosen(self.status))

    def reload(self) -> None:
        """Read and judge every form of the year again (after edits in the main window)."""
        year = self.year.currentText().strip()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.year_rows = rows_of_year(self.store, year, self.profile, self.memo) if year else []
        except StoreError as exc:
            self.year_rows = []
            QMessageBox.critical(self, "汇总表", str(exc))
        finally:
            QGuiApplication.restoreOverrideCursor()
        for combo, names in ((self.unit, [r.implementing_unit for r in self.year_rows]),
                             (self.supervisor, [r.supervisor or "" for r in self.year_rows])):
            current = combo.currentText()
            choices = sorted({name for name in names if name})
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL, *choices])
            combo.setCurrentText(current if current in choices else ALL)
            combo.blockSignals(False)
        self.apply_scope()

    def apply_scope(self) -> None:
        scope = self.scope()
        rows = [row for row in self.year_rows if in_scope(row, scope)]
        self.show_summary(summarize(rows, scope, grade_names(self.profile)))

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary
        self.model.set_summary(summary)  # the proxy keeps the order the clerk clicked (序号 at first)
        self.footer_model.set_summary(summary)
        self.footer.clearSpans()
        for row in range(self.footer_model.rowCount()):
            self.footer.setSpan(row, 0, 1, LABEL_SPAN)
        self._fit_columns()
        self.unit_label.setText(f"{summary.unit_line}　共 {summary.totals.count} 张表")
        self.exported.set_full_text("")  # what was exported was another view
        self.notes.setText("\n".join(f"说明：{note}" for note in summary.notes))
        self.notes.setVisible(bool(summary.notes))
        self.grades.set_counts(summary.totals.grade_counts)
        self.scores.set_counts(score_bins(summary.rows))
        has_rows = bool(summary.rows)
        self.export_xlsx.setEnabled(has_rows)
        self.export_pdf.setEnabled(has_rows)

    def _sync_width(self, column: int, _old: int, new: int) -> None:
        self.footer.setColumnWidth(column, new)

    def _fit_columns(self) -> None:
        """Columns wide enough for the rows and for the totals under them (names and units capped
        at 260 pixels), measured once per summary; then fitted to the width there is."""
        self.table.resizeColumnsToContents()
        self._preferred = []
        for column, spec in enumerate(COLUMNS):
            width = self.table.columnWidth(column)
            if column >= LABEL_SPAN:
                width = max(width, self.footer.sizeHintForColumn(column))
            if spec.kind == "text":
                width = min(width, 260)
            self._preferred.append(width)
        self._fit_width()
        self.footer.resizeRowsToContents()
        height = sum(self.footer.rowHeight(r) for r in range(self.footer_model.rowCount()))
        self.footer.setFixedHeight(height + 2)

    def _fit_width(self) -> None:
        """The measured widths fitted to the table's width: on a 1366-pixel screen the code, name
        and unit columns give way (elided, whole in their tooltips) so that every number shows;
        the name takes what is left over. The pinned totals follow."""
        if not self._preferred:
            return
        metrics = self.table.fontMetrics()
        needs = []
        for column, (spec, preferred) in enumerate(zip(COLUMNS, self._preferred, strict=True)):
            sample = NARROWEST.get(spec.key)
            minimum = preferred if sample is None else min(preferred, metrics.horizontalAdvance(sample) + 16)
            needs.append(ColumnNeed(preferred, minimum, priority=len(COLUMNS) - column, keep=True,
                                    stretch=spec.key == "name"))
        available = self.table.viewport().width() if self.table.isVisible() else sum(self._preferred)
        for column, width in enumerate(fit_columns(available, needs)):
            self.table.setColumnWidth(column, width)
            self.footer.setColumnWidth(column, width)

    def eventFilter(self, watched, event) -> bool:  # Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_width()  # the dialog resized, or a scroll bar came or went
        return super().eventFilter(watched, event)

    def _activated(self, index) -> None:
        form_id = index.data(FORM_ID_ROLE)
        if form_id is not None:
            self.formActivated.emit(int(form_id))

    # -- exports ------------------------------------------------------------------------------
    def _last_folder(self) -> str:
        return str(self.settings.value("window/last_folder", str(Path.home()))) if self.settings else str(Path.home())

    def export(self, kind: str) -> Path | None:
        from core.atomic_write import ExportError
        from core.summary.pdf import write_summary_pdf
        from core.summary.xlsx import write_summary_xlsx

        summary = self.summary
        if summary is None or not summary.rows:
            return None
        pattern = "Excel 工作簿 (*.xlsx)" if kind == "xlsx" else "PDF 文件 (*.pdf)"
        suggested = Path(self._last_folder()) / f"{summary.title}.{kind}"
        chosen, _ = QFileDialog.getSaveFileName(self, f"导出汇总表（{kind}）", str(suggested), pattern)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        if self.settings is not None:
            self.settings.setValue("window/last_folder", str(path.parent))
        try:
            if kind == "xlsx":
                warnings: list[str] = []
                write_summary_xlsx(path, summary, force=True)  # the file dialog asked before replacing
            else:
                options = self._signing()
                if options is None:
                    return None
                warnings = write_summary_pdf(path, summary, options)
        except ExportError as exc:
            QMessageBox.critical(self, "导出汇总表", str(exc))
            return None
        except Exception as exc:  # a bug must not lose the window: nothing was written under `path`
            QMessageBox.critical(self, "导出汇总表", f"导出 {path} 失败（{type(exc).__name__}：{exc}），文件未保存")
            return None
        message = f"已导出：{path}"
        if warnings:
            QMessageBox.warning(self, "导出汇总表", "\n".join([message, *warnings]))
        self.exported.set_full_text(message)  # the path's middle gives way; the tooltip has it whole
        return path

    def _signing(self) -> PdfOptions | None:
        from ui.pdf_actions import SigningDialog

        settings = UnitSettings.from_store(self.store)
        dialog = SigningDialog(settings, settings.preparer, settings.phone, False, self)
        dialog.setWindowTitle("汇总表签字信息")
        dialog.watermark.hide()  # a summary has no 草稿 watermark of its own
        if not dialog.exec():
            return None
        return dialog.options(settings, overwrite=True)  # the file dialog asked before replacing
