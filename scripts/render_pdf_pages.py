"""Write the PDFs of both seed forms and render their pages to PNG, so anyone can look at them.

    python scripts/render_pdf_pages.py [OUT_DIR] [--dpi N] [--font FILE] [--long]

OUT_DIR defaults to out/pdf-pages/. Needs pdftoppm (poppler-utils). --long adds a stress form
(60 indicators, a 2 000-character goal). --reference regenerates the stored reference image of the
rendering test (tests/data/pdf_seed_a_page1.png) instead.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.checks import evaluate
from core.pdf.writer import PdfOptions, write_pdf
from core.profile import default_profile
from tests.pdf_support import long_form, seed_form


def render(pdf: Path, out_prefix: Path, dpi: int) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("需要 pdftoppm（poppler-utils）：apt-get install poppler-utils")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_prefix)], check=True)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="把两张样表写成 PDF 并逐页渲染为 PNG")
    parser.add_argument("out", nargs="?", default=str(ROOT / "out" / "pdf-pages"))
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--font", help="字体文件（默认自动查找）")
    parser.add_argument("--long", action="store_true", help="再加一张 60 个指标、2000 字目标的长表")
    parser.add_argument("--reference", action="store_true", help="重新生成渲染测试的参考图")
    args = parser.parse_args(argv)

    if args.reference:
        from tests.pdf_support import write_reference

        print(write_reference())
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    forms = {"seed-a": seed_form("A"), "seed-b": seed_form("B")}
    if args.long:
        forms["long"] = long_form()
    options = PdfOptions(preparer="张三", phone="0755-12345678", overwrite=True, font_file=args.font)
    for name, form in forms.items():
        evaluation = evaluate(form, default_profile())
        pdf = out / f"{name}.pdf"
        for warning in write_pdf(pdf, [evaluation], options):
            print(f"{name}: {warning}")
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        for png in render(pdf, out / name, args.dpi):
            print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
