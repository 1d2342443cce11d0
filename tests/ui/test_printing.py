"""Printing from the window: the preview is sharp on the screen, and the print dialog's paper,
orientation and margins are remembered between runs (QSettings)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat
from PySide6.QtCore import QMarginsF, QSettings
from PySide6.QtGui import QImage, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

from core.checks import evaluate
from core.pdf.writer import PdfOptions, render_pdf
from core.profile import default_profile
from tests.pdf_support import seed_form
from tests.ui.test_main_window import answers, window  # noqa: F401 - fixtures
from ui.pdf_actions import SigningDialog, a4_landscape_printer, paint_pages, preview_dpi
from ui.print_settings import remember_page_setup, restore_page_setup

MM = QPageLayout.Unit.Millimeter


def to_pil(image: QImage) -> Image.Image:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return Image.frombytes("L", (image.width(), image.height()), bytes(image.constBits()), "raw", "L",
                           image.bytesPerLine())


def best_difference(shown: Image.Image, reference: Image.Image) -> float:
    """Mean grey-level difference between the page as the preview shows it and the PDF page
    rendered at 600 dpi and scaled down well, allowing the page box a pixel either way."""
    box = shown.point(lambda v: 255 if v >= 250 else 0).getbbox()
    assert box is not None, "the preview shows a blank page"
    # Shrink in two steps: the second (LANCZOS, per candidate box) then works on a small picture.
    reference = reference.resize((2 * (box[2] - box[0]), 2 * (box[3] - box[1])), Image.Resampling.LANCZOS)
    results = []
    for dx0 in (-1, 0, 1):
        for dy0 in (-1, 0, 1):
            for dx1 in (-1, 0, 1):
                for dy1 in (-1, 0, 1):
                    page = shown.crop((box[0] + dx0, box[1] + dy0, box[2] + dx1, box[3] + dy1))
                    wanted = reference.resize(page.size, Image.Resampling.LANCZOS)
                    results.append(ImageStat.Stat(ImageChops.difference(page, wanted)).mean[0])
    return min(results)


def test_the_preview_renders_for_the_screen_and_scales_smoothly(qtbot):
    data, _ = render_pdf([evaluate(seed_form("B"), default_profile())], PdfOptions())
    printer = a4_landscape_printer()
    preview = QPrintPreviewWidget(printer)
    qtbot.addWidget(preview)
    preview.resize(1000, 760)
    preview.paintRequested.connect(lambda p: paint_pages(p, data, 1.0))
    preview.show()
    preview.updatePreview()
    preview.fitToWidth()
    qtbot.wait(50)
    shown = to_pil(preview.grab().toImage())
    document = pdfium.PdfDocument(data)
    reference = document[0].render(scale=600 / 72).to_pil().convert("L")
    document.close()
    # A 300 dpi bitmap shrunk pixel by pixel (the old preview) differs by ~10 grey levels: broken
    # strokes and jagged characters. Rendered for the screen and scaled smoothly: ~5.
    assert best_difference(shown, reference) < 7.5


def test_the_preview_resolution_follows_the_screens_device_pixel_ratio():
    assert preview_dpi(2.0) == 2 * preview_dpi(1.0)
    assert preview_dpi(1.5) == 1.5 * preview_dpi(1.0)
    assert preview_dpi(0.5) == preview_dpi(1.0)  # never coarser than one dot per logical pixel


def test_paper_orientation_and_margins_are_remembered(tmp_path):
    settings = QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat)
    printer = a4_landscape_printer()
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A3), QPageLayout.Orientation.Portrait,
                                      QMarginsF(15, 20, 12.5, 25), MM))
    remember_page_setup(settings, printer)
    settings.sync()
    again = a4_landscape_printer()
    restore_page_setup(QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat), again)
    layout = again.pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.A3
    assert layout.orientation() == QPageLayout.Orientation.Portrait
    assert layout.margins(MM) == QMarginsF(15, 20, 12.5, 25)


def test_unreadable_remembered_values_leave_a4_landscape(tmp_path):
    settings = QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat)
    for key, value in (("print/page_size", "Not-a-paper"), ("print/orientation", "sideways"),
                       ("print/margins_mm", "1,2,x"), ("print/printer", "a printer that was removed")):
        settings.setValue(key, value)
    printer = a4_landscape_printer()
    restore_page_setup(settings, printer)
    layout = printer.pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.A4
    assert layout.orientation() == QPageLayout.Orientation.Landscape
    assert layout.margins(MM) == QMarginsF(0, 0, 0, 0)


@pytest.fixture
def signed(monkeypatch):
    monkeypatch.setattr(SigningDialog, "exec", lambda self: 1)


def test_the_window_prints_with_the_setup_chosen_last_time(qtbot, window, monkeypatch, tmp_path, signed):  # noqa: F811 - the imported fixture
    seen = []

    def choose_a3_and_print(dialog):
        printer = dialog.printer()
        seen.append((printer.pageLayout().pageSize().id(), printer.pageLayout().orientation(),
                     printer.pageLayout().margins(MM)))
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A3), QPageLayout.Orientation.Portrait,
                                          QMarginsF(10, 10, 10, 10), MM))
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / f"printed-{len(seen)}.pdf"))
        dialog.paintRequested.emit(printer)
        return 1

    monkeypatch.setattr(QPrintPreviewDialog, "exec", choose_a3_and_print)
    window.print_current()
    window.print_current()
    assert seen[0] == (QPageSize.PageSizeId.A4, QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
    assert seen[1] == (QPageSize.PageSizeId.A3, QPageLayout.Orientation.Portrait, QMarginsF(10, 10, 10, 10))
    assert (tmp_path / "printed-2.pdf").stat().st_size > 10_000
