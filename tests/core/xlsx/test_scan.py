"""The sheet splicer on hand-written serialisations: every way real writers spell a sheet, checked
against an independent reading of the result with ElementTree."""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from core.xlsx.patch import PatchError, _patch_sheet
from core.xlsx.scan import ScanError, decode_part, scan_sheet, split_ref

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet(rows: str, prefix: str = "", declaration: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          newline: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{NS}"' if prefix else f'xmlns="{NS}"'
    return (f'{declaration}{newline}<{p}worksheet {xmlns}>{newline}<{p}dimension ref="A1:J30"/>{newline}'
            f"<{p}sheetData>{newline}{rows}{newline}</{p}sheetData>{newline}"
            f'<{p}mergeCells count="1"><{p}mergeCell ref="A1:B1"/></{p}mergeCells>{newline}</{p}worksheet>')


def cells_of(xml: bytes) -> dict[str, str | None]:
    """{ref: value} as ElementTree reads the sheet, with implied row and cell numbers."""
    root = ET.fromstring(xml)
    found: dict[str, str | None] = {}
    row_number = 0
    for row in root.iter(f"{{{NS}}}row"):
        row_number = int(row.get("r", row_number + 1))
        col = 0
        for cell in row.iter(f"{{{NS}}}c"):
            ref = cell.get("r")
            col = split_ref(ref)[1] if ref else col + 1
            letters = "".join(chr(64 + d) for d in _digits(col))
            texts = [t.text or "" for t in cell.iter(f"{{{NS}}}t")]
            value = cell.find(f"{{{NS}}}v")
            found[f"{letters}{row_number}"] = "".join(texts) if texts else (value.text if value is not None else "")
    return found


def _digits(col: int) -> list[int]:
    out: list[int] = []
    while col:
        col, rest = divmod(col - 1, 26)
        out.insert(0, rest + 1)
    return out


def patch(text: str, changes: dict, encoding: str = "utf-8") -> bytes:
    result, _ = _patch_sheet(text.encode(encoding), changes)
    return result


ROW_14 = ('<row r="14" spans="1:10"><c r="A14" s="1"/><c r="G14" s="7" t="s"><v>3</v></c>'
          '<c r="H14" s="7"/><c r="I14" s="7"/><c r="J14" s="7"/></row>'
          '<row r="15" spans="1:10"><c r="G15" s="7"/><c r="J15" s="7"/></row>')


def test_an_empty_self_closing_cell_that_ends_its_row_is_replaced_inside_its_row():
    result = patch(sheet(ROW_14), {"J14": "偏差原因", "J15": Decimal("7.5")})
    assert result.count(b"</row>") == 2 and b"</row></row>" not in result
    cells = cells_of(result)
    assert cells["J14"] == "偏差原因" and cells["J15"] == "7.5" and cells["G15"] == ""


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_self_closing_cells_anywhere_in_a_row(where):
    ref = {"first": "A14", "middle": "H14", "last": "J14"}[where]
    cells = cells_of(patch(sheet(ROW_14), {ref: "新"}))
    assert cells[ref] == "新" and cells["G14"] == "3"


def test_namespace_prefixes_are_kept_for_new_elements():
    rows = re.sub(r"<(/?)(row|c|v)\b", r"<\1x:\2", ROW_14)
    result = patch(sheet(rows, prefix="x"), {"J14": "文本", "K14": Decimal(1), "B20": "新行"})
    text = result.decode()
    assert "<x:c r=\"J14\"" in text and "<x:is><x:t" in text and '<x:row r="20">' in text
    assert "<c " not in text and "<row " not in text
    cells = cells_of(result)
    assert (cells["J14"], cells["K14"], cells["B20"]) == ("文本", "1", "新行")


def test_rows_and_cells_without_r_follow_the_previous_one():
    rows = ('<row r="13"><c r="A13"/></row><row><c t="inlineStr"><is><t>A</t></is></c><c/><c/></row>'
            '<row><c r="C15"/><c/></row>')
    result = patch(sheet(rows), {"C14": "第14行C", "D15": Decimal(2), "B14": "第14行B"})
    cells = cells_of(result)
    assert (cells["A14"], cells["B14"], cells["C14"], cells["D15"]) == ("A", "第14行B", "第14行C", "2")


def test_lower_case_references_are_understood():
    rows = '<row r="14"><c r="g14" s="7"/><c r="j14" s="7"/></row>'
    result = patch(sheet(rows), {"J14": "小写地址"})
    assert cells_of(result)["J14"] == "小写地址"
    assert b'r="g14"' in result  # untouched cells stay as written


def test_comments_cdata_and_processing_instructions_do_not_confuse_the_scanner():
    rows = ('<!-- <row r="99"><c r="A99"/></row> --><?note <row>?>'
            '<row r="14"><c r="G14" t="inlineStr"><is><t><![CDATA[<c r="J14"/> not a cell]]></t></is></c>'
            '<c r="J14"/></row>')
    result = patch(sheet(rows), {"J14": "真单元格"})
    cells = cells_of(result)
    assert cells["J14"] == "真单元格" and cells["G14"] == '<c r="J14"/> not a cell' and "A99" not in cells


def test_attribute_values_may_hold_angle_brackets_slashes_and_single_quotes():
    rows = "<row r='14' x14ac:dyDescent='0.25' xmlns:x14ac='urn:x'><c r='G14' s='7' cm='a>b/'/><c r='J14' s='7'/></row>"
    result = patch(sheet(rows), {"G14": "甲", "J14": "乙"})
    cells = cells_of(result)
    assert (cells["G14"], cells["J14"]) == ("甲", "乙")


def test_shared_and_inline_strings_rich_text_and_xml_space_survive_untouched():
    rows = ('<row r="14"><c r="C14" t="s"><v>5</v></c><c r="D14" t="inlineStr"><is><r><rPr><b/></rPr><t>粗</t></r>'
            '<r><t xml:space="preserve"> 体 </t></r></is></c><c r="J14"/></row>')
    original = sheet(rows)
    result = patch(original, {"J14": " 前后空格 "}).decode()
    assert '<c r="C14" t="s"><v>5</v></c>' in result and "<r><t xml:space=\"preserve\"> 体 </t></r>" in result
    assert cells_of(result.encode())["J14"] == " 前后空格 "


def test_formulas_plain_shared_and_array_in_the_row():
    rows = ('<row r="14"><c r="A14"><f>SUM(B1:B2)</f><v>3</v></c><c r="B14"><f t="shared" ref="B14:B16" si="0">C1</f>'
            '<v>1</v></c><c r="C14"><f t="array" ref="C14">1+1</f><v>2</v></c><c r="D14"><f t="shared" si="0"/>'
            '<v>1</v></c><c r="J14"/></row>')
    result, dropped = _patch_sheet(sheet(rows).encode(), {"J14": "x", "D14": Decimal(5), "C14": Decimal(9)})
    assert dropped  # replacing D14's and C14's formulas drops them: the calculation chain must go
    text = result.decode()
    assert '<f t="shared" ref="B14:B16" si="0">C1</f>' in text and "<f>SUM(B1:B2)</f>" in text
    assert cells_of(result)["D14"] == "5"
    array = '<row r="14"><c r="A14"><f t="array" ref="A14:A15">ROW(1:2)</f><v>1</v></c></row>'
    with pytest.raises(PatchError, match="数组公式"):
        _patch_sheet(sheet(array).encode(), {"A14": Decimal(1)})


def test_replacing_the_anchor_of_a_shared_formula_hands_it_to_the_next_cell_using_it():
    rows = ('<row r="14"><c r="B14"><f t="shared" ref="B14:B17" si="3">C14*2&amp;""</f><v>2</v></c>'
            '<c r="C14"><v>1</v></c></row>'
            '<row r="15"><c r="B15"><f t="shared" si="3"/><v>4</v></c><c r="C15"><v>2</v></c></row>'
            '<row r="16"><c r="B16"><f t="shared" si="3"/><v>6</v></c></row>'
            '<row r="17"><c r="B17"><f t="shared" si="3"/><v>8</v></c></row>')
    result, dropped = _patch_sheet(sheet(rows).encode(), {"B14": "填写的值", "B16": Decimal(9)})
    text = result.decode()
    assert dropped
    assert '<c r="B15"><f t="shared" ref="B15:B17" si="3">C15*2&amp;""</f><v>4</v></c>' in text
    assert '<c r="B17"><f t="shared" si="3"/><v>8</v></c>' in text  # still uses it, unchanged
    cells = cells_of(result)
    assert (cells["B14"], cells["B16"]) == ("填写的值", "9")


def test_crlf_line_ends_and_a_bom_are_kept_byte_for_byte():
    original = codecs.BOM_UTF8 + sheet(ROW_14, newline="\r\n").encode()
    result, _ = _patch_sheet(original, {"J14": "甲\r\n乙"})
    assert result.startswith(codecs.BOM_UTF8) and result.count(b"\r\n") == original.count(b"\r\n")
    assert cells_of(result[3:])["J14"] == "甲\r\n乙"  # the CR survives as &#13;


@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                       ("utf-16-le", b"")])
def test_a_utf16_sheet_part_is_patched_in_its_own_encoding(codec, bom):
    text = sheet(ROW_14, declaration='<?xml version="1.0" encoding="UTF-16" standalone="yes"?>')
    original = bom + text.encode(codec)
    result, _ = _patch_sheet(original, {"J14": "十六位"})
    assert result.startswith(bom)
    decoded = result[len(bom):].decode(codec)
    assert cells_of(decoded.replace('encoding="UTF-16"', 'encoding="UTF-8"').encode())["J14"] == "十六位"
    assert decode_part(result)[0] == decoded


