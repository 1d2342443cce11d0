"""Draw the program's icons and write them to resources/icons/ (PNG at each size, and app.ico).

    python scripts/make_icons.py

The icons are drawn here with QPainter on a 64 × 64 grid and rendered at every size the window and
the installers ask for, so small sizes are drawn, not shrunk. They are the project's own work,
under the project's licence. Re-run after changing a drawing and commit the PNGs: the program only
loads them (drawing at start-up would cost time the window has not got).
"""

from __future__ import annotations

import io
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen, QPolygonF

OUT = ROOT / "resources" / "icons"
APP_SIZES = (16, 24, 32, 48, 64, 128, 256)
TOOL_SIZES = (16, 24, 32, 48)

INK = QColor("#37474F")
BLUE = QColor("#1E5AA8")
LIGHT_BLUE = QColor("#DCE8F7")
GREEN = QColor("#2E7D32")
RED = QColor("#C62828")
PAPER = QColor("#FFFFFF")
GREY = QColor("#D9D9D9")  # the template's 置灰


def pen(color: QColor, width: float) -> QPen:
    p = QPen(color, width)
    p.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return p


def sheet(p: QPainter, rect: QRectF, fold: float = 12, fill: QColor = PAPER, line: QColor = INK,
          width: float = 4) -> None:
    """A sheet of paper with its top right corner folded."""
    path = QPainterPath()
    path.moveTo(rect.left(), rect.top())
    path.lineTo(rect.right() - fold, rect.top())
    path.lineTo(rect.right(), rect.top() + fold)
    path.lineTo(rect.right(), rect.bottom())
    path.lineTo(rect.left(), rect.bottom())
    path.closeSubpath()
    p.setPen(pen(line, width))
    p.setBrush(fill)
    p.drawPath(path)
    corner = QPainterPath()
    corner.moveTo(rect.right() - fold, rect.top())
    corner.lineTo(rect.right() - fold, rect.top() + fold)
    corner.lineTo(rect.right(), rect.top() + fold)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(corner)


def arrow(p: QPainter, start: QPointF, end: QPointF, color: QColor, width: float = 6, head: float = 12) -> None:
    p.setPen(pen(color, width))
    p.drawLine(start, end)
    angle = math.atan2(end.y() - start.y(), end.x() - start.x())
    for side in (-1, 1):
        a = angle + math.pi + side * math.pi / 4
        p.drawLine(end, QPointF(end.x() + head * math.cos(a), end.y() + head * math.sin(a)))


def badge(p: QPainter, center: QPointF, radius: float, color: QColor) -> None:
    p.setPen(pen(PAPER, 3))
    p.setBrush(color)
    p.drawEllipse(center, radius, radius)


# --- the application icon ---------------------------------------------------------------------------

