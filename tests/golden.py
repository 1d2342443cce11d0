"""Golden `check --json` outputs: the samples and the seed fixtures as the program reports them.

Refactorings (the house, layouts as data) must leave these byte-identical. When a change is meant
to alter them, regenerate with `python scripts/update_golden.py` and review the diff in the commit.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"


def cases(folder: Path) -> dict[str, Path]:
    """{golden name: the xlsx to check}: the shipped samples and the seeds in several spellings."""
    from tests.seeds import seed_workbook

    samples = sorted((ROOT / "resources" / "samples").glob("*.xlsx"))
    found = {f"sample-{path.stem.split('-')[1]}": path for path in samples}
    found["seed-A"] = seed_workbook(folder / "seed-A.xlsx", "A")
    found["seed-B"] = seed_workbook(folder / "seed-B.xlsx", "B")
    found["seed-A-amounts-as-text"] = seed_workbook(folder / "seed-A-text.xlsx", "A", amounts_as_text=True)
    found["seed-A-unmerged"] = seed_workbook(folder / "seed-A-unmerged.xlsx", "A", merged=False)
    found["seed-B-unmerged"] = seed_workbook(folder / "seed-B-unmerged.xlsx", "B", merged=False)
    return found


def check_json_text(path: Path) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(path), "--json"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
                            env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"})
    return result.stdout


def write_all() -> list[Path]:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as temp:
        for name, path in cases(Path(temp)).items():
            target = GOLDEN / f"{name}.json"
            target.write_text(check_json_text(path), encoding="utf-8")
            written.append(target)
    return written
