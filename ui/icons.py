"""The program's icons: the application icon (window, taskbar) and the toolbar's.

They are PNG files drawn by scripts/make_icons.py (the project's own drawings, under its licence),
one file per size so small icons stay sharp; QIcon loads a file only when that size is painted.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from core.paths import resource

# Window action attribute -> icon name (resources/icons/<name>-<size>.png).
ACTION_ICONS = {
    "act_new": "new", "act_import": "import", "act_save": "save", "act_undo": "undo", "act_redo": "redo",
    "act_check": "check", "act_accept_all": "accept", "act_export_xlsx": "export-xlsx",
    "act_export_pdf": "export-pdf", "act_print": "print", "act_help": "help",
}


@cache
def _files() -> dict[str, list[tuple[int, str]]]:
    """Icon name -> (size, path) of each of its files, from one listing of the folder."""
    found: dict[str, list[tuple[int, str]]] = {}
    folder = resource("icons")
    for path in sorted(folder.glob("*.png")) if folder.is_dir() else ():
        name, _, size = path.stem.rpartition("-")
        if size.isdigit():
            found.setdefault(name, []).append((int(size), str(path)))
    return found


@cache
def icon(name: str) -> QIcon:
    """The icon `name` at every size drawn for it (an empty icon if its files are missing). The
    size is given with each file, so nothing is read from disk until the icon is painted."""
    result = QIcon()
    for size, path in _files().get(name, []):
        result.addFile(path, QSize(size, size))
    return result


def app_icon() -> QIcon:
    return icon("app")


def decorate(window) -> None:
    """Put the icons on the window's actions (the toolbar shows them, the menus too)."""
    for attribute, name in ACTION_ICONS.items():
        action = getattr(window, attribute, None)
        if action is not None:
            action.setIcon(icon(name))