def draw_app(p: QPainter) -> None:
    """A blue tile with the form: a sheet with grey header cells and rows, a red seal at its foot
    (the stamp the leaders put on the printout) and a check mark (审核)."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12)
    page = QRectF(13, 8, 38, 48)
    sheet(p, page, fold=9, fill=PAPER, line=PAPER, width=1)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(GREY)
    p.drawRect(QRectF(17, 19, 30, 5))
    p.setPen(pen(QColor("#90A4AE"), 1.6))
    for y in (28, 34, 40, 46):
        p.drawLine(QPointF(17, y), QPointF(47, y))
    p.drawLine(QPointF(27, 19), QPointF(27, 50))
    p.setPen(pen(QColor("#1565C0"), 2.2))
    p.drawLine(QPointF(19, 14), QPointF(36, 14))
    # the seal
    p.setPen(pen(RED, 2.6))
    p.setBrush(QColor(198, 40, 40, 40))
    p.drawEllipse(QPointF(44, 46), 10, 10)
    star = QPolygonF([QPointF(44 + 4.5 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
                              46 - 4.5 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)])
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawPolygon(star, Qt.FillRule.WindingFill)


# --- toolbar icons -----------------------------------------------------------------------------------

def draw_new(p: QPainter) -> None:
    sheet(p, QRectF(10, 6, 36, 50))
    p.setPen(pen(INK, 3))
    for y in (24, 32, 40):
        p.drawLine(QPointF(17, y), QPointF(38, y))
    badge(p, QPointF(46, 46), 13, GREEN)
    p.setPen(pen(PAPER, 4.5))
    p.drawLine(QPointF(46, 39), QPointF(46, 53))
    p.drawLine(QPointF(39, 46), QPointF(53, 46))


def draw_import(p: QPainter) -> None:
    p.setPen(pen(INK, 5))
    p.setBrush(LIGHT_BLUE)
    tray = QPainterPath()
    tray.moveTo(8, 36)
    tray.lineTo(8, 56)
    tray.lineTo(56, 56)
    tray.lineTo(56, 36)
    p.drawPath(tray)
    arrow(p, QPointF(32, 6), QPointF(32, 42), BLUE, width=6, head=13)


def draw_save(p: QPainter) -> None:
    body = QPainterPath()
    body.moveTo(8, 8)
    body.lineTo(48, 8)
    body.lineTo(56, 16)
    body.lineTo(56, 56)
    body.lineTo(8, 56)
    body.closeSubpath()
    p.setPen(pen(INK, 4))
    p.setBrush(BLUE)
    p.drawPath(body)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(PAPER)
    p.drawRect(QRectF(18, 10, 26, 16))
    p.drawRoundedRect(QRectF(15, 34, 34, 20), 2, 2)
    p.setBrush(BLUE)
    p.drawRect(QRectF(35, 12, 6, 12))


def _curved_arrow(p: QPainter, mirrored: bool) -> None:
    p.save()
    if mirrored:
        p.translate(64, 0)
        p.scale(-1, 1)
    path = QPainterPath()
    path.moveTo(16, 24)
    path.lineTo(40, 24)
    path.cubicTo(62, 24, 62, 54, 40, 54)
    path.lineTo(26, 54)
    p.setPen(pen(BLUE, 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawPolygon(QPolygonF([QPointF(4, 24), QPointF(20, 12), QPointF(20, 36)]))
    p.restore()


def draw_undo(p: QPainter) -> None:
    _curved_arrow(p, mirrored=False)


def draw_redo(p: QPainter) -> None:
    _curved_arrow(p, mirrored=True)


def draw_check(p: QPainter) -> None:
    """审核: a clipboard with a check mark."""
    p.setPen(pen(INK, 4))
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(10, 10, 44, 48), 4, 4)
    p.setBrush(INK)
    p.drawRoundedRect(QRectF(22, 5, 20, 10), 3, 3)
    p.setPen(pen(GREEN, 7))
    p.drawPolyline(QPolygonF([QPointF(19, 35), QPointF(28, 45), QPointF(45, 24)]))


def draw_accept(p: QPainter) -> None:
    """采用建议得分: a wand with a spark."""
    p.setPen(pen(INK, 7))
    p.drawLine(QPointF(10, 54), QPointF(36, 28))
    p.setPen(pen(QColor("#F9A825"), 4))
    for angle in range(0, 360, 45):
        a = math.radians(angle)
        inner, outer = (5, 13) if angle % 90 == 0 else (5, 9)
        p.drawLine(QPointF(44 + inner * math.cos(a), 20 + inner * math.sin(a)),
                   QPointF(44 + outer * math.cos(a), 20 + outer * math.sin(a)))


def _export(p: QPainter, color: QColor, label: str) -> None:
    sheet(p, QRectF(8, 4, 38, 52))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawRoundedRect(QRectF(4, 30, 34, 18), 3, 3)
    font = QFont("DejaVu Sans")
    font.setPixelSize(13)
    font.setBold(True)
    p.setFont(font)
    p.setPen(PAPER)
    p.drawText(QRectF(4, 30, 34, 18), Qt.AlignmentFlag.AlignCenter, label)
    arrow(p, QPointF(42, 40), QPointF(58, 24), color, width=5, head=9)


def draw_export_xlsx(p: QPainter) -> None:
    _export(p, GREEN, "XLS")


def draw_export_pdf(p: QPainter) -> None:
    _export(p, RED, "PDF")


def draw_print(p: QPainter) -> None:
    p.setPen(pen(INK, 4))
    p.setBrush(PAPER)
    p.drawRect(QRectF(18, 6, 28, 18))
    p.setBrush(QColor("#90A4AE"))
    p.drawRoundedRect(QRectF(6, 22, 52, 24), 5, 5)
    p.setBrush(PAPER)
    p.drawRect(QRectF(18, 38, 28, 20))
    p.setPen(pen(INK, 2.5))
    for y in (45, 51):
        p.drawLine(QPointF(23, y), QPointF(41, y))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(GREEN)
    p.drawEllipse(QPointF(49, 30), 3, 3)


def draw_help(p: QPainter) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawEllipse(QPointF(32, 32), 27, 27)
    p.setPen(pen(PAPER, 7))
    path = QPainterPath()
    path.moveTo(22, 24)
    path.cubicTo(22, 10, 44, 10, 43, 24)
    path.cubicTo(42, 32, 32, 31, 32, 40)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(PAPER)
    p.drawEllipse(QPointF(32, 50), 4.5, 4.5)


def draw_error(p: QPainter) -> None:
    """An error-level finding: a red disc with a white cross."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawEllipse(QPointF(32, 32), 27, 27)
    p.setPen(pen(PAPER, 8))
    p.drawLine(QPointF(21, 21), QPointF(43, 43))
    p.drawLine(QPointF(43, 21), QPointF(21, 43))


