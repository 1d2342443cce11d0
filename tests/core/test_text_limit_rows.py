"""A unit's layout may put a template's character limit (max_chars) on a cell of a repeated row: an
indicator column ("indicators[].reason") or one fund row's cell ("fund_rows[4].label"). The
reminder (TEXT_LIMIT) is for the cells that carry the limit, and says which row it is about, as the
other checks of a row do (found by review).

The unit's layout is SC-2023 with the limits added (and 其他资金's label made the clerk's cell)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from core.checks import evaluate
from core.fields import with_value
from core.layout_files import add_layout_folder, forget_unit_layouts
from core.model import Form
from core.paths import resource
from core.profile import default_profile
from core.xlsx.reader import read_workbook
from tests.regional_fixtures import filled_sc_2023


@contextmanager
def qingshen_in_unit_layout(tmp_path: Path, old: str, new: str) -> Iterator[Form]:
    """The filled 青神 form in SC-2023 copied as a unit's layout with `old` replaced by `new`,
    while that layout is loaded."""
    text = resource("layouts", "SC-2023.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "limits.toml").write_text(text.replace('id = "SC-2023"', 'id = "SC-LIMITS"').replace(old, new),
                                        encoding="utf-8")
    assert add_layout_folder(folder) == []
    try:
        (read,) = read_workbook(filled_sc_2023(tmp_path / "青神.xlsx")).forms
        yield replace(read.form, layout="SC-LIMITS")
    finally:
        forget_unit_layouts()


def limit_findings(form) -> list[tuple[str, str]]:
    return [(f.field, f.message) for f in evaluate(form, default_profile()).findings if f.rule == "TEXT_LIMIT"]


def test_a_limit_on_one_fund_rows_cell_is_checked_on_that_row_only(tmp_path):
    with qingshen_in_unit_layout(tmp_path, '{at = "B", role = "system", field = "fund_rows[4].label"}',
                                 '{at = "B", role = "clerk", field = "fund_rows[4].label", max_chars = 4}') as form:
        found = limit_findings(with_value(form, "fund_rows[4].label", "其他资金来源"))
    # Rows 1-3 are the budget system's labels ("其中:财政资金", 7 字), with no limit on their cells.
    assert [field for field, _ in found] == ["fund_rows[4].label"]
    assert "年度预算数" not in found[0][1]  # the header over the label column is not the cell's name


def test_a_limit_on_an_indicator_column_names_the_indicator_it_finds_too_long(tmp_path):
    with qingshen_in_unit_layout(tmp_path, 'field = "indicators[].reason", align = "left"}',
                                 'field = "indicators[].reason", align = "left", max_chars = 10}') as form:
        found = limit_findings(with_value(form, "indicators[1].reason", "雨季较长，部分路段未能按期完工"))
    assert [field for field, _ in found] == ["indicators[1].reason", "indicators[3].reason"]
    # Without the row, the two messages would read the same ("未完成原因分析有 N 个字…").
    assert "第 2 个指标" in found[0][1] and "第 4 个指标" in found[1][1]
