"""The program never opens a network connection: intranet PCs have none, and a form must not leave
the PC except as a file the clerk exports.

"Network" here means an Internet-family socket: AF_INET or AF_INET6 (TCP, UDP, including loopback
and name lookups). Unix-domain sockets (AF_UNIX) are local IPC, not network: Qt talks D-Bus and X11
through them on a Linux desktop, and they are allowed.

Two layers, both in real child processes running `python main.py`:
- Python: a sitecustomize.py on PYTHONPATH replaces socket.socket (for AF_INET/AF_INET6),
  socket.create_connection, socket.getaddrinfo and the other resolver functions with versions that
  record the attempt and raise. Every command must still succeed, and nothing may be recorded.
- System calls (where strace is installed): the same runs under `strace -f -e trace=socket`, which
  also sees sockets opened by Qt's C++ code or by any C library; no AF_INET/AF_INET6 socket may appear.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.seeds import seed_workbook

GUARD = textwrap.dedent('''
    """Installed by tests/packaging/test_no_network.py: Internet sockets fail and are recorded."""
    import errno
    import os
    import socket
    import traceback

    _LOG = os.environ["NO_NETWORK_LOG"]
    _INTERNET = {socket.AF_INET, socket.AF_INET6}


    def _record(what):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(what + "\\n" + "".join(traceback.format_stack(limit=12)) + "\\n")


    def _refuse(what):
        _record(what)
        raise OSError(errno.ENETUNREACH, "network disabled by test_no_network: " + what)


    class _GuardedSocket(socket.socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and (socket.AF_INET if family == -1 else family) in _INTERNET:
                _refuse(f"socket.socket(family={family!r}, type={type!r})")
            super().__init__(family, type, proto, fileno)


    def _refuser(name):
        def refuse(*args, **kwargs):
            _refuse(f"socket.{name}{args!r}")
        return refuse


    socket.socket = _GuardedSocket
    socket.SocketType = _GuardedSocket
    for _name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                  "gethostbyaddr", "getnameinfo", "getfqdn"):
        setattr(socket, _name, _refuser(_name))
    os.environ["NO_NETWORK_GUARD_ACTIVE"] = "1"
''')


@pytest.fixture
def runner(tmp_path):
    """runner(guard=True) -> run(*args, prefix=(), python_code=None): `python main.py ARGS` (or
    `python -c CODE`) in a child process, with the Python guard installed when guard is true, a
    private HOME and data folder, and the offscreen Qt platform. runner.log is the guard's record."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network-attempts.log"
    home = tmp_path / "home"
    home.mkdir()

    def make(guard: bool = True):
        path = [str(guard_dir), str(ROOT)] if guard else [str(ROOT)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path), NO_NETWORK_LOG=str(log), PYTHONIOENCODING="utf-8",
                   QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
                   XDG_CONFIG_HOME=str(home / "config"))
        env.pop("PERF_SELF_EVAL_DB", None)

        def run(*args, prefix=(), python_code=None):
            command = [*prefix, sys.executable]
            command += ["-c", python_code] if python_code else [str(ROOT / "main.py"), *map(str, args)]
            return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env,
                                  timeout=180)

        return run

    make.log = log  # type: ignore[attr-defined]  # the fixture's runner carries its log's path
    return make


def clerk_session(run, tmp_path: Path, prefix=()) -> list[subprocess.CompletedProcess]:
    """The main commands a clerk or a batch script runs, then a window session; each must succeed."""
    seed_a = seed_workbook(tmp_path / "seed_a.xlsx", "A")
    seed_b = seed_workbook(tmp_path / "seed_b.xlsx", "B")
    db = tmp_path / "forms.sqlite3"
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    steps = [
        ("import", seed_a, seed_b, "--db", db),
        ("list", "--db", db, "--json"),
        ("check", seed_a, "--json"),
        ("check", "2", "--db", db, "--json"),
        ("export-xlsx", "1", out / "a.xlsx", "--db", db),
        ("export-pdf", "2", out / "b.pdf", "--db", db),
        ("export-pdf", "--all", out, "--db", db),
        ("export-report", "--all", out, "--db", db),
        ("--selftest", "--db", db),
        ("--selftest",),  # the default database under the user's data folder, and the sample forms
    ]
    results = []
    for step in steps:
        result = run(*step, prefix=prefix)
        assert result.returncode == 0, f"{step}: {result.stderr}"
        results.append(result)
    assert json.loads(results[1].stdout)["forms"], results[1].stdout
    assert (out / "a.xlsx").stat().st_size > 0 and (out / "b.pdf").read_bytes().startswith(b"%PDF")
    assert len(list(out.glob("*_自评报告.docx"))) == 2
    assert "自检通过" in results[-1].stdout
    return results


def test_guard_records_and_refuses_a_connection_attempt(runner):
    """The guard itself works, so the test below cannot pass vacuously."""
    run, log = runner(), runner.log
    result = run(python_code="import os, socket\n"
                             "assert os.environ.get('NO_NETWORK_GUARD_ACTIVE') == '1'\n"
                             "socket.socketpair()  # AF_UNIX: allowed\n"
                             "socket.create_connection(('127.0.0.1', 9))")
    assert result.returncode != 0 and "network disabled" in result.stderr
    assert "create_connection" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_commands_and_window_work_with_no_network_and_never_try_to_connect(runner, tmp_path):
    run, log = runner(), runner.log
    clerk_session(run, tmp_path)
    attempts = log.read_text(encoding="utf-8") if log.exists() else ""
    assert attempts == "", f"the program tried to use the network:\n{attempts}"


def _strace_works() -> bool:
    if not shutil.which("strace"):
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=none", "true"], capture_output=True)
    return probe.returncode == 0  # fails where ptrace is not permitted (some containers)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="strace is Linux only")
def test_no_internet_socket_is_created_at_system_call_level_by_python_or_qt(runner, tmp_path):
    """Without the Python guard, so this sees what the program really does, in Python, Qt or C."""
    if not _strace_works():
        pytest.skip("strace is not installed or ptrace is not permitted (apt-get install strace)")
    run = runner(guard=False)
    trace = tmp_path / "strace.log"
    # -f follows child processes and threads; -A appends, so one file holds every step.
    prefix = ("strace", "-f", "-qq", "-e", "trace=socket", "-e", "signal=none", "-A", "-o", str(trace))
    control = run(prefix=prefix, python_code="import socket; socket.socket(socket.AF_INET6).close()")
    assert control.returncode == 0, control.stderr
    assert "AF_INET6" in trace.read_text(encoding="utf-8"), "strace did not record the control socket"
    trace.unlink()

    clerk_session(run, tmp_path, prefix=prefix)
    calls = trace.read_text(encoding="utf-8", errors="replace").splitlines()
    internet = [line for line in calls if "AF_INET" in line]
    assert internet == [], "Internet sockets opened:\n" + "\n".join(internet)
