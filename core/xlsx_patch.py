"""Export into a copy of the budget system's own workbook, changing only the cells that changed.

The system's importer may rely on things we cannot see: hidden sheets of row ids, hidden columns,
defined names, data validations (including the x14 extensions openpyxl drops), comments, styles.
So the copy is made at the byte level: every part of the package is kept as it was, and in the
form's sheet only the changed cells' XML is replaced. Strings go in as inline strings, so the
shared-string table is untouched; a replaced formula cell drops the calculation chain, which Excel
rebuilds.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from xml.parsers import expat

from defusedxml import ElementTree as SafeET
from openpyxl.utils import column_index_from_string

from core.fields import AMOUNT_COLUMNS, INDICATOR_NUMBERS, TEXT_FIELDS
from core.checks import Evaluation
from core.layouts import group_label
from core.numbers import plain
from core.xlsx_reader import SheetForm

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
INDICATOR_TEXT_EXPORTED = ("level2", "level3", "target", "unit", "actual", "reason")


class PatchError(Exception):
    """The workbook cannot be patched safely; the caller writes a fresh sheet instead."""


def changed_cells(original: SheetForm, evaluation: Evaluation) -> dict[str, object]:
    """{cell ref: new value} for every field whose value differs from what the file holds.

    Computed cells (执行率, 得分, "(N分)", 总分) that hold a plain value in the file are rewritten
    with the recomputed value when it differs, so the copy never contradicts itself; computed
    cells holding a formula (Excel recalculates them) or nothing are left as they are.
    """
    current = evaluation.form
    before = original.form
    if len(before.indicators) != len(current.indicators) or len(before.fund_rows) != len(current.fund_rows):
        raise PatchError("指标或资金行的数量与原工作簿不同")
    changes: dict[str, object] = {}

    def compare(path: str, old, new) -> None:
        if old != new or type(old) is not type(new):
            ref = original.cells.get(path)
            if ref is None:
                if new in (None, ""):
                    return
                raise PatchError(f"原工作簿中找不到字段 {path} 的位置")
            changes[ref] = new

    for path in TEXT_FIELDS:
        compare(path, getattr(before, path), getattr(current, path))
    compare("funds.points", before.funds_points, current.funds_points)
    for i, (old, new) in enumerate(zip(before.fund_rows, current.fund_rows)):
        for column in ("label",) + AMOUNT_COLUMNS:
            compare(f"fund_rows[{i}].{column}", getattr(old, column), getattr(new, column))
    for i, (old, new) in enumerate(zip(before.indicators, current.indicators)):
        if old.level1 != new.level1:
            raise PatchError("一级指标与原工作簿不同")
        for name in INDICATOR_TEXT_EXPORTED + INDICATOR_NUMBERS:
            compare(f"indicators[{i}].{name}", getattr(old, name), getattr(new, name))
    computed = evaluation.computed
    recomputed = {"funds.rate": computed.rate, "funds.score": computed.funds_score,
                  "total_points": computed.total_points, "total_score": computed.total_score}
    labels = {}
    for i, group in enumerate(computed.groups):
        recomputed[f"groups[{i}].points"] = group.points
        labels[f"groups[{i}].points"] = group_label(group.name, group.points)
    for path, value in recomputed.items():
        printed = original.printed.get(path)  # only plain values are kept as printed
        if printed is not None and value is not None and printed != value and path in original.cells:
            changes[original.cells[path]] = labels.get(path, value)
    return changes


def patch_workbook(data: bytes, sheet_name: str, changes: dict[str, object]) -> bytes:
    """A copy of the xlsx package `data` where only `changes` (cell ref -> Decimal | str | None) differ."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    parts = {info.filename: archive.read(info.filename) for info in infos}
    sheet_part = _sheet_part(parts, sheet_name)
    new_sheet, dropped_formula = _patch_sheet(parts[sheet_part], changes)
    parts[sheet_part] = new_sheet
    skip = set()
    if dropped_formula and "xl/calcChain.xml" in parts:
        skip.add("xl/calcChain.xml")
        parts["[Content_Types].xml"] = re.sub(
            rb'<Override[^>]*PartName="/xl/calcChain\.xml"[^>]*/>', b"", parts["[Content_Types].xml"])
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = re.sub(rb'<Relationship[^>]*Target="[^"]*calcChain\.xml"[^>]*/>', b"", parts[rels])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in infos:
            if info.filename not in skip:
                target.writestr(info, parts[info.filename])
    return out.getvalue()


