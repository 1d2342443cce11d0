"""`pip install .` (not editable) gives a working program: resources/ ships in the wheel as package
data, so the rule profile and the samples are there and `check` works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_the_wheel_carries_the_resources_and_its_command_checks_a_sample(tmp_path):
    source = tmp_path / "source"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        target = source / name
        if (ROOT / name).is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((ROOT / name).read_bytes())
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(dist), str(source)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"resources/rule_profile.toml", "main.py", "core/__init__.py", "ui/__init__.py"} <= names
    assert any(n.startswith("resources/samples/") and n.endswith(".xlsx") for n in names)
    target = tmp_path / "installed"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                              str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    sample = next((target / "resources" / "samples").glob("sample-A-*.xlsx"))
    # The installed command, with the test environment's dependencies and nothing of the checkout.
    env = dict(os.environ, PYTHONPATH=str(target), PYTHONIOENCODING="utf-8", PYTHONSAFEPATH="1")
    result = subprocess.run([sys.executable, str(target / "bin" / "perf-self-eval"), "check", str(sample), "--json"],
                            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["forms"][0]["total_score"] == "99.83"
    where = subprocess.run([sys.executable, "-c", "import core, resources; print(core.__file__, resources.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert where.stdout.split() == [str(target / "core" / "__init__.py"), str(target / "resources" / "__init__.py")]
