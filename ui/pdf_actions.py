"""Export PDF and print: the signing details for a form, then the PDF itself — the preview and the
printout show exactly the PDF's pages (rendered by pdfium), so paper and file cannot differ. The
functions take what they use (a parent widget, the store, a form id, the PDF's bytes); the window
decides when to call them."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate, QMarginsF, QRectF, QSettings, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from core.pdf.writer import PdfOptions
from core.store import Store, StoreError
from core.store.unit_settings import UnitSettings, form_key


class SigningDialog(QDialog):
    """填表人, 联系电话 and 填报日期 for this form (defaults from 单位设置), and the 草稿 watermark."""

    def __init__(self, settings: UnitSettings, preparer: str, phone: str, has_errors: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle("PDF 签字信息")
        self.preparer = QLineEdit(preparer or settings.preparer, self)
        self.phone = QLineEdit(phone or settings.phone, self)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.watermark = QCheckBox("表中还有错误时加“草稿”水印", self)
        self.watermark.setChecked(True)
        self.watermark.setEnabled(has_errors)
        form = QFormLayout(self)
        form.addRow("填表人：", self.preparer)
        form.addRow("联系电话：", self.phone)
        form.addRow("填报日期：", self.date)
        form.addRow("", self.watermark)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self, settings: UnitSettings, overwrite: bool) -> PdfOptions:
        day = self.date.date()
        return PdfOptions(preparer=self.preparer.text().strip(), phone=self.phone.text().strip(),
                          unit_leader=settings.unit_leader, finance_leader=settings.finance_leader,
                          date=datetime.date(day.year(), day.month(), day.day()), watermark=self.watermark.isChecked(),
                          overwrite=overwrite, font_file=settings.pdf_font or None)


def ask_signing(parent: QWidget, store: Store, form_id: int, has_errors: bool) -> PdfOptions | None:
    """Ask for this form's signing details (defaults: what was used last for it, else 单位设置) and
    keep them for the next export of the form, window or command line. None when cancelled. The
    file dialog before it already confirmed replacing an existing file."""
    settings = UnitSettings.from_store(store)
    signing = settings.signing(store, form_id)
    dialog = SigningDialog(settings, signing["preparer"], signing["phone"], has_errors, parent)
    if not dialog.exec():
        return None
    options = dialog.options(settings, overwrite=True)
    try:
        with store.transaction():
            store.set_setting(form_key(form_id, "preparer"), options.preparer)
            store.set_setting(form_key(form_id, "phone"), options.phone)
    except StoreError as exc:
        QMessageBox.warning(parent, "PDF 签字信息", f"填表人和联系电话没能保存，下次导出时需要重新填写：{exc}\n"
                                                 "这一次仍按您刚填写的内容生成。")
    return options


def page_images(data: bytes, dpi: float) -> list[QImage]:
    """The PDF's pages as images, rendered by pdfium."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            picture = page.render(scale=dpi / 72).to_pil().convert("RGB")
            raw = picture.tobytes("raw", "RGB")
            images.append(QImage(raw, picture.width, picture.height, 3 * picture.width,
                                 QImage.Format.Format_RGB888).copy())
            page.close()
    finally:
        document.close()
    return images


# The preview shows a page about as wide as the window and zooms up to ~150 %: 150 dots per inch
# per device pixel is sharp there without rendering a 1200 dpi bitmap per page.
PREVIEW_DPI = 150


def preview_dpi(device_pixel_ratio: float) -> float:
    """Dots per inch for the preview's pages on a screen with this device pixel ratio (2 on a
    200 % screen): rendered for the screen's real pixels, not scaled up from fewer."""
    return PREVIEW_DPI * max(1.0, device_pixel_ratio)


def paint_pages(printer: QPrinter, data: bytes, device_pixel_ratio: float = 1.0) -> int:
    """Draw the PDF's pages on the printer, each scaled to the printable page. Returns the count.

    The print preview paints into a recording (a QPicture) that is replayed on the screen: there the
    pages are rendered for the screen (preview_dpi) and scaled smoothly, rather than a 300 dpi
    bitmap shrunk pixel by pixel into jagged text. Paper gets the printer's resolution (≤ 300 dpi).
    """
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        preview = painter.paintEngine().type() == QPaintEngine.Type.Picture
        dpi = preview_dpi(device_pixel_ratio) if preview else min(300, max(96, printer.resolution()))
        images = page_images(data, dpi)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            target = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            target.moveTo(0, 0)
            scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), scaled.toSizeF()), image)
    finally:
        painter.end()
    return len(images)


def a4_landscape_printer() -> QPrinter:
    """A4 landscape without margins of its own: the PDF's page carries the form's margins. Margins
    set in the print dialog (or a printer's unprintable edge) shrink the page to fit inside them."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(False)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                      QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    return printer


def preview_and_print(parent: QWidget, settings: QSettings, data: bytes) -> bool:
    """The print preview of the PDF `data` and, when the clerk prints, the printout. Paper,
    orientation and margins are remembered in `settings`. True when it was sent to the printer."""
    from ui.print_settings import remember_page_setup, restore_page_setup

    printer = a4_landscape_printer()
    restore_page_setup(settings, printer)  # paper, orientation, margins of the last printout
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("打印预览")
    dialog.paintRequested.connect(lambda p: paint_pages(p, data, dialog.devicePixelRatioF()))
    if not dialog.exec():
        return False
    remember_page_setup(settings, printer)
    return True
