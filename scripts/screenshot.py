"""Screenshots of the window as a clerk sees it on two common screens, with a seed form open:

    docs/window-1366x768.png   a 1366×768 laptop at 100 %
    docs/window-150.png        a 1920×1080 screen at 150 % (1280×720 logical pixels)

    python scripts/screenshot.py [OUT_FOLDER]        (default: docs/)

Each shot runs under its own Xvfb screen of that size (xvfb-run), on a temporary database holding
the sample forms and fresh window settings, so the window opens as it would the first time: its
geometry, zoom and 适应宽度 come from the screen alone.
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

# (file name, screen in device pixels, scale factor, layout of the form shown)
SHOTS = (("window-1366x768.png", "1366x768", "1", "A"), ("window-150.png", "1920x1080", "1.5", "B"))


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
    target = next(row.id for row in store.list_forms() if row.layout == layout)
    window.list_panel.select(target)
    window.show()

    def grab() -> None:
        window.grab().save(str(out))
        window.close()
        store.close()
        app.quit()

    QTimer.singleShot(1000, grab)
    app.exec()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), sys.argv[3])
        return
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    for name, screen, scale, layout in SHOTS:
        runner = [] if os.environ.get("DISPLAY") else [shutil.which("xvfb-run") or "xvfb-run", "-a", "-s",
                                                         f"-screen 0 {screen}x24"]
        env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="xcb")
        subprocess.run([*runner, sys.executable, __file__, "--shoot", str(out / name), layout], env=env, check=True)
        print(out / name)


if __name__ == "__main__":
    main()
