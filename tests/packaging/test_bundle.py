"""The Linux one-folder bundle, built with packaging/perf_self_eval.spec, runs as it will on a
clerk's PC: headless commands give what the source checkout gives, exports are valid files, the PDF
embeds the font the bundle carries, the window starts and quits, and nothing is written into the
program folder or fetched from anywhere.

The bundle is built once per test session (about 40 s on 2 cores) into a temporary folder. Two
choices differ from a release build, to make the checks sharper:
- PERF_SELF_EVAL_FONT picks WenQuanYi Micro Hei as the bundled font while AR PL UMing stays
  installed on this machine. core/pdf/fonts.py prefers the bundled font to the system's, and among
  system fonts prefers UMing, so a PDF that embeds WenQuanYi proves the bundled font was used.
- PERF_SELF_EVAL_CLI_EXE=1 also builds perf-self-eval-cli, the console twin that the spec builds on
  Windows, so that branch of the spec is exercised here too.
PyInstaller is not installed by this test: it comes with the test extras (pyproject.toml).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import core
from core.xlsx.reader import read_workbook
from tests.conftest import ROOT, run_main
from tests.seeds import SEED_A, SEED_B, seed_workbook

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle is built and tested on Linux"),
]

SPEC = ROOT / "packaging" / "perf_self_eval.spec"
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WQY_LICENCE = Path("/usr/share/doc/fonts-wqy-microhei/copyright")


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """The built bundle folder (perf-self-eval/ with the executables and _internal/)."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extras: pip install -e '.[test]'")
    if not shutil.which("objdump"):
        pytest.skip("PyInstaller needs objdump on Linux (apt-get install binutils)")
    if not WQY.is_file():
        pytest.skip(f"the bundled test font {WQY} is missing (apt-get install fonts-wqy-microhei)")
    work = tmp_path_factory.mktemp("pyinstaller")
    env = dict(os.environ, PERF_SELF_EVAL_FONT=str(WQY), PERF_SELF_EVAL_CLI_EXE="1")
    if WQY_LICENCE.is_file():
        env["PERF_SELF_EVAL_FONT_LICENSE"] = str(WQY_LICENCE)
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(SPEC)],
        cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    folder = work / "dist" / "perf-self-eval"
    assert (folder / "perf-self-eval").is_file(), sorted(p.name for p in folder.iterdir())
    return folder


@pytest.fixture
def clerk_env(tmp_path) -> dict:
    """A clean user: own home and data folders, no display (offscreen), a UTF-8 locale."""
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "QT_", "PERF_SELF_EVAL"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    return env


def run_bundle(bundle: Path, env: dict, *args, exe: str = "perf-self-eval", cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(bundle / exe), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd or env["HOME"], timeout=120)


def pdf_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) per font of the PDF, from poppler's pdffonts."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        fields = line.split()
        # name type [type...] encoding emb sub uni object-id generation: emb is 5th from the end
        fonts.append((fields[0], fields[-5] == "yes"))
    return fonts


@pytest.mark.parametrize("seed", [SEED_A, SEED_B], ids=["layout-A", "layout-B"])
def test_bundled_check_json_equals_the_source_checkouts(bundle, clerk_env, tmp_path, seed):
    workbook = seed_workbook(tmp_path / f"seed_{seed['layout']}.xlsx", seed["layout"])
    frozen = run_bundle(bundle, clerk_env, "check", workbook, "--json")
    source = run_main("check", workbook, "--json")
    assert frozen.returncode == source.returncode == 0, frozen.stderr
    assert json.loads(frozen.stdout) == json.loads(source.stdout)
    assert json.loads(frozen.stdout)["forms"][0]["total_score"] == seed["total_score"]


