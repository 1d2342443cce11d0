"""Shared fixtures. UI tests run offscreen; every test gets real files in its own tmp folder."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import core  # noqa: E402,F401  (keeps openpyxl on the standard library's XML parser, as the program does)
from tests.seeds import seed_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_a(tmp_path) -> Path:
    return seed_workbook(tmp_path / "seed_a.xlsx", "A")


@pytest.fixture
def seed_b(tmp_path) -> Path:
    return seed_workbook(tmp_path / "seed_b.xlsx", "B")


def run_main(*args, cwd=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """`python main.py ARGS` in a real child process, as a clerk's batch script would run it."""
    full_env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd or ROOT, env=full_env, timeout=timeout,
    )


def check_json(path, *extra) -> tuple[dict, subprocess.CompletedProcess]:
    result = run_main("check", path, "--json", *extra)
    assert result.stdout, result.stderr
    return json.loads(result.stdout), result


def _without_root_powers() -> None:
    """In the child: drop the capabilities that let root ignore file permissions (CI runs as root),
    so a read-only file or folder is read-only to it as to a clerk."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_main_powerless(*args, timeout=60) -> subprocess.CompletedProcess:
    """run_main() in a child that file permissions bind even when the tests run as root."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=timeout,
                          preexec_fn=_without_root_powers if os.geteuid() == 0 else None)
