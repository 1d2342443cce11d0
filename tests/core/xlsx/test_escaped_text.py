"""A clerk's text that looks like a spreadsheet escape ("_x000D_", "_x005F_") is kept as typed. In
xlsx, "_xHHHH_" in a cell's text stands for the character HHHH (Excel and WPS show "_x000D_" as a
carriage return), so our writers store a literal one with its "_" escaped ("_x005F_x000D_"), and the
reader decodes each cell's text once — also from shared strings, where openpyxl alone would delete
every "x005F_" first. Exported fresh and into the system's copy, both read back as typed, also after
LibreOffice has re-saved them."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.checks import evaluate
from core.export import export_xlsx
from core.fields import value_at, with_value
from core.profile import default_profile
from core.text import escape_cell_text, unescape_cell_text
from core.xlsx.reader import read_workbook
from tests.system_templates import libreoffice_convert, system_template

FIELDS = {"goal_actual": "文件_x000D_名", "indicators[0].actual": "a_x005F_b",
          "indicators[0].reason": "_x005F_", "indicators[1].reason": "x005F_名_x0009_尾"}
OVERLAPPING = ("indicators[1].actual", "_x0041_x0042_")  # LibreOffice escapes only the first: see below


@given(st.text(alphabet="_x05FfDA9名\n", max_size=40))
def test_reading_undoes_the_escaping_of_any_text(text):
    assert unescape_cell_text(escape_cell_text(text)) == text


def test_an_escape_sequence_is_written_as_excel_reads_it():
    assert escape_cell_text("文件_x000D_名") == "文件_x005F_x000D_名"
    assert escape_cell_text("_x0041_x0042_") == "_x005F_x0041_x005F_x0042_"
    assert escape_cell_text("无转义_x12G4_") == "无转义_x12G4_"


def filled(template: Path):
    (source,) = read_workbook(template).forms
    form = source.form
    for path, text in [*FIELDS.items(), OVERLAPPING]:
        form = with_value(form, path, text)
    return source, form


def texts(path: Path, fields) -> dict[str, object]:
    (read,) = read_workbook(path).forms
    return {field: value_at(read.form, evaluate(read.form, default_profile()).computed, field) for field in fields}


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter", "libreoffice"])
def test_texts_like_escapes_survive_both_exports_and_a_libreoffice_resave(tmp_path, writer):
    template = system_template(writer, "B", tmp_path / "template")
    source, form = filled(template)
    copy, fresh = tmp_path / "copy.xlsx", tmp_path / "fresh.xlsx"
    export_xlsx(copy, evaluate(form, default_profile()), source=template.read_bytes(), sheet=source.sheet)
    export_xlsx(fresh, evaluate(replace(form, template_bound=False), default_profile()))
    wanted = dict([*FIELDS.items(), OVERLAPPING])
    for out in (copy, fresh):
        assert texts(out, wanted) == wanted, out.name
        with zipfile.ZipFile(out) as package:
            xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
        assert "文件_x005F_x000D_名" in xml and "_x005F_x0041_x005F_x0042_" in xml
    # LibreOffice keeps the texts in its shared strings, escaped ("_x005F_x000D_"), where openpyxl
    # would delete "x005F_". It escapes only the first of overlapping sequences, so Excel and we
    # read its "_x0041_x0042_" as "_x0041B": that one is left out here.
    for resaved in libreoffice_convert([copy, fresh], tmp_path / "lo"):
        assert texts(resaved, FIELDS) == FIELDS, resaved.name
