"""The offline wheelhouse's lock stays in step with pyproject.toml, and the wheelhouse script picks
the right packages and wheels per target. Offline and fast: the download itself needs the package
index and is run by hand (python packaging/wheelhouse.py)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PACKAGING = ROOT / "packaging"


def load_wheelhouse():
    spec = importlib.util.spec_from_file_location("wheelhouse", PACKAGING / "wheelhouse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["wheelhouse"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_lock_pins_every_pyproject_dependency_within_its_range():
    wheelhouse = load_wheelhouse()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    locked = {canonicalize_name(r.name): wheelhouse.pinned_version(r)
              for r in wheelhouse.read_requirements(wheelhouse.LOCK)}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is in pyproject.toml but not in requirements-lock.txt"
        assert requirement.specifier.contains(locked[name]), f"lock {name}=={locked[name]} is outside {requirement}"


def test_build_requirements_are_pinned_exactly():
    wheelhouse = load_wheelhouse()
    requirements = wheelhouse.read_requirements(wheelhouse.BUILD)
    assert "pyinstaller" in {canonicalize_name(r.name) for r in requirements}
    for requirement in requirements:
        wheelhouse.pinned_version(requirement)  # raises SystemExit unless == one version


def test_markers_are_evaluated_for_the_target_not_for_this_machine():
    wheelhouse = load_wheelhouse()
    colorama = Requirement('colorama==0.4.6 ; platform_system == "Windows"')
    assert wheelhouse.applies(colorama, wheelhouse.TARGETS["win"])
    assert not wheelhouse.applies(colorama, wheelhouse.TARGETS["linux"])


def test_wheel_selection_accepts_glibc_2_28_and_older_and_refuses_newer(tmp_path):
    wheelhouse = load_wheelhouse()
    names = ["pyside6_essentials-6.9.3-cp39-abi3-manylinux_2_28_x86_64.whl",
             "pyside6_essentials-6.10.0-cp39-abi3-manylinux_2_34_x86_64.whl",
             "pypdfium2-5.15.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
             "pillow-13.0.0-cp311-cp311-win_amd64.whl", "pillow-13.0.0-cp312-cp312-manylinux_2_28_x86_64.whl",
             "six-1.17.0-py2.py3-none-any.whl"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    chosen = wheelhouse.wheels_for(wheelhouse.TARGETS["linux"], tmp_path)
    linux = {name: wheel.name for name, (_, wheel) in chosen.items()}
    assert linux == {"pyside6-essentials": names[0], "pypdfium2": names[2], "six": names[5]}
    windows = {name for name in wheelhouse.wheels_for(wheelhouse.TARGETS["win"], tmp_path)}
    assert windows == {"pillow", "six"}
