"""Which database the window opens at start-up, and what happens when it is gone.

The path of the database used last is kept in QSettings. When that file has disappeared (deleted,
moved, a USB stick not plugged in) the window does not quietly start over with a fresh database and
the samples, which would look like all the work was lost: it says so and offers to restore a
backup there, to choose another database file, or to create an empty database. Only a true first
start (nothing remembered, no database yet) creates the database with the two sample forms.
`--db PATH` or $PERF_SELF_EVAL_DB choose the file outright and are not remembered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from core import APP_NAME
from core.samples import decline_samples
from core.store import Store, StoreError, restore_backup_file

LAST_DB_KEY = "database/last_path"

RESTORE, OTHER, NEW, QUIT = "restore", "other", "new", "quit"
CHOICES = {RESTORE: "从备份恢复…", OTHER: "选择其他数据库文件…", NEW: "新建空数据库", QUIT: "退出"}
DATABASE_FILES = "数据库文件 (*.sqlite3 *.db);;所有文件 (*)"


def missing_message(path: Path) -> str:
    return (f"上次使用的数据库文件不存在：\n{path}\n\n"
            "它可能已被删除、移动或改名，或者所在的U盘、网络盘没有连接。"
            "如果只是没有连接，请先退出，连接后再打开本程序。")


def ask_what_to_do(path: Path, parent: QWidget | None) -> str:
    from PySide6.QtWidgets import QMessageBox  # dialogs load only when the database is missing

    box = QMessageBox(QMessageBox.Icon.Warning, f"{APP_NAME} - 找不到数据库", missing_message(path),
                      QMessageBox.StandardButton.NoButton, parent)
    buttons = {key: box.addButton(text, QMessageBox.ButtonRole.AcceptRole if key != QUIT
                                  else QMessageBox.ButtonRole.RejectRole) for key, text in CHOICES.items()}
    box.setDefaultButton(buttons[RESTORE])
    box.exec()
    return next((key for key, button in buttons.items() if button is box.clickedButton()), QUIT)


def open_database(settings: QSettings, explicit: str | Path | None, default: Path,
                  parent: QWidget | None = None) -> Store | None:
    """The store to open: `explicit` if given, else the remembered database, else `default`.
    None when the clerk chose to quit. Raises StoreError when the file cannot be opened."""
    if explicit:
        return Store(explicit)
    remembered = str(settings.value(LAST_DB_KEY, "") or "")
    path = Path(remembered) if remembered else default
    store = None
    while store is None:
        if path.exists() or not remembered:
            store = Store(path)  # an error here is the caller's to show, as for any database
            break
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # loaded only when the file is gone

        choice = ask_what_to_do(path, parent)
        try:
            if choice == RESTORE:
                source, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", str(path.parent), DATABASE_FILES)
                if source:
                    restore_backup_file(source, path)
            elif choice == OTHER:
                other, _ = QFileDialog.getOpenFileName(parent, "选择数据库文件", str(path.parent), DATABASE_FILES)
                if other:
                    store = Store(other)
                    path = Path(other)
            elif choice == NEW:
                store = Store(path)
                decline_samples(store)  # asked for an empty database: no sample forms in it
            else:
                return None
        except StoreError as exc:
            QMessageBox.critical(parent, APP_NAME, str(exc))
    settings.setValue(LAST_DB_KEY, str(path))
    return store
