"""The print dialog's choices kept between runs (QSettings): printer, paper, orientation, margins.

A clerk who prints on the office's A3 printer, or needs wider margins for the binding, sets it once.
Values are kept as plain numbers and names, so a settings file from another Qt version still reads;
anything unreadable or no longer available (a printer that was removed) is skipped, never an error.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QSettings
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

PRINTER_KEY = "print/printer"
PAGE_SIZE_KEY = "print/page_size"  # a QPageSize key such as "A4" or "A3"
ORIENTATION_KEY = "print/orientation"  # "landscape" or "portrait"
MARGINS_KEY = "print/margins_mm"  # "left,top,right,bottom"

MM = QPageLayout.Unit.Millimeter
_ORIENTATIONS = {"landscape": QPageLayout.Orientation.Landscape, "portrait": QPageLayout.Orientation.Portrait}


def remember_page_setup(settings: QSettings, printer: QPrinter) -> None:
    layout = printer.pageLayout()
    settings.setValue(PAGE_SIZE_KEY, layout.pageSize().key())
    settings.setValue(ORIENTATION_KEY, "landscape" if layout.orientation() == QPageLayout.Orientation.Landscape
                      else "portrait")
    margins = layout.margins(MM)
    settings.setValue(MARGINS_KEY, ",".join(f"{v:.2f}" for v in (margins.left(), margins.top(), margins.right(),
                                                                  margins.bottom())))
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
        settings.setValue(PRINTER_KEY, printer.printerName())


def _page_size(key: str) -> QPageSize | None:
    for size_id in QPageSize.PageSizeId:
        if size_id != QPageSize.PageSizeId.Custom and QPageSize.key(size_id) == key:
            return QPageSize(size_id)
    return None


def _margins(text: str) -> QMarginsF | None:
    try:
        values = [float(v) for v in str(text).split(",")]
    except ValueError:
        return None
    if len(values) != 4 or not all(0 <= v <= 100 for v in values):
        return None
    return QMarginsF(*values)


def restore_page_setup(settings: QSettings, printer: QPrinter) -> None:
    """Apply the remembered printer, paper, orientation and margins to `printer` (unchanged where
    nothing, or nothing usable, was remembered)."""
    name = str(settings.value(PRINTER_KEY, "") or "")
    if name and name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(name)
    layout = printer.pageLayout()
    size = _page_size(str(settings.value(PAGE_SIZE_KEY, "") or ""))
    orientation = _ORIENTATIONS.get(str(settings.value(ORIENTATION_KEY, "") or ""))
    margins = _margins(str(settings.value(MARGINS_KEY, "") or ""))
    restored = QPageLayout(size or layout.pageSize(), orientation or layout.orientation(),
                           margins or layout.margins(MM), MM)
    printer.setPageLayout(restored)
