"""Child process for bench/run.py's cold measurements (not for users).

    python bench/probe.py bare                 a bare PySide6 window: the floor for start-up
    python bench/probe.py app DB               the app's window on DB, first form open
    python bench/probe.py memory DB FORM_ID    the app's window with FORM_ID open; prints peak memory

Prints "READY" once the window has been shown and painted (a zero timer fires after the pending
events, the first paint among them), then exits.
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

    app = QApplication(sys.argv[:1])
    mode = sys.argv[1]
    if mode == "bare":
        window = QMainWindow()
        window.setCentralWidget(QLabel("项目支出绩效自评表"))
        window.resize(1400, 860)
    else:
        from PySide6.QtCore import QSettings

        from core.profile import default_profile
        from core.store import Store
        from ui.main_window import MainWindow

        store = Store(sys.argv[2])
        settings = QSettings(str(Path(sys.argv[2]).with_suffix(".ini")), QSettings.Format.IniFormat)
        window = MainWindow(store, default_profile(), settings)
        if mode == "memory":
            window.list_panel.select(int(sys.argv[3]))
    window.show()

    def ready() -> None:
        extra = f" {peak_mb():.1f}" if mode == "memory" else ""
        print(f"READY{extra}", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


if __name__ == "__main__":
    main()
