"""Screenshots of the program as a person sees it, for docs/.

    python scripts/screenshot.py [OUT_FOLDER]        (default: docs/)

- window-1366x768.png: the window with a sample form open on a 1366×768 laptop at 100 %;
- window-150.png: the same on a 1920×1080 screen at 150 % (1280×720 logical pixels);
- help.png: the 帮助 page (F1);
- title-bar.png: the top of the window as the window manager draws it, with the application icon
  in the title bar and the toolbar's icons below, and title-bar-icon-4x.png, its left end enlarged
  (needs a window manager: openbox, if installed; without one there is no title bar to show and
  the picture is skipped with a message).

Each picture runs under its own Xvfb screen of that size (xvfb-run) when there is no display, on a
temporary database holding the sample forms and fresh window settings, through the same start-up
as `python main.py`: the window's geometry, zoom and 适应宽度 come from the screen alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHOTS = (  # file, screen in device pixels, scale, what
    ("window-1366x768.png", "1366x768", "1", "A"),
    ("window-150.png", "1920x1080", "1.5", "B"),
    ("help.png", "1920x1200", "1", "help"),
    ("title-bar.png", "1920x1200", "1", "title-bar"),
)


def shoot(out: Path, what: str) -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QGuiApplication

    from ui.app import make_application, parse, start

    manager = None
    if what == "title-bar" and shutil.which("openbox"):
        manager = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # let it take over the display before the window is mapped
    app = make_application()
    folder = Path(tempfile.mkdtemp())
    settings = QSettings(str(folder / "w.ini"), QSettings.Format.IniFormat)
    window, store, _ = start(parse(["--db", str(folder / "forms.sqlite3")]), settings)
    if what == "title-bar":
        window.setGeometry(40, 40, 1100, 700)

    def arrange() -> None:
        if what in ("A", "B"):
            target = next(row.id for row in store.list_forms() if row.layout == what)
            window.list_panel.select(target)
        elif what == "help":
            window.act_help.trigger()
            window.help_dialog.resize(820, 900)

    def grab() -> None:
        if what == "help":
            window.help_dialog.grab().save(str(out))
        elif what == "title-bar":
            frame = window.frameGeometry()
            picture = QGuiApplication.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), 150)
            picture.save(str(out))
            # The title bar's icon is 16 pixels: the same corner enlarged 4 times, without smoothing.
            corner = picture.copy(0, 0, 360, 64)
            corner.scaled(corner.width() * 4, corner.height() * 4).save(str(out.with_name(out.stem + "-icon-4x.png")))
        else:
            window.grab().save(str(out))
        window.close()
        store.close()
        app.quit()

    window.filled.connect(arrange)
    QTimer.singleShot(1500, grab)
    app.exec()
    if manager is not None:
        manager.terminate()
        manager.wait(timeout=10)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), sys.argv[3])
        return
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    for name, screen, scale, what in SHOTS:
        if what == "title-bar" and not shutil.which("openbox"):
            print("openbox is not installed: no window manager, no title bar to photograph "
                  "(apt-get install openbox)", file=sys.stderr)
            continue
        runner = [] if os.environ.get("DISPLAY") else [shutil.which("xvfb-run") or "xvfb-run", "-a", "-s",
                                                         f"-screen 0 {screen}x24"]
        env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="xcb")
        subprocess.run([*runner, sys.executable, __file__, "--shoot", str(out / name), what], env=env, check=True)
        print(out / name)


if __name__ == "__main__":
    main()
