"""The application icon reaches every place a clerk sees it: the window (Qt), the Windows .exe and
installer (app.ico), and the Linux menu (.desktop Icon= installed into the hicolor theme)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PIL import Image

from tests.conftest import ROOT

PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def test_the_application_icon_exists_at_every_size_and_as_a_windows_ico():
    for size in SIZES:
        with Image.open(ICONS / f"app-{size}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
    with Image.open(ICONS / "app.ico") as ico:
        assert {(s, s) for s in (16, 32, 48, 256)} <= set(ico.info["sizes"])


def test_the_windows_exe_and_installer_carry_the_icon():
    spec = (PACKAGING / "perf_self_eval.spec").read_text(encoding="utf-8")
    assert 'APP_ICON = ROOT / "resources" / "icons" / "app.ico"' in spec
    assert "icon=str(APP_ICON) if WINDOWS else None" in spec
    assert '"resources" / "icons" / "*.png"), "resources/icons"' in spec
    iss = (PACKAGING / "windows" / "installer.iss").read_bytes()
    assert iss.startswith(b"\xef\xbb\xbf") and b"\r\n" in iss and b"\n" not in iss.replace(b"\r\n", b"")
    found = re.search(rb"^SetupIconFile=(.+)\r$", iss, re.M)
    assert found is not None, "installer.iss names no SetupIconFile"
    setup_icon = found.group(1).decode()
    assert (PACKAGING / "windows" / setup_icon.replace("\\", "/")).resolve() == (ICONS / "app.ico").resolve()


def test_the_linux_menu_entry_names_the_icon_the_deb_installs():
    desktop = (PACKAGING / "deb" / "perf-self-eval.desktop").read_text(encoding="utf-8")
    assert "\nIcon=perf-self-eval\n" in desktop
    script = (PACKAGING / "build_linux.sh").read_text(encoding="utf-8")
    found = re.search(r"for size in ([\d ]+); do", script)
    assert found is not None, "build_linux.sh has no loop over the icon sizes"
    loop = found.group(1).split()
    assert tuple(map(int, loop)) == SIZES
    assert '"$pkg/usr/share/icons/hicolor/${size}x${size}/apps/perf-self-eval.png"' in script


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="needs desktop-file-utils")
def test_the_desktop_file_is_valid():
    result = subprocess.run(["desktop-file-validate", str(PACKAGING / "deb" / "perf-self-eval.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