def _sheet_part(parts: dict[str, bytes], sheet_name: str) -> str:
    workbook = SafeET.fromstring(parts["xl/workbook.xml"])
    rel_id = None
    for sheet in workbook.iter(f"{{{NS_MAIN}}}sheet"):
        if sheet.get("name") == sheet_name:
            rel_id = sheet.get(f"{{{NS_REL}}}id")
    if rel_id is None:
        raise PatchError(f"原工作簿中没有工作表“{sheet_name}”")
    rels = SafeET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    for rel in rels.iter(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            path = re.sub(r"[^/]+/\.\./", "", path)
            if path in parts:
                return path
    raise PatchError(f"原工作簿中找不到工作表“{sheet_name}”的数据")


class _Element:
    __slots__ = ("start", "end", "attrs", "inner_start", "inner_end", "children", "index")

    def __init__(self, start, attrs):
        self.start, self.attrs = start, attrs
        self.end = self.inner_start = self.inner_end = None
        self.children = []
        self.index = None


def _tag_end(data: bytes, start: int) -> int:
    """The offset just past the tag that begins at `start`, honouring quoted attribute values."""
    quote = None
    i = start
    while i < len(data):
        ch = data[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in (0x22, 0x27):
            quote = ch
        elif ch == 0x3E:  # '>'
            return i + 1
        i += 1
    raise PatchError("工作表 XML 不完整")


def _scan(data: bytes):
    """sheetData, its rows and their cells, with byte offsets into `data` (expat reports them)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"sheet_data": None, "row": None}
    rows: list[_Element] = []
    stack: list[tuple[str, _Element | None]] = []

    def forbid(*_):
        raise PatchError("工作表 XML 含有文档类型定义，已拒绝处理")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid

    def start(name, attrs):
        local = name.split(" ")[-1]
        offset = parser.CurrentByteIndex
        element = None
        if local == "sheetData" and state["sheet_data"] is None:
            element = state["sheet_data"] = _Element(offset, attrs)
            element.inner_start = _tag_end(data, offset)
        elif local == "row" and stack and stack[-1][0] == "sheetData":
            element = _Element(offset, attrs)
            element.inner_start = _tag_end(data, offset)
            rows.append(element)
            state["row"] = element
        elif local == "c" and stack and stack[-1][0] == "row":
            element = _Element(offset, attrs)
            state["row"].children.append(element)
        stack.append((local, element))

    def end(name):
        local, element = stack.pop()
        if element is None:
            return
        offset = parser.CurrentByteIndex
        if data[offset:offset + 2] == b"</":
            element.inner_end = offset
            element.end = _tag_end(data, offset)
        else:  # a self-closing element: expat reports its end where it began
            element.inner_end = None
            element.end = _tag_end(data, element.start)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise PatchError(f"工作表 XML 无法解析（{exc}）") from None
    if state["sheet_data"] is None:
        raise PatchError("工作表中没有 sheetData")
    return state["sheet_data"], rows


def _split_ref(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return int(match.group(2)), column_index_from_string(match.group(1))


def _cell_xml(prefix: str, ref: str, style: str | None, value) -> bytes:
    s = f' s="{style}"' if style else ""
    if isinstance(value, Decimal):
        return f'<{prefix}c r="{ref}"{s}><{prefix}v>{plain(value)}</{prefix}v></{prefix}c>'.encode()
    if value is None or value == "":
        return f'<{prefix}c r="{ref}"{s}/>'.encode()
    text = ILLEGAL_XML.sub("", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f'<{prefix}c r="{ref}"{s} t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">{text}'
            f'</{prefix}t></{prefix}is></{prefix}c>').encode()


def _patch_sheet(data: bytes, changes: dict[str, object]) -> tuple[bytes, bool]:
    sheet_data, rows = _scan(data)
    prefix_match = re.match(rb"<([\w.-]+:)?sheetData", data[sheet_data.start:sheet_data.start + 40])
    prefix = (prefix_match.group(1) or b"").decode()
    # Rows and cells may omit r= (then they follow the previous one).
    number = 0
    for row in rows:
        number = int(row.attrs.get("r", number + 1))
        row.index = number
        col = 0
        for cell in row.children:
            col = _split_ref(cell.attrs["r"])[1] if "r" in cell.attrs else col + 1
            cell.index = col

    by_row: dict[int, dict[int, tuple[str, object]]] = {}
    for ref, value in changes.items():
        r, c = _split_ref(ref)
        by_row.setdefault(r, {})[c] = (ref, value)

    splices: list[tuple[int, int, bytes]] = []
    dropped_formula = False
    known_rows = {row.index: row for row in rows}
    for r, cells in by_row.items():
        row = known_rows.get(r)
        if row is None:
            continue
        existing = {cell.index: cell for cell in row.children}
        pieces = []
        for cell in row.children:
            if cell.index in cells:
                body = data[cell.start:cell.end]
                if re.search(rb"<([\w.-]+:)?f\b[^>]*\bref=", body):
                    raise PatchError("要修改的单元格是共享公式的起点")
                dropped_formula |= bool(re.search(rb"<([\w.-]+:)?f\b", body))
                ref, value = cells[cell.index]
                pieces.append((cell.index, _cell_xml(prefix, ref, cell.attrs.get("s"), value)))
            else:
                pieces.append((cell.index, data[cell.start:cell.end]))
        for c, (ref, value) in cells.items():
            if c not in existing:
                pieces.append((c, _cell_xml(prefix, ref, None, value)))
        pieces.sort(key=lambda piece: piece[0])
        inner = b"".join(piece for _, piece in pieces)
        start_tag = re.sub(rb'\s+spans="[^"]*"', b"", data[row.start:row.inner_start])
        if row.inner_end is None:  # <row .../> becomes <row ...>cells</row>
            start_tag = re.sub(rb"\s*/>$", b">", start_tag)
        splices.append((row.start, row.end, start_tag + inner + f"</{prefix}row>".encode()))

    inserts: dict[int, bytes] = {}  # new rows, grouped by where they go, in row order
    for r in sorted(r for r in by_row if r not in known_rows):
        cells = sorted(by_row[r].items())
        xml = f'<{prefix}row r="{r}">'.encode() + b"".join(
            _cell_xml(prefix, ref, None, value) for _, (ref, value) in cells) + f"</{prefix}row>".encode()
        following = next((row for row in rows if row.index > r), None)
        if following is not None:
            at = following.start
        elif sheet_data.inner_end is not None:
            at = sheet_data.inner_end
        else:
            raise PatchError("工作表没有数据区")
        inserts[at] = inserts.get(at, b"") + xml
    splices.extend((at, at, xml) for at, xml in inserts.items())

    result = data
    for start, end, replacement in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        result = result[:start] + replacement + result[end:]
    return result, dropped_formula
