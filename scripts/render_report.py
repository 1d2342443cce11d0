"""Write the 自评报告 of a sample form, convert it with LibreOffice and render its pages to PNG, so
anyone can look at it.

    python scripts/render_report.py [OUT_DIR] [--layout A|B] [--dpi N] [--docs]

OUT_DIR defaults to out/report-pages/. --docs writes docs/self-report-sample-A.png (pages 1 and 2
side by side) instead. Needs LibreOffice Writer (soffice) and pdftoppm (poppler-utils).

The report names the fonts of Chinese official documents (方正小标宋简体, 黑体, 楷体_GB2312,
仿宋_GB2312), which a clerk's Windows or WPS has and this machine has not. So that the picture
shows the look rather than LibreOffice's default fallback, a fontconfig file maps them for this
run only: the Song/Fangsong/Kai faces to AR PL UMing (a Ming serif), 黑体 to WenQuanYi Micro Hei.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.checks import evaluate  # noqa: E402
from core.profile import default_profile  # noqa: E402
from core.self_report.docx import write_report  # noqa: E402
from core.self_report.template import choose_template  # noqa: E402
from core.xlsx.reader import read_workbook  # noqa: E402

SERIF, SANS = "AR PL UMing CN", "WenQuanYi Micro Hei"
ALIASES = {"方正小标宋简体": SERIF, "仿宋_GB2312": SERIF, "楷体_GB2312": SERIF, "宋体": SERIF, "黑体": SANS,
           "Times New Roman": "Liberation Serif"}
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""


def fontconfig(folder: Path) -> Path:
    aliases = "\n".join(f'  <match target="pattern"><test name="family"><string>{name}</string></test>'
                        f'<edit name="family" mode="assign" binding="strong"><string>{font}</string></edit></match>'
                        for name, font in ALIASES.items())
    path = folder / "fonts.conf"
    path.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return path


def render(docx: Path, out: Path, dpi: int) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        raise SystemExit("需要 LibreOffice Writer（soffice）和 pdftoppm（poppler-utils）")
    with tempfile.TemporaryDirectory() as temp:
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(Path(temp))))
        subprocess.run([soffice, f"-env:UserInstallation=file://{temp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(docx)], check=True, capture_output=True, env=env, timeout=300)
    pdf = out / f"{docx.stem}.pdf"
    if not pdf.exists():
        raise SystemExit(f"LibreOffice 未能转换 {docx}（是否安装了 libreoffice-writer？）")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out / docx.stem)], check=True)
    return sorted(out.glob(f"{docx.stem}-*.png"))


def side_by_side(pages: list[Path], target: Path) -> Path:
    from PIL import Image

    images = [Image.open(page).convert("RGB") for page in pages]
    gap = 16
    sheet = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) + 1),
                              max(i.height for i in images) + 2 * gap), "#9a9a9a")
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    sheet.save(target, optimize=True)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="起草样表的自评报告并逐页渲染为 PNG")
    parser.add_argument("out", nargs="?", default=str(ROOT / "out" / "report-pages"))
    parser.add_argument("--layout", choices=("A", "B"), default="A")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--docs", action="store_true", help="写入 docs/self-report-sample-A.png（第一、二页）")
    args = parser.parse_args(argv)
    sample = next((ROOT / "resources" / "samples").glob(f"sample-{args.layout}-*.xlsx"))
    form = read_workbook(sample).forms[0].form
    evaluation = evaluate(form, default_profile())
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) if args.docs else Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        docx = out / f"self-report-sample-{args.layout}.docx"
        template = choose_template(form.layout).template
        assert template is not None
        write_report(docx, evaluation, template, overwrite=True)
        pages = render(docx, out, 80 if args.docs else args.dpi)
        if args.docs:
            print(side_by_side(pages[:2], ROOT / "docs" / f"self-report-sample-{args.layout}.png"))
        else:
            print("\n".join(map(str, [docx, *pages])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
