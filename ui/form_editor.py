"""The form editor: the grid, the hint line under it, and every edit as an undo step.

It holds the current form and its evaluation; each change re-evaluates the form in core (fast,
O(number of indicators)) and repaints only what depends on the change.

Typing in a cell's editor is an edit session: each keystroke is shown (and autosaved) at once, the
undo stack gets one step when the editor closes, and Esc puts the form back as it was when the
editor opened, leaving the undo stack untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QVBoxLayout, QWidget

from core import editing
from core.checks import Evaluation, evaluate
from core.fields import with_value
from core.layouts import sheet_field_label
from core.model import Form
from core.profile import Profile
from ui.commands import CellEdit, FormChange
from ui.form_model import FieldRole, FormModel
from ui.form_view import FormView


def indicator_index(path: str | None) -> int | None:
    match = re.match(r"indicators\[(\d+)\]", path or "")
    return int(match.group(1)) if match else None


@dataclass
class EditSession:
    """An open cell editor: which field, and the form before its first keystroke."""

    path: str
    index: QPersistentModelIndex
    before: Form
    stack_was_active: bool


class FormEditor(QWidget):
    formChanged = Signal(object)  # Form: a new value to save
    evaluated = Signal(object)  # Evaluation: totals and findings to show
    editingStarted = Signal()  # a cell editor opened: what is stored now is where Esc goes back to
    editingFinished = Signal()  # ...closed and kept
    editingCancelled = Signal()  # ...closed with Esc: the form is as before, the store should be too

    def __init__(self, profile: Profile, parent=None):
        super().__init__(parent)
        self.profile = profile
        self.model = FormModel(self)
        self.view = FormView(self)
        self.view.setModel(self.model)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        self.stack: QUndoStack | None = None
        self.evaluation: Evaluation | None = None
        self.session: EditSession | None = None
        self._connect()

    def _connect(self) -> None:
        self.model.editRequested.connect(self.edit)
        self.model.modelReset.connect(self.view.apply_layout)
        self.view.acceptSuggestion.connect(self._accept_at)
        self.view.pasteRequested.connect(self.paste)
        self.view.clearRequested.connect(self.clear)
        self.view.editingStarted.connect(self._session_started)
        self.view.editingFinished.connect(self._session_finished)
        self.view.editingCancelled.connect(self._session_cancelled)
        self.model.modelAboutToBeReset.connect(self.finish_editing)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_hint())
        self.view.readOnlyTyped.connect(lambda index: self.hint.setText(self.model.read_only_reason(index)))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

    # -- state -------------------------------------------------------------------------------
    @property
    def form(self) -> Form | None:
        return self.evaluation.form if self.evaluation else None

    def open(self, form: Form, stack: QUndoStack) -> None:
        """Show a stored form with its own undo stack (kept by the window per form), the cursor
        on the first empty cell the clerk fills."""
        self.finish_editing()
        self.stack = stack
        self._display(form, None)
        start = self.model.first_empty_clerk_cell()
        if start.isValid():
            self.view.reveal(start)

    def close_form(self) -> None:
        """Show no form (the last one was deleted): nothing left to edit or save."""
        self.finish_editing()
        self.stack = None
        self.evaluation = None
        self.model.clear()
        self.hint.clear()

    def set_profile(self, profile: Profile) -> None:
        self.finish_editing()
        self.profile = profile
        if self.form is not None:
            self._display(self.form, None)

    def show_form(self, form: Form, paths: tuple[str, ...] | None) -> None:
        """Show a changed form (undo commands call this) and ask for it to be saved."""
        self.finish_editing()
        self._display(form, paths)
        self.formChanged.emit(form)

    def go_to(self, paths: tuple[str, ...] | None) -> None:
        """Make the first cell of `paths` current and show it (after an undo or a redo)."""
        index = self.model.index_of(paths[0]) if paths else None
        if index is not None and index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def recheck(self) -> Evaluation | None:
        """Re-evaluate and repaint the whole form (F5); None when no form is open."""
        self.finish_editing()
        if self.form is not None:
            self._display(self.form, None)
        return self.evaluation

    def _display(self, form: Form, paths: tuple[str, ...] | None) -> None:
        """Evaluate and show `form`; `paths` names what changed (None repaints everything)."""
        self.evaluation = evaluate(form, self.profile)
        self.model.set_evaluation(self.evaluation, paths)
        for path in paths or ():
            index = self.model.index_of(path)
            if index.isValid():
                height = self.view.rowHeight(index.row())
                self.view.resizeRowToContents(index.row())
                if self.view.rowHeight(index.row()) != height and index == self.view.currentIndex():
                    self.view.scrollTo(index)  # a row grown by the clerk's text stays in sight
        self.evaluated.emit(self.evaluation)
        self._update_hint()

    def _push(self, after: Form, text: str, paths: tuple[str, ...] | None) -> None:
        if self.stack is None or self.form is None or after == self.form or self.model.read_only:
            return
        self.stack.push(FormChange(self, self.form, after, text, paths))

    # -- edit sessions -----------------------------------------------------------------------
    def _session_started(self, index: QModelIndex) -> None:
        path = index.data(FieldRole)
        if self.form is None or not path:
            return
        active = self.stack is not None and self.stack.isActive()
        self.session = EditSession(path, QPersistentModelIndex(index), self.form, active)
        if active and self.stack is not None:
            self.stack.setActive(False)  # undo/redo wait until the editor closes, as in a spreadsheet
        self.editingStarted.emit()

    def _end_session(self) -> EditSession | None:
        session, self.session = self.session, None
        if session is not None and session.stack_was_active and self.stack is not None:
            self.stack.setActive(True)
        return session

    def _session_finished(self) -> None:
        session = self._end_session()
        if session is None:
            return
        if self.stack is not None and self.form is not None and self.form != session.before:
            label = sheet_field_label(session.before, session.path)
            self.stack.push(CellEdit(self, session.before, self.form, session.path, label, merge=False))
        self.editingFinished.emit()

    def _session_cancelled(self) -> None:
        session = self._end_session()
        if session is None:
            return
        if self.form != session.before:
            self._display(session.before, (session.path,))
        self.editingCancelled.emit()

    def finish_editing(self) -> None:
        """Close an open cell editor, keeping what was typed (before anything else changes the form)."""
        if self.session is None:
            return
        editor = self.view.indexWidget(self.session.index)
        if editor is not None:
            self.view.delegate.commitData.emit(editor)
            self.view.delegate.closeEditor.emit(editor, self.view.delegate.EndEditHint.NoHint)
        if self.session is not None:  # the editor went away without closing
            self._session_finished()

    # -- edits -----------------------------------------------------------------------------
    def edit(self, path: str, value) -> None:
        if self.form is None or self.model.read_only:
            return
        if self.session is not None and self.session.path == path:
            # A keystroke in the open editor: shown and saved now, one undo step when it closes.
            after = with_value(self.form, path, value)
            if after != self.form:
                self._display(after, (path,))
                self.formChanged.emit(after)
            return
        self.finish_editing()
        before = self.form
        after = with_value(before, path, value)
        if after != before and self.stack is not None:
            self.stack.push(CellEdit(self, before, after, path, sheet_field_label(before, path)))

    def paste(self, index: QModelIndex, text: str) -> None:
        if self.form is None or self.model.layout is None or not index.isValid() or not text:
            return
        self.finish_editing()
        form, paths = editing.paste_block(self.form, self.model.layout, index.row() + 1, index.column() + 1, text,
                                          self.model.is_editable)
        self._push(form, f"粘贴 {len(paths)} 个单元格", paths)

    def clear(self, paths: list[str]) -> None:
        if self.form is None:
            return
        self.finish_editing()
        form, changed = editing.clear_fields(self.form, paths)
        self._push(form, f"清除 {len(changed)} 个单元格", changed)

    def accept_suggestion(self, row: int | None = None) -> None:
        if self.evaluation is None:
            return
        self.finish_editing()
        rows = None if row is None else [row]
        form, paths = editing.accept_suggestions(self.evaluation, rows)
        self._push(form, "采用建议得分" if row is not None else "全部采用建议得分", paths)

    def _accept_at(self, index: QModelIndex) -> None:
        row = indicator_index(index.data(FieldRole))
        if row is not None:
            self.accept_suggestion(row)

    def set_grade(self, row: int, grade: str) -> None:
        if self.form is None:
            return
        self.finish_editing()
        form, changed = editing.set_grade(self.form, row, grade, self.profile)
        self._push(form, f"选择达成等级“{grade}”", changed)

    def can_change_rows(self) -> bool:
        return self.form is not None and not self.form.template_bound

    def insert_row(self, row: int) -> None:
        if self.form is not None and self.can_change_rows():
            form, changed = editing.insert_indicator(self.form, row)
            self._push(form, "插入指标行", changed)

    def remove_row(self, row: int) -> None:
        if self.form is None or not self.can_change_rows():
            return
        if QMessageBox.question(self, "删除指标行", f"确定删除第 {row + 1} 个指标行？（可撤销）") == \
                QMessageBox.StandardButton.Yes:
            form, changed = editing.remove_indicator(self.form, row)
            self._push(form, "删除指标行", changed)

    def move_row(self, row: int, delta: int) -> None:
        moved = (editing.move_indicator(self.form, row, delta) if self.form is not None and self.can_change_rows()
                 else None)
        if moved is not None:
            self._push(moved[0], "移动指标行", moved[1])
            self.view.setCurrentIndex(self.model.index_of(f"indicators[{row + delta}].level3"))

    def jump_to(self, path: str) -> None:
        index = self.model.index_of(path)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self.view.setFocus()

    # -- hints and menus ---------------------------------------------------------------------
    def current_row(self) -> int | None:
        return indicator_index(self.view.currentIndex().data(FieldRole))

    def _update_hint(self) -> None:
        row = self.current_row()
        if row is None or self.evaluation is None or row >= len(self.evaluation.suggestions):
            self.hint.setText("Tab 跳到下一个可填单元格；Ctrl+Enter 采用建议得分；右键可选择达成等级")
            return
        suggestion = self.evaluation.suggestions[row]
        score = "无" if suggestion.score is None else str(suggestion.score)
        self.hint.setText(f"第 {row + 1} 个指标  建议得分：{score}  {suggestion.reason}")

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        row = indicator_index(index.data(FieldRole))
        menu = QMenu(self)
        if row is not None:
            menu.addAction("采用建议得分\tCtrl+Enter", lambda: self.accept_suggestion(row))
            grades = menu.addMenu("达成等级（定性指标）")
            rules = self.profile if self.form is None else self.profile.for_layout(self.form.layout)
            for grade in rules.band_names():
                action = QAction(grade, grades)
                action.setCheckable(True)
                action.setChecked(self.form is not None and self.form.indicators[row].grade == grade)
                action.triggered.connect(lambda _=False, g=grade: self.set_grade(row, g))
                grades.addAction(action)
            if self.can_change_rows():
                menu.addSeparator()
                menu.addAction("在下方插入指标行", lambda: self.insert_row(row))
                menu.addAction("删除本指标行", lambda: self.remove_row(row))
                menu.addAction("上移", lambda: self.move_row(row, -1))
                menu.addAction("下移", lambda: self.move_row(row, 1))
        menu.addAction("全部采用建议得分", lambda: self.accept_suggestion(None))
        menu.exec(self.view.viewport().mapToGlobal(pos))
