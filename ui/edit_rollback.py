"""Esc on a cell editor takes back what autosave already wrote of the cancelled edit.

Autosave writes an edit while it is being typed (a crash loses at most the last keystroke). When the
clerk presses Esc, the grid shows the cell as it was and the undo stack is untouched; this puts the
store back too — the same revision, data, stamps and status as when the editor opened
(core.store.Store.roll_back_to). When something was sealed meanwhile (Ctrl+S), the store refuses,
and the form as it was is saved as an ordinary edit instead.
"""

from __future__ import annotations

from core.store import SavePoint, StoreError


class EditRollback:
    def __init__(self, window):
        self.window = window
        self.point: SavePoint | None = None
        editor = window.editor
        editor.editingStarted.connect(self.begin)
        editor.editingFinished.connect(self.forget)
        editor.editingCancelled.connect(self.cancel)

    def begin(self) -> None:
        """An editor opened: write what is pending (it belongs to before), then note the store's state."""
        window = self.window
        self.point = None
        if window.form_id is None or not window.write_pending():
            return
        try:
            self.point = window.store.save_point(window.form_id)
        except StoreError:
            self.point = None  # Esc then saves the earlier state as an ordinary edit

    def forget(self) -> None:
        self.point = None

    def cancel(self) -> None:
        window = self.window
        point, self.point = self.point, None
        window.drop_pending()
        if point is None or point.form_id != window.form_id:
            window.save_later(window.editor.form)
            return
        try:
            rolled_back = window.store.roll_back_to(point)
        except StoreError as exc:
            rolled_back = False
            window.statusBar().showMessage(f"撤回未完成的输入时出错：{exc}", 8000)
        if not rolled_back:
            window.save_later(window.editor.form)
            return
        listing = point.listing
        window.status_of_form = listing["status"]
        window.list_panel.model.update_row(point.form_id, **{key: listing[key] for key in (
            "code", "year", "name", "implementing_unit", "status", "total_score", "updated")})
        window.save_label.setText(f"已保存 {listing['updated'][11:19]}")
