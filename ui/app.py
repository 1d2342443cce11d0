"""Start the window: open the one store (the database used last, see ui.database_start), pick the
rule profile, add the sample forms on a true first start, show the window, then fill it.

`python main.py [--db PATH] [--profile PATH] [--selftest]`. --selftest builds the real window on
the database, opens the first form, recomputes it, closes and exits 0 (non-zero with the reason):
packaged builds are smoke-tested with it, offscreen.

Start-up order (bench/README.md has the numbers): the window is shown as soon as it is built, with
its menus, toolbar and panes in their final places and its size restored; once it has painted, the
list and the form used last are filled in, so the clerk sees the window at once, never an
unpainted (blank) rectangle, and the form appears in it without the window moving or resizing.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core import APP_NAME, __version__
from core.profile import load_profile
from core.samples import add_samples
from core.store import DB_ENV, StoreError, default_db_path
from core.store.unit_settings import UnitSettings

__all__ = ["add_samples", "run", "start"]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--profile")
    parser.add_argument("--layouts")
    parser.add_argument("--selftest", action="store_true")
    return parser.parse_args(argv)


def _load_qt_translation(app) -> None:
    """Qt's own texts (OK/Cancel, file dialogs, the print preview) in Simplified Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_", folder):
            app.installTranslator(translator)
            return


def make_application() -> QApplication:
    from ui.icons import app_icon

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("perf-self-eval")
    app.setOrganizationName("perf-self-eval")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("perf-self-eval")  # Wayland and some docks match the .desktop file by this
    app.setWindowIcon(app_icon())
    _load_qt_translation(app)
    return app


class StartError(Exception):
    """The window could not start; the message says why, in Chinese."""


def start(args: argparse.Namespace, settings: QSettings, default_db: Path | None = None):
    """Open the store, build and show the window, and schedule filling it. Returns (window, store,
    problems of the rule profile); (None, None, []) when the clerk chose to quit. Raises StartError.
    `default_db` replaces the database under the user's data folder (tests)."""
    from ui.database_start import open_database

    explicit = args.db or os.environ.get(DB_ENV, "").strip() or None
    try:
        store = open_database(settings, explicit, default_db or default_db_path())
    except StoreError as exc:
        raise StartError(str(exc)) from exc
    if store is None:
        return None, None, []
    from core.layout_files import add_layout_folder

    layout_problems = add_layout_folder(store.path.parent / "layouts")
    if args.layouts:
        layout_problems += add_layout_folder(args.layouts)
    try:
        loaded = load_profile(args.profile or UnitSettings.from_store(store).rule_profile or None)
        add_samples(store)
        from ui.main_window import MainWindow

        window = MainWindow(store, loaded.profile, settings, fill=False)
    except StoreError as exc:
        store.close()
        raise StartError(str(exc)) from exc
    window.show()
    after_first_paint(window, lambda: _fill(window))
    return window, store, [*loaded.problems, *layout_problems]


def _fill(window) -> None:
    try:
        window.fill()
    finally:
        gc.enable()  # main.py paused the collector for the start-up (a no-op when it did not)


class _FirstPaint(QObject):
    """Runs `then` once `widget` has painted for the first time (or after `fallback_ms`, should no
    paint come, e.g. a window started minimised): the window is on the screen, drawn, before the
    list and the form are filled in. A zero timer is not enough: it may fire before the window
    system has asked for the first paint, and the window would stay unpainted (blank) meanwhile."""

    def __init__(self, widget, then, fallback_ms: int):
        super().__init__(widget)
        self.widget, self.then, self.done = widget, then, False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)

    def eventFilter(self, watched, event) -> bool:  # Qt's name
        if event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self, self._run)  # after this paint has reached the screen
        return False

    def _run(self) -> None:
        if not self.done:
            self.done = True
            self.widget.removeEventFilter(self)
            self.then()


def after_first_paint(widget, then, fallback_ms: int = 300) -> None:
    _FirstPaint(widget, then, fallback_ms)


def run(argv: list[str]) -> int:
    args = parse(argv)
    app = make_application()

    def fail(message: str) -> int:
        if args.selftest:
            print(f"自检失败：{message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, message)
        return 1

    # The self-test must not leave window settings behind (next to the database or anywhere).
    scratch = tempfile.TemporaryDirectory() if args.selftest else None
    settings = QSettings(str(Path(scratch.name) / "selftest.ini"), QSettings.Format.IniFormat) \
        if scratch else QSettings()
    try:
        window, store, problems = start(args, settings)
    except StartError as exc:
        return fail(str(exc))
    if window is None:
        return 0
    try:
        if args.selftest:
            return selftest(window, problems)
        if problems:
            QTimer.singleShot(0, lambda: QMessageBox.warning(window, "规则与版式文件", "\n".join(problems)))
        return app.exec()
    except StoreError as exc:
        return fail(str(exc))
    finally:
        store.close()


def selftest(window, problems) -> int:
    import time

    deadline = time.monotonic() + 10
    while not window.has_filled and time.monotonic() < deadline:  # it fills itself once painted
        QApplication.processEvents()
        time.sleep(0.01)
    forms = window.store.list_forms()
    if not forms:
        print("自检失败：数据库中没有任何表（示例表也未能导入）", file=sys.stderr)
        return 1
    window.list_panel.select(forms[0].id)
    QApplication.processEvents()
    if window.editor.form is None:
        print("自检失败：第一张表没有打开", file=sys.stderr)
        return 1
    evaluation = window.editor.recheck()
    window.close()
    QApplication.processEvents()
    print(f"自检通过：{len(forms)} 张表；第一张“{evaluation.form.name}”总分 {evaluation.computed.total_score}"
          + "".join(f"；{problem}" for problem in problems))  # each names its file: rules or a layout
    return 0
