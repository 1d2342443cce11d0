"""Start the window: open the one store, pick the rule profile, offer the sample forms on first start.

`python main.py [--db PATH] [--profile PATH] [--selftest]`. --selftest builds the real window on
the database, opens the first form, recomputes it, closes and exits 0 (non-zero with the reason):
packaged builds are smoke-tested with it, offscreen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from core import APP_NAME, __version__
from core.paths import resource
from core.profile import load_profile
from core.store import Store, StoreError, resolve_db_path
from core.unit_settings import UnitSettings

SAMPLES_KEY = "samples_offered"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--profile")
    parser.add_argument("--selftest", action="store_true")
    return parser.parse_args(argv)


def add_samples(store: Store) -> list:
    """On the first start with an empty database, the two seed forms as 示例 forms."""
    if store.list_forms() or store.setting(SAMPLES_KEY) == "1":
        return []
    from core.importing import import_file

    imported = []
    for path in sorted(resource("samples").glob("*.xlsx")):
        imported += import_file(store, path).results
    store.set_setting(SAMPLES_KEY, "1")
    return imported


def _load_qt_translation(app) -> None:
    """Qt's own texts (OK/Cancel, file dialogs, the print preview) in Simplified Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_", folder):
            app.installTranslator(translator)
            return


def run(argv: list[str]) -> int:
    args = parse(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("perf-self-eval")
    app.setOrganizationName("perf-self-eval")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    _load_qt_translation(app)

    def fail(message: str) -> int:
        if args.selftest:
            print(f"自检失败：{message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, message)
        return 1

    try:
        store = Store(resolve_db_path(args.db))
    except StoreError as exc:
        return fail(str(exc))
    try:
        settings = UnitSettings.from_store(store)
        loaded = load_profile(args.profile or settings.rule_profile or None)
        add_samples(store)
        from ui.main_window import MainWindow

        # The self-test must not leave window settings behind (next to the database or anywhere).
        scratch = tempfile.TemporaryDirectory() if args.selftest else None
        qsettings = QSettings(str(Path(scratch.name) / "selftest.ini"), QSettings.Format.IniFormat) \
            if scratch else QSettings()
        window = MainWindow(store, loaded.profile, qsettings)
        if loaded.problems and not args.selftest:
            QMessageBox.warning(window, "评分规则", "\n".join(loaded.problems))
        if args.selftest:
            return selftest(window, loaded.problems)
        window.show()
        return app.exec()
    except StoreError as exc:
        return fail(str(exc))
    finally:
        store.close()


def selftest(window, problems) -> int:
    from PySide6.QtWidgets import QApplication

    window.show()
    QApplication.processEvents()
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
          f"{'；规则配置有误，已用内置规则' if problems else ''}")
    return 0
