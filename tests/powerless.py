"""Running a piece of Python in a child process that cannot ignore file permissions, as a clerk's
account cannot. CI runs as root, where chmod alone stops no write: the child drops the capabilities
that let root override permissions (Linux), so a read-only folder is read-only for it too."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

from tests.conftest import ROOT


def without_root_powers() -> None:
    """In the child, before it runs: drop CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_python_powerless(code: str, *args: str | os.PathLike) -> subprocess.CompletedProcess:
    """`python -c code args...` from the repository root, without root's powers over files."""
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, cwd=ROOT, env=dict(os.environ, PYTHONIOENCODING="utf-8"),
                          preexec_fn=without_root_powers if os.geteuid() == 0 else None)