def test_bundled_export_pdf_embeds_the_bundled_font_and_carries_the_version(bundle, clerk_env, tmp_path):
    db, pdf = tmp_path / "forms.sqlite3", tmp_path / "a.pdf"
    assert run_bundle(bundle, clerk_env, "import", seed_workbook(tmp_path / "a.xlsx", "A"), "--db", db).returncode == 0
    result = run_bundle(bundle, clerk_env, "export-pdf", "1", pdf, "--db", db)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert SEED_A["name"] in text.replace(" ", "") and "项目支出绩效自评表" in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    if not UMING.is_file():
        pytest.skip("AR PL UMing is not installed here, so the bundled WenQuanYi cannot be told from the system's")
    assert all("WenQuanYi" in name for name, _ in fonts), f"not the bundled font: {fonts}"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"{core.APP_NAME} {core.__version__}" in info


def test_bundled_export_xlsx_reads_back_as_the_source_checkouts_export(bundle, clerk_env, tmp_path):
    db = tmp_path / "forms.sqlite3"
    workbook = seed_workbook(tmp_path / "b.xlsx", "B")
    assert run_bundle(bundle, clerk_env, "import", workbook, "--db", db).returncode == 0
    frozen, source = tmp_path / "frozen.xlsx", tmp_path / "source.xlsx"
    result = run_bundle(bundle, clerk_env, "export-xlsx", "1", frozen, "--db", db)
    assert result.returncode == 0, result.stderr
    assert run_main("export-xlsx", "1", source, "--db", db).returncode == 0
    assert openpyxl.load_workbook(frozen).sheetnames  # a valid workbook
    frozen_forms = [sheet.form for sheet in read_workbook(frozen).forms]
    assert frozen_forms == [sheet.form for sheet in read_workbook(source).forms]
    assert frozen_forms[0].code == SEED_B["code"]


