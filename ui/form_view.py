"""The grid that draws a form exactly as its layout describes, with editors that fit each field."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QModelIndex, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLineEdit, QPlainTextEdit, QStyledItemDelegate,
                               QTableView)

from ui.form_model import FieldRole, FormModel

LONG_TEXT = re.compile(r"goal_expected|goal_actual|indicators\[\d+\]\.(reason|level3)")
NUMBER = re.compile(r"fund_rows\[\d+\]\.(initial_budget|annual_budget|executed)|funds\.points|"
                    r"indicators\[\d+\]\.(points|score)")
# What a number cell accepts while typing: digits (also full-width), separators, a sign.
NUMBER_INPUT = QRegularExpression(r"[0-9０-９.．,，+\-－\s]*")


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

    def createEditor(self, parent, option, index):
        path = index.data(FieldRole) or ""
        if LONG_TEXT.fullmatch(path):
            editor = MultiLineEditor(parent)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(lambda: self.commitData.emit(editor))
            editor.finished.connect(lambda: self._finish(editor))
            return editor
        editor = QLineEdit(parent)
        if NUMBER.fullmatch(path):
            editor.setValidator(QRegularExpressionValidator(NUMBER_INPUT, editor))
            suggestion = index.model().suggestion_for(path) if path.endswith(".score") else None
            if suggestion is not None and suggestion.score is not None:
                editor.setPlaceholderText(f"建议 {suggestion.score}（Ctrl+Enter 采用）")
        editor.textEdited.connect(lambda _: self.commitData.emit(editor))
        return editor

    def _finish(self, editor) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index) -> None:
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QPlainTextEdit):
            if editor.toPlainText() != text:  # the model echoes each committed keystroke back
                editor.setPlainText(text)
                editor.moveCursor(editor.textCursor().MoveOperation.End)
        elif editor.text() != text:
            editor.setText(text)

    def setModelData(self, editor, model, index) -> None:
        text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index) -> None:
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):  # long text gets room to grow
            rect = rect.adjusted(0, 0, 0, max(0, 5 * editor.fontMetrics().height() - rect.height()))
        editor.setGeometry(rect)


class FormView(QTableView):
    acceptSuggestion = Signal(QModelIndex)
    pasteRequested = Signal(QModelIndex, str)
    clearRequested = Signal(list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setItemDelegate(CellDelegate(self))
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        # A vertical scroll bar that comes and goes would change the width the columns are fitted
        # to, which changes whether it is needed: keep it, so fitting cannot oscillate.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._fitted_width = -1

    def form_model(self) -> FormModel:
        return self.model()

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
        self.resizeRowsToContents()

    def fit_columns(self, force: bool = False) -> None:
        layout = self.form_model().layout
        if layout is None:
            return
        available = self.viewport().width() - 2
        if available == self._fitted_width and not force:
            return
        self._fitted_width = available
        char = self.fontMetrics().horizontalAdvance("0")
        natural = [w * char * 1.15 for w in layout.column_widths]
        # Fill the width the window gives; below ~60 % the text gets unreadable, so scroll instead.
        scale = max(0.6, available / sum(natural)) if available > 0 else 1.0
        for column, width in enumerate(natural):
            self.setColumnWidth(column, int(width * scale))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def moveCursor(self, action, modifiers):
        """Tab and Shift+Tab go to the next or previous cell a clerk can fill, skipping grey cells."""
        if action not in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious):
            return super().moveCursor(action, modifiers)
        model = self.form_model()
        step = 1 if action == QAbstractItemView.CursorAction.MoveNext else -1
        current = self.currentIndex()
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
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.acceptSuggestion.emit(index)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            from PySide6.QtWidgets import QApplication

            self.pasteRequested.emit(index, QApplication.clipboard().text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != QAbstractItemView.State.EditingState:
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
