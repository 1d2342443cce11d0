"""Child process for bench/run.py's cold measurements (not for users).

    python bench/probe.py bare                 a bare PySide6 window: the floor for start-up
    python bench/probe.py app DB               the app's window on DB, first form open
    python bench/probe.py memory DB FORM_ID    the app's window with FORM_ID open; prints peak memory

Prints "READY" once the window has been shown and painted with its first form open (a zero timer
fires after the pending events, the paint among them), then exits. `app` and `memory` go through
ui.app.start, the path `python main.py` takes.
"""

from __future__ import annotations

import sys
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


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    mode = sys.argv[1]

    def ready() -> None:
        extra = f" {peak_mb():.1f}" if mode == "memory" else ""
        print(f"READY{extra}", flush=True)
        app.quit()

    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("项目支出绩效自评表"))
        window.resize(1400, 860)
        window.show()
        QTimer.singleShot(0, ready)
    else:
        # The real start-up path of `python main.py --db DB` (ui.app.start): it shows the window,
        # then fills it; READY once the first form is open and that paint is done.
        from PySide6.QtCore import QSettings

        from ui.app import make_application, parse, start

        app = make_application()
        settings = QSettings(str(Path(sys.argv[2]).with_suffix(".ini")), QSettings.Format.IniFormat)
        if mode == "memory":
            settings.setValue("window/last_form", int(sys.argv[3]))
            settings.setValue("window/last_form_db", str(Path(sys.argv[2])))
        window, _, _ = start(parse(["--db", sys.argv[2]]), settings)
        window.filled.connect(lambda: QTimer.singleShot(0, ready))
    app.exec()


if __name__ == "__main__":
    main()
