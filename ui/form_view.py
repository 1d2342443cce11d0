"""The grid that draws a form exactly as its layout describes, with editors that fit each field.

It behaves like a spreadsheet: typing on a selected cell replaces its content, F2 (or a double
click) edits it in place, Esc cancels the edit. Number cells take whatever is typed — "10分" is kept
as typed and marked by the checks, never silently trimmed to 10. The grid zooms (its font) and can
fit the sheet to the window's width.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

from core.fields import field_kind
from ui.form_model import FieldRole, FormModel

MAX_ROW_LINES = 6  # a row grows with its text up to this many lines; the rest is in the editor and tooltip
EDITOR_LINES = 12  # a long-text editor opens this tall where the grid has room
WHEEL_STEP = 120  # one notch of a mouse wheel (angleDelta); touchpads send less, several times

EditTrigger = QAbstractItemView.EditTrigger


class MultiLineEditor(QPlainTextEdit):
    """Long text: Enter finishes the edit as in a spreadsheet; Alt+Enter or Shift+Enter adds a line."""

    finished = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)):
            self.finished.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)


class CellDelegate(QStyledItemDelegate):
    """Commits on every change, so totals and checks follow the typing (an input method's
    composition is not text yet, so it is never interrupted)."""

    editorOpened = Signal(QModelIndex)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.start_empty = False  # set by the view for the editor about to open: typing replaces

    def createEditor(self, parent, option, index):
        path = index.data(FieldRole) or ""
        editor: MultiLineEditor | QLineEdit
        if field_kind(path) == "long":  # a paragraph (core.fields): 目标, 偏差原因, 评价结论 …
            editor = MultiLineEditor(parent)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(lambda: self.commitData.emit(editor))
            editor.finished.connect(lambda: self._finish(editor))
        else:
            # No validator, also for numbers: what the clerk types is kept and, when it is not a
            # number, marked by the checks (NUMBER_FORMAT) — a keystroke is never dropped.
            editor = QLineEdit(parent)
            suggestion = index.model().suggestion_for(path) if path.endswith(".score") else None
            if suggestion is not None and suggestion.score is not None:
                editor.setPlaceholderText(f"建议 {suggestion.score}（Ctrl+Enter 采用）")
            editor.textEdited.connect(lambda _: self.commitData.emit(editor))
        editor.setProperty("start_empty", self.start_empty)
        self.editorOpened.emit(index)
        return editor

    def _finish(self, editor) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index) -> None:
        if editor.property("start_empty"):
            editor.setProperty("start_empty", False)
            text = ""  # the first keystroke replaces the content, as in a spreadsheet
        else:
            text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QPlainTextEdit):
            if editor.toPlainText() != text:  # the model echoes each committed keystroke back
                editor.blockSignals(True)  # loading is not typing: commit nothing
                editor.setPlainText(text)
                editor.blockSignals(False)
                editor.moveCursor(editor.textCursor().MoveOperation.End)
        elif editor.text() != text:
            editor.setText(text)

    def setModelData(self, editor, model, index) -> None:
        text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index) -> None:
        rect = QRect(option.rect)
        viewport = editor.parentWidget()
        if isinstance(editor, QPlainTextEdit) and viewport is not None:
            # Long text gets room to grow within the grid, upwards when the cell is near the bottom.
            wanted = max(rect.height(), min(EDITOR_LINES * editor.fontMetrics().lineSpacing() + 8, viewport.height()))
            rect.setHeight(wanted)
            rect.moveTop(max(0, min(rect.top(), viewport.height() - wanted)))
        editor.setGeometry(rect)


class FormView(QTableView):
    acceptSuggestion = Signal(QModelIndex)
    pasteRequested = Signal(QModelIndex, str)
    clearRequested = Signal(list)
    editingStarted = Signal(QModelIndex)  # an editor opened on this cell
    editingFinished = Signal()  # ...and closed, its text committed
    editingCancelled = Signal()  # ...and closed with Esc: its text is to be forgotten
    zoomSteps = Signal(int)  # Ctrl+wheel: +1 zooms in one step, -1 out
    readOnlyTyped = Signal(QModelIndex)  # a key typed on a cell the clerk cannot fill

    def __init__(self, parent=None):
        super().__init__(parent)
        self.delegate = CellDelegate(self)
        self.setItemDelegate(self.delegate)
        self.delegate.editorOpened.connect(self.editingStarted)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(EditTrigger.DoubleClicked | EditTrigger.EditKeyPressed | EditTrigger.AnyKeyPressed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setMinimumSectionSize(4)  # fitting to the width may need narrow columns
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        # A vertical scroll bar that comes and goes would change the width the columns are fitted
        # to, which changes whether it is needed: keep it, so fitting cannot oscillate.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._fitted_width = -1
        self._base_font = QFont(self.font())
        self.zoom = 100
        self.fit_width = False
        self._wheel = 0
        self._reveal_when_shown = False
        # Several resizes come together (a window being laid out, a splitter dragged): the rows'
        # heights follow the new column widths once they have settled.
        self._rows_later = QTimer(self)
        self._rows_later.setSingleShot(True)
        self._rows_later.setInterval(0)
        self._rows_later.timeout.connect(self.resize_rows)

    def form_model(self) -> FormModel:
        return cast(FormModel, self.model())  # the editor gives the view its FormModel

    # -- layout, zoom, fit to width --------------------------------------------------------------
    def apply_layout(self) -> None:
        """Spans, column widths and row heights from the layout description."""
        model = self.form_model()
        layout = model.layout
        self.clearSpans()
        if layout is None:
            return
        for cell in layout.cells:
            if cell.merged:
                self.setSpan(cell.row - 1, cell.col - 1, cell.rowspan, cell.colspan)
        self.fit_columns(force=True)
        if self.isVisible():
            self.resize_rows()
        else:  # not laid out yet: measured once, at the width the grid gets when shown
            self._rows_later.start()

    def reveal(self, index: QModelIndex) -> None:
        """Make `index` current and show it, the sheet's top in view when it fits there. A grid not
        on screen yet does so once it is shown with its final size."""
        self.setCurrentIndex(index)
        if self.isVisible():
            self.scrollToTop()
            self.scrollTo(index)
        else:
            self._reveal_when_shown = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._reveal_when_shown:
            self._reveal_when_shown = False
            QTimer.singleShot(0, lambda: self.reveal(self.currentIndex()))

    def set_zoom(self, percent: int) -> None:
        """Draw the grid (text, columns, rows, editors) at `percent` of the normal size."""
        font = QFont(self._base_font)
        if self._base_font.pointSizeF() > 0:
            font.setPointSizeF(self._base_font.pointSizeF() * percent / 100)
        else:
            font.setPixelSize(max(6, round(self._base_font.pixelSize() * percent / 100)))
        self.zoom = percent
        self.setFont(font)
        self.form_model().set_zoom(percent)
        self.updateGeometries()  # the row numbers' width follows the font: fit to the new viewport
        self.fit_columns(force=True)
        self.resize_rows()

    def set_fit_width(self, on: bool) -> None:
        """On: the columns always fill the grid's width, never a horizontal scroll bar. Off: the
        columns keep their size at this zoom (widened to fill spare room) and the grid scrolls."""
        self.fit_width = on
        self.fit_columns(force=True)
        self.resize_rows()

    def fit_columns(self, force: bool = False) -> bool:
        """Size the columns for the grid's width; True when they changed."""
        layout = self.form_model().layout
        if layout is None:
            return False
        available = self.viewport().width() - 2
        if available == self._fitted_width and not force:
            return False
        self._fitted_width = available
        char = self.fontMetrics().horizontalAdvance("0")
        natural = [w * char * 1.15 for w in layout.column_widths]
        if available <= 0:
            scale = 1.0
        elif self.fit_width:
            scale = available / sum(natural)
        else:
            scale = max(1.0, available / sum(natural))
        for column, width in enumerate(natural):
            self.setColumnWidth(column, max(1, int(width * scale)))
        return True

    def resize_rows(self) -> None:
        """Every row's height for its text at the current column widths. A measuring still
        pending (a resize came first) is dropped: it would only repeat this one (~7 ms a form)."""
        self._rows_later.stop()
        self.resizeRowsToContents()

    def row_height_cap(self) -> int:
        return MAX_ROW_LINES * self.fontMetrics().lineSpacing() + 8

    def sizeHintForRow(self, row: int) -> int:
        # A 5 000-character reason would make its row thousands of pixels tall: cap it.
        return min(super().sizeHintForRow(row), self.row_height_cap())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.fit_columns():
            self._rows_later.start()  # narrower columns wrap into more lines

    def wheelEvent(self, event) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        self._wheel += event.angleDelta().y()
        steps = int(self._wheel / WHEEL_STEP)
        if steps:
            self._wheel -= steps * WHEEL_STEP
            self.zoomSteps.emit(steps)
        event.accept()

    # -- whole text of a clipped cell ------------------------------------------------------------
    def text_clipped(self, index: QModelIndex) -> bool:
        """True when the cell's text needs more room than it has: more lines than its (capped) row
        holds, or a word (a long number) wider than its column, which Qt elides."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return False
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        rect = self.visualRect(index)
        option.rect = rect  # type: ignore[attr-defined]  # PySide6's stubs omit QStyleOption's data members
        needed = QStyledItemDelegate.sizeHint(self.delegate, option, index)
        return needed.height() > rect.height() + 1 or needed.width() > rect.width() + 1

    def tooltip_for(self, index: QModelIndex) -> str | None:
        """The cell's tooltip: its whole text when the grid shows only part of it, then the
        findings and suggestion the model gives."""
        model_tip = index.data(Qt.ItemDataRole.ToolTipRole)
        if not self.text_clipped(index):
            return model_tip
        import html  # here, not at start-up (~1 ms with its entity table)

        # Rich text, so the tooltip wraps instead of running off the screen.
        parts = [html.escape(index.data(Qt.ItemDataRole.DisplayRole))]
        if model_tip:
            parts.append("<hr>" + html.escape(model_tip))
        return "<p style='white-space:pre-wrap'>" + "".join(parts).replace("\n", "<br>") + "</p>"

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.indexAt(event.pos())
            tip = self.tooltip_for(index) if index.isValid() else None
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport(), self.visualRect(index))
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # -- editing like a spreadsheet --------------------------------------------------------------
    def edit(self, index, trigger=None, event=None):
        if trigger is None:  # the public slot edit(index): Qt calls back with AllEditTriggers
            return super().edit(index)
        # A key typed on a selected cell replaces its content; F2 and a double click edit it in place.
        self.delegate.start_empty = trigger == EditTrigger.AnyKeyPressed
        try:
            opened = super().edit(index, trigger, event)
        finally:
            self.delegate.start_empty = False
        if opened and trigger in (EditTrigger.EditKeyPressed, EditTrigger.DoubleClicked):
            editor = self.indexWidget(index)
            if isinstance(editor, QLineEdit):  # Qt selects it all; in place means the cursor at the end
                editor.deselect()
                editor.end(False)
        return opened

    def closeEditor(self, editor, hint) -> None:
        # Told before Qt moves on: Tab in an editor opens the next cell's editor inside this call.
        if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
            self.editingCancelled.emit()
        else:
            self.editingFinished.emit()
        super().closeEditor(editor, hint)

    def inputMethodEvent(self, event) -> None:
        # Qt opens the editor for a commit without a composition (fcitx sends "，" that way) but
        # does not pass the text on: hand it over, or the character is lost.
        index = self.currentIndex()
        if (event.commitString() and not event.preeditString() and index.isValid()
                and self.state() != QAbstractItemView.State.EditingState
                and self.edit(index, EditTrigger.AnyKeyPressed, None)):
            editor = self.indexWidget(index)
            if editor is not None:
                QApplication.sendEvent(editor.focusProxy() or editor, event)
                event.accept()
                return
        if event.commitString() and self._read_only_here(index):
            self.readOnlyTyped.emit(index)  # Chinese typed on a grey cell: say why, as for a key
            event.accept()
            return
        super().inputMethodEvent(event)

    def _read_only_here(self, index: QModelIndex) -> bool:
        """Typing would go nowhere: no editor is open and this cell is not the clerk's to fill."""
        return (index.isValid() and self.state() != QAbstractItemView.State.EditingState
                and not index.flags() & Qt.ItemFlag.ItemIsEditable)

    def moveCursor(self, action, modifiers):
        """Tab and Shift+Tab go to the next or previous cell a clerk can fill, skipping grey cells."""
        if action not in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious):
            return super().moveCursor(action, modifiers)
        model = self.form_model()
        current = self.currentIndex()
        if model.layout is None:  # no form open (an empty database): nowhere to go
            return current
        step = 1 if action == QAbstractItemView.CursorAction.MoveNext else -1
        positions = [(c.row - 1, c.col - 1) for c in model.layout.cells if model.is_editable(c)]
        if not positions:
            return current
        here = (current.row(), current.column()) if current.isValid() else (-1, -1)
        ordered = positions if step == 1 else list(reversed(positions))
        for position in ordered:
            if (position > here) if step == 1 else (position < here):
                return model.index(*position)
        return model.index(*ordered[0])

    def keyPressEvent(self, event) -> None:
        index = self.currentIndex()
        if (event.text().isprintable() and event.text().strip() and self._read_only_here(index)
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            self.readOnlyTyped.emit(index)  # said under the grid: a keyboard user sees no tooltip
            return
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.acceptSuggestion.emit(index)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit(index, QApplication.clipboard().text())
            return
        if (event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.state() != QAbstractItemView.State.EditingState):
            paths = [i.data(FieldRole) for i in self.selectedIndexes() if i.flags() & Qt.ItemFlag.ItemIsEditable]
            if paths:
                self.clearRequested.emit(paths)
                return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.matches(QKeySequence.StandardKey.Paste):
            event.accept()  # the grid pastes blocks itself
            return True
        return super().event(event)
