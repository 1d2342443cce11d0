"""Layouts as data files (issue 15): A and B read from resources/layouts/*.toml give exactly the
sheets the former Python code built (tests/data/layout_cells_before_layout_files.json, recorded
from that code before it was removed), for any grouping of indicators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.layouts import _build

REFERENCE = json.loads((Path(__file__).resolve().parents[1] / "data" / "layout_cells_before_layout_files.json")
                       .read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(REFERENCE))
def test_the_layout_file_builds_the_sheet_the_code_built(key):
    layout_id, sizes = key.split(":")
    built = _build(layout_id, tuple(int(s) for s in sizes.split(",")))
    want = REFERENCE[key]
    assert (built.columns, list(built.column_widths), built.rows) == (want["columns"], want["widths"], want["rows"])
    assert (built.indicator_header_row, list(built.indicator_rows), built.total_row) == (
        want["indicator_header_row"], want["indicator_rows"], want["total_row"])
    assert {str(k): v for k, v in built.headings.items()} == want["headings"]
    cells = [[c.row, c.col, c.role.value, c.text, c.field, c.rowspan, c.colspan, c.number_format, c.align, c.bold]
             for c in built.cells]
    assert cells == want["cells"]


def test_the_guide_lists_every_field_a_layout_may_place():
    """docs/layouts.md's field table is the unit's IT person's vocabulary: it must not fall behind."""
    from pathlib import Path

    from core.fields import FIELDS

    guide = (Path(__file__).resolve().parents[2] / "docs" / "layouts.md").read_text(encoding="utf-8")
    missing = [path for path, definition in FIELDS.items() if f"| `{path}` | {definition.name} |" not in guide]
    assert missing == []


def test_each_shipped_layout_file_is_named_by_its_id_and_is_read_only_when_asked_for():
    """The registry finds a shipped layout by its file name without parsing the others (start-up
    opens one form), so the name must be the id; `layout_spec` of a name that is no id finds nothing."""
    from core.layout_files import LayoutRegistry, parse_layout
    from core.paths import resource

    paths = sorted(resource("layouts").glob("*.toml"))
    assert len(paths) >= 5
    for path in paths:
        assert parse_layout(path.read_text(encoding="utf-8")).id == path.stem
    registry = LayoutRegistry()
    b = registry.get("B")
    assert b is not None and b.id == "B" and set(registry._layouts) == {"B"}
    assert registry.get("../layouts/B") is None and registry.get("没有") is None
    assert [spec.id for spec in registry.all()] == [path.stem for path in paths]
