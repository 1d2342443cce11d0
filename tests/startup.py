"""What `python main.py --selftest` imports, by `python -X importtime` (see tests/data/startup_modules.txt)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "data" / "startup_modules.txt"
OURS = ("core", "ui", "cli", "resources", "main")


def startup_modules(db: Path) -> set[str]:
    """Our own modules by full name and other packages by their top-level name, imported on the way
    to the first form open and recomputed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "main.py"), "--selftest", "--db", str(db)],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    names = set()
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", line)
        if match:
            name = match.group(1)
            top = name.split(".")[0]
            if top.startswith("_") or top in ("sitecustomize", "usercustomize"):
                continue  # the interpreter's own, and what an editable install adds
            names.add(name if top in OURS else top)
    return names