def test_bundled_summary_xlsx_holds_the_same_cells_as_the_source_checkouts(bundle, clerk_env, tmp_path):
    """XlsxWriter, which writes the 汇总表, is in the bundle."""
    db = tmp_path / "forms.sqlite3"
    for layout in ("A", "B"):
        assert run_bundle(bundle, clerk_env, "import", seed_workbook(tmp_path / f"{layout}.xlsx", layout),
                          "--db", db).returncode == 0
    year = SEED_A["year"]
    frozen, source = tmp_path / "frozen.xlsx", tmp_path / "source.xlsx"
    result = run_bundle(bundle, clerk_env, "summary", "--year", year, frozen, "--db", db)
    assert result.returncode == 0, result.stderr
    assert run_main("summary", "--year", year, source, "--db", db).returncode == 0
    cells = [[[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
             for path in (frozen, source)]
    assert cells[0] == cells[1] and any(SEED_A["name"] in str(v) for row in cells[0] for v in row)


def test_bundled_export_report_reads_back_as_the_source_checkouts(bundle, clerk_env, tmp_path):
    """python-docx, its lxml and its own document template, and the report templates are in the bundle."""
    from core.self_report.docx import read_blocks

    db = tmp_path / "forms.sqlite3"
    assert run_bundle(bundle, clerk_env, "import", seed_workbook(tmp_path / "a.xlsx", "A"), "--db", db).returncode == 0
    frozen, source = tmp_path / "frozen.docx", tmp_path / "source.docx"
    result = run_bundle(bundle, clerk_env, "export-report", "1", frozen, "--db", db)
    assert result.returncode == 0, result.stderr
    assert run_main("export-report", "1", source, "--db", db).returncode == 0
    assert read_blocks(frozen) == read_blocks(source)
    assert read_blocks(frozen)[0].text.startswith(SEED_A["name"])


def test_bundled_window_starts_offscreen_and_quits_cleanly(bundle, clerk_env, tmp_path):
    result = run_bundle(bundle, clerk_env, "--selftest", "--db", tmp_path / "forms.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "自检通过：2 张表" in result.stdout  # the two sample forms, from the bundle's resources/


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs Xvfb (apt-get install xvfb)")
def test_bundled_window_starts_on_an_x11_display_with_the_bundled_xcb_plugin(bundle, clerk_env, tmp_path):
    internal = bundle / "_internal"
    linked = subprocess.run(["ldd", str(internal / "PySide6/Qt/plugins/platforms/libqxcb.so")], capture_output=True,
                            text=True, env=dict(os.environ, LD_LIBRARY_PATH=str(internal))).stdout
    missing = [line.split()[0] for line in linked.splitlines() if "not found" in line]
    if missing:
        pytest.skip("this build machine lacks xcb libraries, so the bundle cannot carry them "
                    f"(build_linux.sh refuses such a build): {' '.join(missing)}")
    env = dict(clerk_env, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", str(bundle / "perf-self-eval"),
                             "--selftest", "--db", str(tmp_path / "forms.sqlite3")],
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "自检通过" in result.stdout


def test_bundle_keeps_the_database_in_the_users_data_folder(bundle, clerk_env):
    result = run_bundle(bundle, clerk_env, "--selftest")
    assert result.returncode == 0, result.stderr
    assert (Path(clerk_env["XDG_DATA_HOME"]) / "perf-self-eval" / "forms.sqlite3").is_file()


def test_bundle_writes_nothing_into_its_own_folder(bundle, clerk_env, tmp_path):
    """Installed under /opt or Program Files, the program folder is read-only for the clerk."""
    def snapshot():
        return {str(path.relative_to(bundle)): (path.stat().st_size, path.stat().st_mtime_ns)
                for path in bundle.rglob("*")}

    before = snapshot()
    db = tmp_path / "forms.sqlite3"
    for args in (("import", seed_workbook(tmp_path / "a.xlsx", "A"), "--db", db), ("list", "--db", db),
                 ("export-pdf", "1", tmp_path / "a.pdf", "--db", db), ("--selftest", "--db", db)):
        assert run_bundle(bundle, clerk_env, *args, cwd=bundle).returncode == 0, args
    assert snapshot() == before


def test_console_twin_executable_runs_the_same_commands(bundle, clerk_env, tmp_path):
    """perf-self-eval-cli is what Windows users run in cmd (the window .exe has no console)."""
    db = tmp_path / "forms.sqlite3"
    assert run_bundle(bundle, clerk_env, "import", seed_workbook(tmp_path / "a.xlsx", "A"), "--db", db,
                      exe="perf-self-eval-cli").returncode == 0
    listed = run_bundle(bundle, clerk_env, "list", "--db", db, "--json", exe="perf-self-eval-cli")
    assert json.loads(listed.stdout)["forms"][0]["code"] == SEED_A["code"]


def test_bundle_carries_the_resources_and_the_font_licence_but_no_unused_qt_modules(bundle):
    internal = bundle / "_internal"
    resources = internal / "resources"
    assert (resources / "rule_profile.toml").is_file()
    assert (resources / "icons" / "app-256.png").is_file() and (resources / "icons" / "help-24.png").is_file()
    assert sorted(p.name for p in (resources / "samples").glob("*.xlsx")) == sorted(
        p.name for p in (ROOT / "resources" / "samples").glob("*.xlsx"))
    fonts = sorted(p.name for p in (resources / "fonts").iterdir())
    assert WQY.name in fonts and any("LICENSE" in name for name in fonts), fonts
    names = [str(path.relative_to(internal)) for path in internal.rglob("*")]
    for unused in ("QtNetwork", "Qt6Network", "QtQml", "Qt6Qml", "QtQuick", "Qt6Quick", "WebEngine", "libqgtk3",
                   "wayland", "libssl", "libreadline", "libcups.so"):
        assert not [name for name in names if unused in name], unused
    for needed in ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                   "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
                   "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
                   "PySide6/Qt/translations/qtbase_zh_CN.qm", "pypdfium2_raw/libpdfium.so"):
        assert needed in names, needed
    assert any(name.startswith("PIL/_imaging") for name in names)  # the print preview renders through Pillow
