"""Page 1 of seed A rendered (pdftoppm) and compared with a stored reference image, so a change of
the printed layout fails until someone has looked at it and regenerated the reference:

    python scripts/render_pdf_pages.py --reference

(the test never rewrites its own reference, so it cannot pass by regenerating what it compares with)
"""

from __future__ import annotations

import shutil

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from core.layout_files import layout_spec
from core.pdf.pages import Paper
from tests.pdf_support import REFERENCE, REFERENCE_DPI, UMING, reference_pdf, render_first_page

# Mean absolute grey-level difference (0-255) still taken as the same picture: anti-aliasing and
# poppler versions move a few pixels; a lost column, row or block moves far more.
TOLERANCE = 1.5

pytestmark = pytest.mark.skipif(not UMING.is_file() or shutil.which("pdftoppm") is None,
                                reason="needs fonts-arphic-uming and poppler-utils (CI installs both)")


def difference(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 255.0
    return ImageStat.Stat(ImageChops.difference(a.convert("L"), b.convert("L"))).mean[0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    png = render_first_page(reference_pdf(folder / "seed_a.pdf"), folder / "page.png")
    return Image.open(png).convert("L")


def test_seed_a_first_page_looks_like_the_reference(rendered):
    reference = Image.open(REFERENCE)
    assert rendered.size == reference.size
    assert difference(rendered, reference) < TOLERANCE, (
        "the PDF's page 1 changed: look at scripts/render_pdf_pages.py's pages, then regenerate the "
        "reference with `python scripts/render_pdf_pages.py --reference`")


def test_the_comparison_would_catch_a_lost_column(rendered):
    # Blank the last column (偏差原因分析及改进措施) as if the layout had lost it.
    spec = layout_spec("A")
    assert spec is not None
    paper, widths = Paper(), spec.widths
    scale = REFERENCE_DPI / 72
    left = (paper.margin_x + paper.body_width * sum(widths[:-1]) / sum(widths)) * scale
    right = (paper.width - paper.margin_x) * scale + 1
    damaged = rendered.copy()
    ImageDraw.Draw(damaged).rectangle([left, 0, right, damaged.height], fill=255)
    assert difference(damaged, Image.open(REFERENCE)) > TOLERANCE


def test_the_comparison_would_catch_rows_moving_down(rendered):
    shifted = Image.new("L", rendered.size, 255)
    shifted.paste(rendered.crop((0, 0, rendered.width, rendered.height - 6)), (0, 6))
    assert difference(shifted, Image.open(REFERENCE)) > TOLERANCE
