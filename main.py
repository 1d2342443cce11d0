"""项目支出绩效自评表 — entry point.

`python main.py` opens the window; `python main.py COMMAND ...` runs a headless command (SPEC §7):
import, list, export-xlsx, export-pdf, check. `python main.py --help` lists them.
"""

from __future__ import annotations

import sys


COMMANDS = {"import", "list", "export-xlsx", "export-pdf", "check"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not any(arg in COMMANDS or arg in ("-h", "--help") for arg in argv):
        from ui.app import run as run_window  # Qt is imported only when a window is wanted

        return run_window(argv)
    from core.cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
