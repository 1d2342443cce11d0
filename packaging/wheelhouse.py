"""Download every wheel the app needs, for Windows x64 and Linux x86-64, into one folder that
installs offline:

    python packaging/wheelhouse.py [--dest DIR] [--target win|linux|all] [--with-build]
    # on the offline PC (Python 3.11 x64), from the source folder:
    python -m pip install --no-index --find-links DIR -r DIR/requirements.txt

The versions come from packaging/requirements-lock.txt (and requirements-build.txt with
--with-build, for building the bundle on an offline machine). Each locked package is fetched as a
wheel for each target: CPython 3.11, win_amd64, or manylinux up to glibc 2.28 (UOS 20, Kylin V10).
pip cannot do this alone: with --platform it still evaluates markers such as
`platform_system == "Windows"` for the machine it runs on, so click's colorama would be missing on
Windows. So markers are evaluated here for each target, each package is downloaded with --no-deps,
and afterwards every wheel's own Requires-Dist is checked against the folder, target by target.
A package that has no wheel for a target is built locally from its sdist, and kept only if the
result is pure Python (py3-none-any); anything else stops with an error.
Needs network access to the package index (run it on a connected PC, carry the folder over).
"""

from __future__ import annotations

import argparse
import email.parser
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

HERE = Path(__file__).resolve().parent
LOCK = HERE / "requirements-lock.txt"
BUILD = HERE / "requirements-build.txt"
PYTHON = (3, 11)
# pip itself is part of the Python installation: it is in the folder (sqlite-utils declares it),
# but not in requirements.txt, so installing the app never replaces the PC's pip.
NOT_INSTALLED = {"pip"}


@dataclass(frozen=True)
class Target:
    name: str
    platforms: tuple[str, ...]  # pip --platform values, most specific first
    environment: dict  # PEP 508 marker variables of the target

    def tags(self) -> set[Tag]:
        interpreter = f"cp{PYTHON[0]}{PYTHON[1]}"
        return set(cpython_tags(PYTHON, abis=[interpreter, "abi3", "none"], platforms=self.platforms)) | set(
            compatible_tags(PYTHON, interpreter=interpreter, platforms=self.platforms))


def _environment(sys_platform: str, platform_system: str, os_name: str, machine: str) -> dict:
    version = f"{PYTHON[0]}.{PYTHON[1]}"
    return {"implementation_name": "cpython", "implementation_version": f"{version}.0", "os_name": os_name,
            "platform_machine": machine, "platform_python_implementation": "CPython", "platform_release": "",
            "platform_system": platform_system, "platform_version": "", "python_full_version": f"{version}.0",
            "python_version": version, "sys_platform": sys_platform, "extra": ""}


# glibc 2.28 is the oldest Linux we support: accept manylinux wheels for 2.28 and everything older.
LINUX_PLATFORMS = tuple(f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)) + (
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
TARGETS = {
    "win": Target("win", ("win_amd64",), _environment("win32", "Windows", "nt", "AMD64")),
    "linux": Target("linux", LINUX_PLATFORMS, _environment("linux", "Linux", "posix", "x86_64")),
}


def read_requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [Requirement(line) for line in lines if line]


def pinned_version(requirement: Requirement) -> str:
    specs = list(requirement.specifier)
    if len(specs) != 1 or specs[0].operator != "==":
        raise SystemExit(f"{requirement}: the lock must pin one exact version (==)")
    return specs[0].version


def applies(requirement: Requirement, target: Target) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(target.environment)


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)


