"""Open the real window for the first time on a simulated screen and report, as JSON, what a clerk
would see: where the window is, which parts are inside the screen, which columns show.

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json [QT_SCALE_FACTOR=1.5] python -m tests.ui.screen_probe DB INI

Run in a child process by tests/ui/test_screen.py: a screen's size and scale are fixed once per
process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def inside(outer, rect) -> bool:
    return outer.contains(rect) and rect.width() > 0 and rect.height() > 0


def main(db: str, ini: str) -> None:
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QApplication

    from core.profile import default_profile
    from core.store import Store
    from ui.app import add_samples
    from ui.form_model import FieldRole
    from ui.main_window import MainWindow

    app = QApplication([])
    store = Store(Path(db))
    add_samples(store)
    window = MainWindow(store, default_profile(), QSettings(ini, QSettings.Format.IniFormat))
    window.show()
    for _ in range(5):
        app.processEvents()
    screen = window.screen()
    area = screen.availableGeometry()

    def on_screen(widget) -> bool:
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        return inside(area, QRect(top_left, widget.size()))

    table = window.list_panel.table
    header = table.horizontalHeader()
    columns = {}
    for column in range(header.count()):
        name = table.model().headerData(column, header.orientation())
        columns[name] = {"hidden": table.isColumnHidden(column), "x": table.columnViewportPosition(column),
                         "width": table.columnWidth(column)}
    view = window.editor.view
    report = {
        "screen": [area.width(), area.height(), screen.devicePixelRatio()],
        "window": [window.geometry().x(), window.geometry().y(), window.width(), window.height()],
        "maximised": window.isMaximized(),
        "window_on_screen": inside(area, window.geometry()),
        "status_bar_on_screen": on_screen(window.statusBar()) and window.statusBar().isVisible(),
        "findings_on_screen": on_screen(window.findings) and window.findings.height() > 40,
        "score_label_on_screen": on_screen(window.score_label),
        "list_viewport_width": table.viewport().width(),
        "list_scroll_max": table.horizontalScrollBar().maximum(),
        "list_columns": columns,
        "grid_viewport_width": view.viewport().width(),
        "grid_columns_width": sum(view.columnWidth(c) for c in range(view.model().columnCount())),
        "grid_scroll_max": view.horizontalScrollBar().maximum(),
        "fit_width": window.zoom.act_fit.isChecked(),
        "zoom": window.zoom.zoom,
        "focus_in_grid": QApplication.focusWidget() is view,
        "current": view.currentIndex().data(FieldRole),
    }
    window.close()
    store.close()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:3])
