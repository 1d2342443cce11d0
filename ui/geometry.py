"""Where the window opens.

The decision is a pure function of the screen's work area (in device pixels, as the clerk's display
settings state it: "1920×1080 at 150 %") and its device pixel ratio, so it is tested without a
screen. Below 1600×900 logical pixels the window opens maximised: a 1366×768 laptop, or 1920×1080 at
150 %, has no room to spare. On larger screens it opens at a size that fits, centred. A remembered
placement is used again only while it still fits the screen it was saved on at the same scale;
otherwise (another monitor, a changed scale, a saved size that would open tiny) it is replaced.

The Qt glue at the bottom reads the screen and applies the result.
"""

from __future__ import annotations

from dataclasses import dataclass

MAXIMISE_BELOW = (1600, 900)  # logical pixels of the work area
ROOMY_SHARE = 0.9  # on a large screen the window takes this share of the work area...
ROOMY_LIMIT = (1920, 1200)  # ...up to this size: bigger is what the maximise button is for
SMALLEST_USEFUL = (800, 500)  # a remembered window smaller than this (or the screen) is replaced


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def contains(self, other: Rect) -> bool:
        return (self.x <= other.x and self.y <= other.y and other.right <= self.right
                and other.bottom <= self.bottom)


@dataclass(frozen=True)
class Placement:
    """The window's normal geometry (logical pixels) and whether it opens maximised."""

    rect: Rect
    maximised: bool

    def text(self, ratio: float) -> str:
        """How a placement is remembered (QSettings), with the scale it was made at."""
        r = self.rect
        return f"{r.x} {r.y} {r.width} {r.height} {int(self.maximised)} {ratio!r}"


@dataclass(frozen=True)
class SavedPlacement:
    placement: Placement
    ratio: float

    @staticmethod
    def parse(text: object) -> SavedPlacement | None:
        """A remembered placement, or None for nothing or anything unreadable (an older format)."""
        if not isinstance(text, str):
            return None
        parts = text.split()
        try:
            x, y, width, height, maximised = (int(p) for p in parts[:5])
            ratio = float(parts[5])
        except (ValueError, IndexError):
            return None
        if len(parts) != 6 or width <= 0 or height <= 0 or not ratio > 0:
            return None
        return SavedPlacement(Placement(Rect(x, y, width, height), bool(maximised)), ratio)


def logical_area(available: Rect, ratio: float) -> Rect:
    """The work area in logical (device-independent) pixels."""
    return Rect(round(available.x / ratio), round(available.y / ratio), int(available.width / ratio),
                int(available.height / ratio))


def first_placement(available: Rect, ratio: float) -> Placement:
    """Where the window opens when nothing usable is remembered.

    `available`: the screen's work area (taskbar excluded) in device pixels; `ratio`: its device
    pixel ratio (1.5 at 150 %). The result is in logical pixels, as Qt places windows.
    """
    area = logical_area(available, ratio)
    if area.width < MAXIMISE_BELOW[0] or area.height < MAXIMISE_BELOW[1]:
        # The normal geometry is the whole work area too: without a window manager honouring
        # "maximised" (or after un-maximising) the window still fills the screen.
        return Placement(area, True)
    width = min(int(area.width * ROOMY_SHARE), ROOMY_LIMIT[0])
    height = min(int(area.height * ROOMY_SHARE), ROOMY_LIMIT[1])
    return Placement(Rect(area.x + (area.width - width) // 2, area.y + (area.height - height) // 2, width, height),
                     False)


def restored_placement(saved: SavedPlacement | None, available: Rect, ratio: float) -> Placement:
    """The remembered placement when it still fits this screen at this scale, else the first one."""
    first = first_placement(available, ratio)
    if saved is None or abs(saved.ratio - ratio) > 1e-6:
        return first
    area = logical_area(available, ratio)
    rect = saved.placement.rect
    big_enough = (rect.width >= min(SMALLEST_USEFUL[0], area.width)
                  and rect.height >= min(SMALLEST_USEFUL[1], area.height))
    if area.contains(rect) and big_enough:
        return saved.placement
    if saved.placement.maximised:
        return Placement(first.rect, True)
    return first


# -- Qt glue ---------------------------------------------------------------------------------------

SETTINGS_KEY = "window/placement"


def _screen_for(window, saved: SavedPlacement | None):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication

    if saved is not None:
        rect = saved.placement.rect
        screen = QGuiApplication.screenAt(QPoint(rect.x + rect.width // 2, rect.y + rect.height // 2))
        if screen is not None:
            return screen
    return window.screen() or QGuiApplication.primaryScreen()


def device_area(screen) -> tuple[Rect, float]:
    """A screen's work area in device pixels, and its device pixel ratio."""
    ratio = screen.devicePixelRatio()
    area = screen.availableGeometry()
    return Rect(round(area.x() * ratio), round(area.y() * ratio), round(area.width() * ratio),
                round(area.height() * ratio)), ratio


def place_window(window, settings) -> Placement:
    """Give a not-yet-shown window its first or remembered geometry; returns what was applied."""
    from PySide6.QtCore import Qt

    saved = SavedPlacement.parse(settings.value(SETTINGS_KEY))
    available, ratio = device_area(_screen_for(window, saved))
    placement = restored_placement(saved, available, ratio)
    r = placement.rect
    window.setGeometry(r.x, r.y, r.width, r.height)
    state = window.windowState()
    window.setWindowState(state | Qt.WindowState.WindowMaximized if placement.maximised
                          else state & ~Qt.WindowState.WindowMaximized)
    return placement


def remember_placement(window, settings) -> None:
    geometry = window.normalGeometry() if window.isMaximized() else window.geometry()
    if not geometry.isValid():
        geometry = window.geometry()
    placement = Placement(Rect(geometry.x(), geometry.y(), geometry.width(), geometry.height()),
                          window.isMaximized())
    screen = window.screen()
    settings.setValue(SETTINGS_KEY, placement.text(screen.devicePixelRatio() if screen else 1.0))
