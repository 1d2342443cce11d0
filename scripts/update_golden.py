"""Regenerate tests/data/golden/*.json (the `check --json` of the samples and seed fixtures).

Run only when a change is meant to alter what `check` reports, and review the diff before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.golden import write_all

if __name__ == "__main__":
    for path in write_all():
        print(path)
