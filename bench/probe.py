"""Child process for bench/run.py's cold measurements (not for users).

    python bench/probe.py bare                 a bare PySide6 window: the floor for start-up
    python bench/probe.py app DB               the app's window on DB, first form open
    python bench/probe.py memory DB FORM_ID    the app's window with FORM_ID open; prints peak memory
    python bench/probe.py phases DB            as `app`, and prints when each step of the start-up ended

Prints "READY" once the window has been shown and has painted (bare: its label; app: the grid with
its first form open), seen by an event filter on that widget, then exits. `app` also prints
"SHOWN" when the window has first painted (menus, toolbar, empty panes), before it is filled. `app` and
`memory` go through ui.app.start, the path `python main.py` takes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


MARKS: list[tuple[str, float]] = []


def PaintWatcher(widget, then):  # a class's name: it builds a QObject subclass once Qt is imported
    """Calls `then` (on the next turn of the event loop) after `widget` has really painted, once
    armed: a zero timer alone may fire before the first paint of a newly shown window."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watcher(QObject):
        def __init__(self):
            super().__init__(widget)
            self.armed = False
            widget.installEventFilter(self)

        def arm(self) -> None:
            self.armed = True
            widget.update()

        def eventFilter(self, watched, event) -> bool:  # Qt's name
            if self.armed and event.type() == QEvent.Type.Paint:
                self.armed = False
                QTimer.singleShot(0, then)
            return False

    return Watcher()


def mark(what: str) -> None:
    """`phases` mode: the time since the interpreter started, per step of the start-up."""
    MARKS.append((what, time.perf_counter()))


def main() -> None:
    mark("interpreter started, probe running")
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    mark("PySide6 imported")
    mode = sys.argv[1]

    def ready() -> None:
        mark("first form painted")
        extra = f" {peak_mb():.1f}" if mode == "memory" else ""
        if mode == "phases":
            extra = " " + ";".join(f"{what}={(at - MARKS[0][1]) * 1000:.1f}" for what, at in MARKS)
        print(f"READY{extra}", flush=True)
        app.quit()

    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        label = QLabel("项目支出绩效自评表")
        window.setCentralWidget(label)
        window.resize(1400, 860)
        watcher = PaintWatcher(label, ready)
        watcher.arm()
        window.show()
    else:
        # The real start-up path of `python main.py --db DB` (ui.app.start): it shows the window,
        # then fills it; READY once the first form is open and that paint is done.
        import gc

        from PySide6.QtCore import QSettings

        gc.disable()  # as main.py does before it imports ui.app; start() turns it back on once filled
        from ui.app import make_application, parse, start

        mark("ui.app imported (core: store, model, profile)")
        app = make_application()
        mark("QApplication, translation, icon")
        if mode == "phases":
            import ui.main_window  # noqa: F401 - imported inside start() otherwise; timed apart here

            mark("ui.main_window imported (grid, list, checks)")
        settings = QSettings(str(Path(sys.argv[2]).with_suffix(".ini")), QSettings.Format.IniFormat)
        if mode == "memory":
            settings.setValue("window/last_form", int(sys.argv[3]))
            settings.setValue("window/last_form_db", str(Path(sys.argv[2])))
        window, _, _ = start(parse(["--db", sys.argv[2]]), settings)
        mark("store opened, window built and shown")
        shown = PaintWatcher(window, lambda: print("SHOWN", flush=True))
        shown.arm()
        form = PaintWatcher(window.editor.view.viewport(), ready)
        def filled() -> None:
            mark("window painted, list filled, form opened")
            form.arm()

        window.filled.connect(filled)
    app.exec()


if __name__ == "__main__":
    main()
