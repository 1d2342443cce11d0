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
