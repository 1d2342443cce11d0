"""Where the window opens (ui.geometry): a pure function of the work area and the pixel ratio."""

from __future__ import annotations

import pytest

from ui.geometry import Placement, Rect, SavedPlacement, first_placement, logical_area, restored_placement

TASKBAR = 40  # device pixels at the bottom of the screen


def work_area(width: int, height: int) -> Rect:
    return Rect(0, 0, width, height - TASKBAR)


@pytest.mark.parametrize(("width", "height", "ratio", "logical"), [
    (1366, 768, 1.0, (1366, 728)),
    (1920, 1080, 1.5, (1280, 693)),
    (2560, 1440, 2.0, (1280, 700)),
])
def test_small_logical_screens_open_maximised_on_the_whole_work_area(width, height, ratio, logical):
    placement = first_placement(work_area(width, height), ratio)
    assert placement.maximised
    assert (placement.rect.width, placement.rect.height) == logical
    assert placement.rect == logical_area(work_area(width, height), ratio)


@pytest.mark.parametrize(("width", "height", "ratio"), [
    (1920, 1080, 1.0), (2560, 1440, 1.0), (3840, 2160, 1.5), (3840, 2160, 1.0), (1680, 1050, 1.0)])
def test_large_screens_open_a_window_that_fits_centred(width, height, ratio):
    area = logical_area(work_area(width, height), ratio)
    placement = first_placement(work_area(width, height), ratio)
    assert not placement.maximised
    assert area.contains(placement.rect)
    assert placement.rect.width >= 1400 and placement.rect.height >= 850  # room for grid, list and findings
    assert placement.rect.width <= 1920 and placement.rect.height <= 1200
    assert abs((placement.rect.x - area.x) - (area.right - placement.rect.right)) <= 1


def test_the_threshold_is_1600_by_900_logical_pixels():
    assert not first_placement(Rect(0, 0, 1600, 900), 1.0).maximised
    assert first_placement(Rect(0, 0, 1599, 900), 1.0).maximised
    assert first_placement(Rect(0, 0, 1600, 899), 1.0).maximised
    assert not first_placement(Rect(0, 0, 2400, 1350), 1.5).maximised  # 1600x900 logical
    assert first_placement(Rect(0, 0, 2399, 1350), 1.5).maximised  # 1599.3 logical pixels do not make 1600


def test_a_second_screen_to_the_right_places_the_window_on_it():
    placement = first_placement(Rect(1920, 0, 2560, 1400), 1.0)
    assert placement.rect.x >= 1920 and Rect(1920, 0, 2560, 1400).contains(placement.rect)


def saved(x, y, width, height, maximised=False, ratio=1.0) -> SavedPlacement:
    return SavedPlacement(Placement(Rect(x, y, width, height), maximised), ratio)


def test_a_remembered_placement_that_fits_is_used_again():
    remembered = saved(100, 80, 1500, 900)
    assert restored_placement(remembered, work_area(1920, 1080), 1.0) == remembered.placement


def test_a_remembered_placement_that_no_longer_fits_is_replaced():
    # Saved at 1400x860 on a 1920x1080 screen, reopened on a 1366x768 laptop.
    placement = restored_placement(saved(200, 100, 1400, 860), work_area(1366, 768), 1.0)
    assert placement == first_placement(work_area(1366, 768), 1.0)


def test_a_scale_change_replaces_the_remembered_placement():
    # It would still fit at 150 % (1280x693 logical), but was chosen at 100 %: the layout differs.
    placement = restored_placement(saved(0, 0, 1000, 600), work_area(1920, 1080), 1.5)
    assert placement == first_placement(work_area(1920, 1080), 1.5) and placement.maximised


def test_a_remembered_window_too_small_to_use_is_replaced():
    placement = restored_placement(saved(10, 10, 320, 200), work_area(1920, 1080), 1.0)
    assert placement == first_placement(work_area(1920, 1080), 1.0)


def test_a_remembered_maximised_window_stays_maximised():
    placement = restored_placement(saved(0, 0, 1700, 950, maximised=True), work_area(1920, 1080), 1.0)
    assert placement.maximised and placement.rect == Rect(0, 0, 1700, 950)


@pytest.mark.parametrize("text", [None, "", "garbage", "1 2 3", "0 0 0 0 0 1.0", "0 0 10 10 0 -1", b"\x01\xd9"])
def test_unreadable_remembered_placements_are_ignored(text):
    assert SavedPlacement.parse(text) is None


def test_a_placement_is_remembered_as_text_and_read_back():
    placement = Placement(Rect(-8, 23, 1500, 880), True)
    assert SavedPlacement.parse(placement.text(1.25)) == SavedPlacement(placement, 1.25)
