"""Layout ids are case-sensitive ("b" is not "B"), but the registry finds a shipped layout by its
file name, and on Windows (NTFS) and macOS the disk finds "B.toml" when "b.toml" is asked for. A
unit's own layout "b" must not be refused there as a shipped one, and a form stored in layout "b"
must not open in the shipped layout B (10 columns, 元 instead of the unit's 9 columns, 万元).

The case-insensitive disk is stood in for by a copy of the shipped files in which each file is also
reachable under its lower-case name (a symbolic link), as such a disk answers."""

from __future__ import annotations

import re
from pathlib import Path

from core import layout_files
from core.layout_files import LayoutRegistry
from core.paths import resource

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "layouts.md"


def unit_layout_text(layout_id: str) -> str:
    """The complete example of docs/layouts.md (section 5), with another id."""
    match = re.search(r"## 5\..*?```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert match, "docs/layouts.md lost its complete example"
    return re.sub(r'^id = "[^"]*"', f'id = "{layout_id}"', match.group(1), count=1, flags=re.M)


def case_insensitive_shipped(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "resources" / "layouts"
    folder.mkdir(parents=True)
    for path in resource("layouts").glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
        if path.name.lower() != path.name:
            (folder / path.name.lower()).symlink_to(path.name)
    monkeypatch.setattr(layout_files, "resource", lambda *parts: tmp_path / "resources" / Path(*parts))


def test_a_unit_layout_whose_id_differs_from_a_shipped_one_only_in_case_is_used_on_a_case_insensitive_disk(
        tmp_path, monkeypatch):
    case_insensitive_shipped(tmp_path, monkeypatch)
    unit = tmp_path / "unit"
    unit.mkdir()
    (unit / "lower.toml").write_text(unit_layout_text("b"), encoding="utf-8")
    registry = LayoutRegistry()
    assert registry.add_folder(unit) == []  # `layout-check` calls the file right, too
    spec = registry.get("b")
    assert spec is not None and (spec.id, spec.source) == ("b", "unit")
    shipped = registry.get("B")
    assert shipped is not None and (shipped.id, shipped.source) == ("B", "shipped")


def test_a_form_stored_in_a_layout_id_of_another_case_does_not_open_in_the_shipped_layout(tmp_path, monkeypatch):
    """A form of the unit's layout "b" whose file is gone (or not yet loaded) has no layout; it is
    never drawn, checked and exported in the shipped layout B."""
    case_insensitive_shipped(tmp_path, monkeypatch)
    registry = LayoutRegistry()
    assert registry.get("b") is None
    assert registry.get("a") is None
    shipped = registry.get("B")
    assert shipped is not None and shipped.id == "B"
    assert registry.get("b") is None and registry.get("B") is shipped  # b.toml's B is kept once
    assert registry.all().count(shipped) == 1
