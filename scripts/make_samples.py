"""Regenerate resources/samples/: the two seed forms as official xlsx, offered on first start.

    python scripts/make_samples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.checks import evaluate
from core.profile import default_profile
from core.xlsx.writer import write_xlsx
from tests.seeds import seed_form


def main() -> None:
    folder = ROOT / "resources" / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    for layout in ("A", "B"):
        form = seed_form(layout)
        path = folder / f"sample-{layout}-{form.code}.xlsx"
        write_xlsx(path, [(evaluate(form, default_profile()), f"示例{layout}")], force=True)
        print(path)


if __name__ == "__main__":
    main()
