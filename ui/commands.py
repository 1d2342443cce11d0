"""Undo commands. A command holds the form before and after: forms are immutable values, so undo
is simply showing the earlier value again."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from core.model import Form


class FormChange(QUndoCommand):
    """Any change of the form (a paste, a row added or moved, a suggestion accepted)."""

    def __init__(self, editor, before: Form, after: Form, text: str, paths: tuple[str, ...] | None = None):
        super().__init__(text)
        self.editor, self.before, self.after, self.paths = editor, before, after, paths
        self.done_once = False  # the first redo is the edit itself, where the clerk already is

    def redo(self) -> None:
        again, self.done_once = self.done_once, True
        if self.editor.form == self.after:  # already shown: an edit session showed it as it was typed
            return
        self.editor.show_form(self.after, self.paths)
        if again:
            self.editor.go_to(self.paths)

    def undo(self) -> None:
        self.editor.show_form(self.before, self.paths)
        self.editor.go_to(self.paths)  # as a spreadsheet does: the clerk sees what came back


class CellEdit(FormChange):
    """Typing in one cell; consecutive keystrokes in the same cell merge into one undo step."""

    ID = 1001

    def __init__(self, editor, before: Form, after: Form, path: str, label: str, merge: bool = True):
        super().__init__(editor, before, after, f"编辑{label}", (path,))
        self.path = path
        self.merge = merge  # an edit made in a cell editor is one step of its own, as in a spreadsheet

    def id(self) -> int:
        return self.ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (not isinstance(other, CellEdit) or not other.merge or other.path != self.path
                or other.editor is not self.editor):
            return False
        self.after = other.after
        return True