def download(requirement: Requirement, target: Target, dest: Path) -> str:
    """Fetch one pinned package's wheel for the target into dest; return how it was obtained."""
    spec = f"{requirement.name}=={pinned_version(requirement)}"
    platform_args = [arg for platform in target.platforms for arg in ("--platform", platform)]
    result = pip("download", "--no-deps", "--only-binary=:all:", *platform_args,
                 "--python-version", f"{PYTHON[0]}.{PYTHON[1]}", "--implementation", "cp",
                 "--abi", f"cp{PYTHON[0]}{PYTHON[1]}", "--abi", "abi3", "--abi", "none",
                 "--dest", str(dest), spec)
    if result.returncode == 0:
        return "wheel"
    # No wheel for this target: build one from the sdist, and accept it only if it is pure Python.
    with tempfile.TemporaryDirectory() as tmp:
        built = pip("wheel", "--no-deps", "--no-binary", requirement.name, "--wheel-dir", tmp, spec)
        wheels = list(Path(tmp).glob("*.whl"))
        if built.returncode != 0 or not wheels:
            raise SystemExit(f"{spec}: no wheel for {target.name}, and building one from its sdist failed:\n"
                             f"{result.stderr[-2000:]}\n{built.stderr[-2000:]}")
        wheel = wheels[0]
        _, _, _, tags = parse_wheel_filename(wheel.name)
        if not all(tag.abi == "none" and tag.platform == "any" for tag in tags):
            raise SystemExit(f"{spec}: no wheel for {target.name}, and its sdist builds a platform-specific "
                             f"wheel ({wheel.name}) that cannot be made here")
        shutil.copy2(wheel, dest / wheel.name)
        return f"built from sdist ({wheel.name}, pure Python)"


def wheels_for(target: Target, dest: Path) -> dict[str, tuple[str, Path]]:
    """{canonical name: (version, wheel path)} of the wheels in dest that install on target."""
    tags = target.tags()
    found: dict[str, tuple[str, Path]] = {}
    for wheel in sorted(dest.glob("*.whl")):
        name, version, _, wheel_tags = parse_wheel_filename(wheel.name)
        if wheel_tags & tags:
            found[name] = (str(version), wheel)
    return found


def requires_dist(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def check_closure(target: Target, dest: Path, wanted: list[Requirement]) -> list[str]:
    """Problems that would make `pip install --no-index` fail on target (empty when it installs)."""
    available = wheels_for(target, dest)
    problems = []
    queue = [r for r in wanted if applies(r, target)]
    seen = set()
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        if name not in available:
            problems.append(f"{target.name}: no wheel for {requirement}")
            continue
        version, wheel = available[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{target.name}: {wheel.name} does not satisfy {requirement}")
        for dependency in requires_dist(wheel):
            if applies(dependency, target):
                queue.append(dependency)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=HERE / "dist" / "wheelhouse")
    parser.add_argument("--target", choices=["win", "linux", "all"], default="all")
    parser.add_argument("--with-build", action="store_true",
                        help="also the build tools (PyInstaller), to build the bundle on an offline PC")
    args = parser.parse_args(argv)

    targets = list(TARGETS.values()) if args.target == "all" else [TARGETS[args.target]]
    app = read_requirements(LOCK)
    wanted = app + (read_requirements(BUILD) if args.with_build else [])
    args.dest.mkdir(parents=True, exist_ok=True)
    for target in targets:
        for requirement in wanted:
            if applies(requirement, target):
                how = download(requirement, target, args.dest)
                print(f"{target.name:5} {requirement.name}=={pinned_version(requirement)}: {how}")
    problems = [problem for target in targets for problem in check_closure(target, args.dest, wanted)]
    # The install list: the lock as is (markers and all), without the installer's own packages.
    lines = [line for line in LOCK.read_text("utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")
             and canonicalize_name(Requirement(line.split("#", 1)[0]).name) not in NOT_INSTALLED]
    (args.dest / "requirements.txt").write_text(
        "# pip install --no-index --find-links <this folder> -r requirements.txt   (Python 3.11, x64)\n"
        + "\n".join(lines) + "\n", "utf-8")
    if args.with_build:
        shutil.copy2(BUILD, args.dest / "requirements-build.txt")
    size = sum(path.stat().st_size for path in args.dest.glob("*.whl"))
    print(f"{len(list(args.dest.glob('*.whl')))} wheels, {size / 2**20:.0f} MiB, in {args.dest}")
    for problem in problems:
        print("ERROR:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