def draw_warning(p: QPainter) -> None:
    """A warning (提醒): an amber triangle with an exclamation mark."""
    p.setPen(pen(QColor("#E0A800"), 6))
    p.setBrush(QColor("#FFC107"))
    p.drawPolygon(QPolygonF([QPointF(32, 6), QPointF(60, 56), QPointF(4, 56)]))
    p.setPen(pen(INK, 7))
    p.drawLine(QPointF(32, 22), QPointF(32, 38))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(INK)
    p.drawEllipse(QPointF(32, 48), 4, 4)


def draw_ok(p: QPainter) -> None:
    """No findings: a green disc with a check mark."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(GREEN)
    p.drawEllipse(QPointF(32, 32), 27, 27)
    p.setPen(pen(PAPER, 8))
    p.drawPolyline(QPolygonF([QPointF(18, 33), QPointF(28, 43), QPointF(46, 23)]))


TOOLBAR = {
    "new": draw_new, "import": draw_import, "save": draw_save, "undo": draw_undo, "redo": draw_redo,
    "check": draw_check, "accept": draw_accept, "export-xlsx": draw_export_xlsx, "export-pdf": draw_export_pdf,
    "print": draw_print, "help": draw_help,
    # the findings panel's marks
    "error": draw_error, "warning": draw_warning, "ok": draw_ok,
}


def render(draw, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(size / 64, size / 64)
    draw(painter)
    painter.end()
    return image


def write_ico(path: Path, images: dict[int, QImage]) -> None:
    """A Windows .ico holding each size (Pillow writes the container)."""
    from PIL import Image

    pictures = []
    for size, image in sorted(images.items()):
        buffer = image.convertToFormat(QImage.Format.Format_RGBA8888)
        pictures.append(Image.frombytes("RGBA", (size, size), bytes(buffer.constBits()), "raw", "RGBA",
                                        buffer.bytesPerLine()))
    largest = pictures[-1]
    data = io.BytesIO()
    largest.save(data, format="ICO", sizes=[(s, s) for s in sorted(images)], append_images=pictures[:-1])
    path.write_bytes(data.getvalue())


def main() -> None:
    QGuiApplication.instance() or QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    app_images = {size: render(draw_app, size) for size in APP_SIZES}
    for size, image in app_images.items():
        image.save(str(OUT / f"app-{size}.png"))
    write_ico(OUT / "app.ico", app_images)
    for name, draw in TOOLBAR.items():
        for size in TOOL_SIZES:
            render(draw, size).save(str(OUT / f"{name}-{size}.png"))
    print(f"{len(APP_SIZES) + len(TOOLBAR) * len(TOOL_SIZES)} PNG files and app.ico in {OUT}")


if __name__ == "__main__":
    main()
