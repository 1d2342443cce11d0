"""Screenshots of the window with a seed form open, at scale 1 and 1.5, as a person would see it.

    python scripts/screenshot.py [OUT_FOLDER]        (default: docs/)

Runs itself under Xvfb (xvfb-run) when there is no display, and once per scale factor, on a
temporary database holding the sample forms.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shoot(out: Path, layout: str) -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from core.profile import default_profile
    from core.store import Store
    from ui.app import add_samples
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    store = Store(folder / "forms.sqlite3")
    add_samples(store)
    window = MainWindow(store, default_profile(), QSettings(str(folder / "w.ini"), QSettings.Format.IniFormat))
    window.resize(1500, 900)
    window.show()
    target = next(row.id for row in store.list_forms() if row.layout == layout)
    window.list_panel.select(target)
    window.editor.jump_to("indicators[0].actual")

    def grab() -> None:
        window.grab().save(str(out))
        window.close()
        store.close()
        app.quit()

    QTimer.singleShot(800, grab)
    app.exec()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), sys.argv[3])
        return
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    runner = [] if os.environ.get("DISPLAY") else [shutil.which("xvfb-run") or "xvfb-run", "-a", "-s",
                                                     "-screen 0 1920x1200x24"]
    for scale, layout, name in (("1", "A", "window-A.png"), ("1.5", "B", "window-B-150.png")):
        env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="xcb")
        subprocess.run([*runner, sys.executable, __file__, "--shoot", str(out / name), layout], env=env, check=True)
        print(out / name)


if __name__ == "__main__":
    main()
