"""Forms for the 自评报告 tests, and what a report must agree with, worked out without the report's code.

The fixtures are seed workbooks with a clerk's typical state of work written into their cells with
openpyxl (scores below points with and without a reason, a row not scored yet, a 不适用 row that
carries points, a 度量单位, a reason with full-width digits, a goal in two paragraphs, an empty
一级预算单位), read back by the real reader. What the report must say about numbers is taken from the
form's own face: the text of every cell of its layout (as the grid, the xlsx and the PDF print it),
plus each group's Σ 分值 / Σ 得分 as `check --json` prints them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from core.checks import Evaluation, evaluate
from core.layouts import cell_text, sheet_layout
from core.profile import default_profile
from core.report import form_json
from core.self_report.template import Template, shipped_templates
from core.xlsx.reader import read_workbook
from tests.conftest import ROOT
from tests.seeds import SEED_A, SEED_B, write_seed_a, write_seed_b

SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.xlsx"))
HEADINGS = ("一、项目基本情况", "二、绩效目标及完成情况", "三、绩效指标完成情况分析", "四、偏差原因分析及改进措施",
            "五、自评结论", "六、其他需说明的问题")
NUMBER = re.compile(r"\d+(?:\.\d+)?")

REASON_A = "受企业开办数量下降影响，刻章数量低于预期；下一年度将按实际需求调整指标值。"
REASON_B = "第２季度起系统迁移，本年度未产生经济效益；下一年度调整该指标。"


def numbers(text: str) -> list[str]:
    return NUMBER.findall(unicodedata.normalize("NFKC", text))


def fixture_a(path: Path) -> Path:
    """Layout A, half done: 数量 below target with a reason, 质量 below without one, 社会效益 not
    scored, no 一级预算单位, a goal in two paragraphs."""
    seed = dict(SEED_A, code="440303241553147100099", budget_unit="",
                goal_actual="全年免费刻章11000个。\n支出进度达标率达98.28%，企业满意度达99.99%。")
    rows = list(SEED_A["indicators"])
    rows[0] = rows[0][:4] + ("11000个", 15, 13.75)
    rows[1] = rows[1][:4] + ("99.5%", 15, 14.93)
    seed["indicators"] = rows
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    write_seed_a(sheet, seed)
    sheet["I11"] = REASON_A
    sheet["H16"] = None  # 社会效益: 得分 not filled in yet
    workbook.save(path)
    return path


def fixture_b(path: Path) -> Path:
    """Layout B: 签约主体 below target without a reason, a 不适用 row with 8 points scored 0 and a
    reason in full-width digits, a 度量单位 on the first row."""
    seed = dict(SEED_B, code="440303241553147400099")
    rows = list(SEED_B["indicators"])
    rows[1] = rows[1][:5] + ("180", 7, 6.3)
    rows[7] = rows[7][:7] + (0,)
    seed["indicators"] = rows
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    write_seed_b(sheet, seed)
    sheet["F14"] = "项"
    sheet["J21"] = REASON_B
    workbook.save(path)
    return path


def evaluation_of(path: Path) -> Evaluation:
    result = read_workbook(path)
    assert result.forms and not result.problems, result.problems
    return evaluate(result.forms[0].form, default_profile())


def form_faces(evaluation: Evaluation) -> list[str]:
    """Every text the form shows: each cell of its layout, and each group's Σ 分值 / Σ 得分."""
    form, computed = evaluation.form, evaluation.computed
    texts = [cell_text(cell, form, computed) for cell in sheet_layout(form).cells]
    for group in form_json(evaluation)["groups"]:
        texts += [group["points"], group["score"]]
    return texts


def printed(evaluation: Evaluation, path: str) -> str:
    """The text of one field's cell, as the form prints it."""
    cell = sheet_layout(evaluation.form).cell_of(path)
    assert cell is not None, path
    return cell_text(cell, evaluation.form, evaluation.computed).strip()


def docx_texts(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """(paragraph texts, tables as rows of cell texts), read with python-docx directly."""
    from docx import Document

    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def heading_texts(path: Path, level: int = 1) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs
            if p.style is not None and p.style.name == f"Heading {level}"]


def libreoffice_pdfs(files: list[Path], outdir: Path) -> list[Path]:
    """LibreOffice's own PDF of each .docx (one run). Skips when LibreOffice Writer is not installed,
    which a plain python-docx document tells apart from a file of ours that LibreOffice refuses."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("needs LibreOffice (soffice) and poppler (pdftotext)")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"

    def convert(paths: list[Path]) -> None:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), *map(str, paths)], capture_output=True, timeout=600, check=False)

    from docx import Document

    probe = outdir / "writer-probe.docx"
    Document().save(str(probe))
    convert([probe])
    if not (outdir / "writer-probe.pdf").exists():
        pytest.skip("LibreOffice Writer is not installed (apt-get install libreoffice-writer)")
    convert(files)
    return [outdir / f"{f.stem}.pdf" for f in files]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def shenzhen_template() -> Template:
    """The shipped wording for layouts A and B (深圳)."""
    return next(t for t in shipped_templates() if "A" in t.layouts)
