"""Start-up imports nothing it did not import before (issue 14): reordering the house must not add
modules to the way to the first form. A change that means to import more at start-up updates
tests/data/startup_modules.txt in the same commit, where the reviewer sees it."""

from __future__ import annotations

from tests.conftest import run_main
from tests.startup import BASELINE, startup_modules


def test_start_up_imports_no_module_beyond_the_baseline(tmp_path, seed_a):
    db = tmp_path / "forms.sqlite3"
    assert run_main("import", seed_a, "--db", db).returncode == 0
    baseline = {line for line in BASELINE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    added = startup_modules(db) - baseline
    assert added == set(), f"start-up now also imports {sorted(added)}"
