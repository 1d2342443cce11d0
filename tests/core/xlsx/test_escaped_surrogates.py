"""An escape "_xHHHH_" names a UTF-16 code unit. A pair of them ("_xD83D__xDE00_") is one character
outside the BMP; a lone one ("_xD800_", a damaged or hand-made file) is no character at all and
cannot be stored as UTF-8 — importing such a file must not end in a traceback (found by the review
of the "_x000D_" fix; the decoding itself predates it)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from core.importing import import_file
from core.store import Store
from core.text import unescape_cell_text
from tests.system_templates import system_template


def test_a_pair_of_escaped_surrogates_reads_as_the_one_character_it_encodes():
    assert unescape_cell_text("笑_xD83D__xDE00_") == "笑\U0001F600"


def test_a_workbook_with_a_lone_escaped_surrogate_is_imported_without_a_crash(tmp_path: Path):
    template = system_template("openpyxl", "B", tmp_path / "template")
    workbook = openpyxl.load_workbook(template)
    workbook.worksheets[0]["G12"] = "坏_xD800_字"  # 年度总体目标的实际完成情况, a clerk's cell of B
    damaged = tmp_path / "damaged.xlsx"
    workbook.save(damaged)
    store = Store(tmp_path / "forms.sqlite3")
    try:
        outcome = import_file(store, damaged)  # raised UnicodeEncodeError from SQLite
        assert [result.id for result in outcome.results]
        goal = store.form(outcome.results[0].id).goal_actual
        assert goal.startswith("坏") and goal.endswith("字")
        goal.encode("utf-8")
    finally:
        store.close()
