"""项目支出绩效自评表 — entry point.

`python main.py` opens the window; `python main.py COMMAND ...` runs a headless command (SPEC §7):
import, list, export-xlsx, export-pdf, export-report, check, summary. `python main.py --help` lists them.
"""

from __future__ import annotations

import gc
import sys

WINDOW_OPTIONS = {"--db": 1, "--profile": 1, "--layouts": 1, "--selftest": 0}  # option -> how many values follow


def wants_window(argv: list[str]) -> bool:
    """True when the arguments are only the window's own options (or none)."""
    i = 0
    while i < len(argv):
        if argv[i] not in WINDOW_OPTIONS:
            return False
        i += 1 + WINDOW_OPTIONS[argv[i]]
    return i == len(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if wants_window(argv):
        # Start-up allocates a great many objects that all live on; collecting cycles among them
        # meanwhile costs ~5 ms. ui.app.start turns the collector back on once the window is filled.
        gc.disable()
        from ui.app import run as run_window  # Qt is imported only when a window is wanted

        return run_window(argv)
    from cli.main import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