def test_a_self_closing_row_and_an_empty_sheet_data_take_new_cells():
    assert cells_of(patch(sheet('<row r="14"/>'), {"J14": "行"}))["J14"] == "行"
    empty = sheet("").replace("<sheetData>\n\n</sheetData>", "<sheetData/>").replace("<sheetData></sheetData>",
                                                                                   "<sheetData/>")
    assert "<sheetData/>" in empty
    result = patch(empty, {"B3": "新", "A2": Decimal(1)})
    assert cells_of(result) == {"A2": "1", "B3": "新"}


def test_new_cells_and_rows_go_in_order():
    result = patch(sheet('<row r="14"><c r="B14"/><c r="F14"/></row><row r="20"><c r="A20"/></row>'),
                   {"D14": "d", "A14": "a", "H14": "h", "C17": "c17", "A30": "a30", "A1": "a1"})
    refs = list(cells_of(result))
    assert refs == ["A1", "A14", "B14", "D14", "F14", "H14", "C17", "A20", "A30"]


def test_a_document_type_definition_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>' + sheet(ROW_14, declaration="")
    with pytest.raises(PatchError, match="DTD"):
        patch(bomb, {"J14": "x"})


def test_split_ref_refuses_garbage():
    assert split_ref("g14") == (14, 7) and split_ref("XFD1048576") == (1048576, 16384)
    with pytest.raises(ScanError):
        split_ref("14G")


def test_the_scan_finds_every_row_but_keeps_cells_only_for_wanted_rows():
    text = sheet(ROW_14)
    scan = scan_sheet(text, {15})
    assert [row.number for row in scan.rows] == [14, 15]
    assert scan.rows[0].cells == [] and [c for c, _ in scan.rows[1].cells] == [7, 10]
    assert text[scan.rows[1].element.start:scan.rows[1].element.end].startswith('<row r="15"')
    assert text[scan.rows[1].element.start:scan.rows[1].element.end].endswith("</row>")
