"""ruff and mypy, as configured in pyproject.toml, find nothing in the tree: the README's test
command (and CI) runs them with the rest of the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_tool(*args: str) -> subprocess.CompletedProcess:
    """`python -m TOOL ARGS` from the repository root, where pyproject.toml says what to check."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=600)


def test_ruff_finds_no_lint_in_the_tree():
    result = run_tool("ruff", "check", ".")
    assert result.returncode == 0, f"ruff check . found problems:\n{result.stdout}{result.stderr}"


@pytest.mark.slow
def test_mypy_finds_no_type_errors_in_the_tree():
    result = run_tool("mypy")  # no arguments: the files and settings come from pyproject.toml
    assert result.returncode == 0, f"mypy found problems:\n{result.stdout}{result.stderr}"
