"""Export into a copy of the budget system's own workbook, changing only the clerk's cells.

The system's importer may rely on things we cannot see: hidden sheets of row ids, hidden columns,
defined names, data validations (including the x14 extensions openpyxl drops), comments, styles.
So the copy is made at the byte level: every part of the package is kept as it was, and in each
form's sheet only the changed cells' XML is replaced (core.xlsx.scan finds their extents). Strings
go in as inline strings, so the shared-string table is untouched; a replaced formula cell drops the
calculation chain, which Excel rebuilds; when the workbook has formulas, `fullCalcOnLoad` makes
Excel and WPS recompute totals such as `SUM(H14:H26)` from the clerk's values (LibreOffice ignores
it and follows its own setting, 加载时重新计算: by default it asks, or never recalculates).

Grey cells are the system's (its note: 置灰部分如强制修改导入系统，数据有出入请自行负责): the copy
changes clerk cells only, never the computed 执行率, 得分, "(N分)" or 总分 the system printed — the
system recomputes those on import. A grey cell the clerk deliberately changed through 解锁置灰字段
is written and listed, so the clerk is told.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from core.cell_refs import column_letter
from core.checks import Evaluation
from core.fields import value_at
from core.layout_files import LayoutSpec, layout_spec
from core.layouts import Role, group_label, sheet_layout
from core.numbers import places_of, plain, quantize
from core.text import ILLEGAL_XML, escape_cell_text
from core.xlsx.reader import SheetForm
from core.xlsx.scan import (
    Element,
    Encoding,
    ScanError,
    SheetScan,
    check_well_formed,
    decode_part,
    prefix_of,
    scan_sheet,
    sheet_targets,
    split_ref,
    tree,
)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_FORMULA = re.compile(r"<(?:[\w.-]+:)?f[\s/>]")
# Elements that follow calcPr in the workbook part (ECMA-376 CT_Workbook): a new calcPr goes before them.
_AFTER_CALC_PR = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                  "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")
MACRO_PARTS = ("xl/vbaProject.bin",)


class PatchError(Exception):
    """The workbook cannot be patched at all (its rows changed since import); the caller draws a
    fresh sheet instead and says so."""


@dataclass(frozen=True)
class SheetChanges:
    """What one form's sheet needs: {cell ref: new value}, and the paths behind them."""

    cells: dict[str, object] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # ref -> field path
    unlocked: tuple[str, ...] = ()  # refs of grey cells the clerk changed through 解锁置灰字段


def changed_cells(original: SheetForm, evaluation: Evaluation) -> SheetChanges:
    """The cells to write: every clerk field whose value differs from what the file holds, and
    every grey field the clerk changed (unlocked). Computed cells (执行率, 得分, 总分) are written
    only where the layout says no system recomputes them (a hand-filled template), and never
    over a formula."""
    current = evaluation.form
    before = original.form
    if len(before.indicators) != len(current.indicators) or len(before.fund_rows) != len(current.fund_rows):
        raise PatchError("指标或资金行的数量与原工作簿不同")
    if [i.level1 for i in before.indicators] != [i.level1 for i in current.indicators]:
        raise PatchError("一级指标与原工作簿不同")
    cells: dict[str, object] = {}
    paths: dict[str, str] = {}
    unlocked: list[str] = []
    layout = layout_spec(current.layout)
    for spec in sheet_layout(current).cells:
        if spec.field is None or spec.role not in (Role.CLERK, Role.SYSTEM):
            continue  # labels and computed cells stay as the system wrote them
        path = spec.field
        old = value_at(before, None, path)
        new = value_at(current, None, path)
        if old == new and type(old) is type(new):
            continue
        ref = original.cells.get(path)
        if ref is None:
            if new in (None, ""):
                continue
            raise PatchError(f"原工作簿中找不到字段 {path} 的位置")
        cells[ref] = new
        paths[ref] = path
        if spec.role is Role.SYSTEM and not (layout is not None and layout.hand_filled):
            unlocked.append(ref)
    if layout is not None and not layout.system_recomputes:
        for path, value in recomputed_cells(original, evaluation, layout).items():
            ref = original.cells[path]
            cells[ref] = value
            paths[ref] = path
    return SheetChanges(cells, paths, tuple(unlocked))


def recomputed_cells(original: SheetForm, evaluation: Evaluation, spec: LayoutSpec) -> dict[str, object]:
    """{path: value} for the computed cells the file holds as plain values (or empty) that differ
    from the recomputed ones, each in the cell's own kind: a percentage-formatted number as the
    fraction it shows, text as text ("86.20%")."""
    computed = evaluation.computed
    ours: dict[str, Decimal | None] = {"funds.rate": computed.rate, "funds.score": computed.funds_score,
                                       "total_points": computed.total_points, "total_score": computed.total_score}
    written: dict[str, object] = {}
    percent_layout = spec.number_format("rate").endswith("%")
    # A 一级指标 cell that prints its group's Σ 分值 ("产出指标(60分)") gets the new sum in the
    # layout's own wording, or the file's "名称(N分)".
    wording = spec.indicators_part.group_label
    if "{points}" not in wording:
        wording = "{name}({points}分)"
    for index, group in enumerate(computed.groups):
        path = f"groups[{index}].points"
        printed = original.printed.get(path)
        if (isinstance(printed, Decimal) and printed != group.points and path in original.cells
                and original.computed_kinds.get(path) == "text"):
            written[path] = group_label(group.name, group.points, wording)
    for path, value in ours.items():
        kind = original.computed_kinds.get(path)
        if value is None or kind in (None, "formula") or path not in original.cells:
            continue
        printed = original.printed.get(path)
        if kind != "empty" and isinstance(printed, Decimal) and quantize(value, places_of(printed)) == printed:
            continue  # the file already shows it, at the places it prints
        rate = path == "funds.rate"
        if kind == "percent":
            written[path] = value / 100
        elif rate and (kind == "text" or (kind == "empty" and percent_layout)):
            written[path] = f"{plain(value)}%"  # an empty cell's format is unknown: text shows as meant
        elif kind == "text":
            written[path] = plain(value)
        else:
            written[path] = value
    return written


def is_macro_workbook(data: bytes, file_name: str = "") -> bool:
    """True for a macro-enabled package (.xlsm, a vbaProject part or a macroEnabled content type):
    its macros must never be carried into an .xlsx we write."""
    if file_name.lower().endswith((".xlsm", ".xltm", ".xlam")):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    return any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroenabled" in types.lower()


def patch_workbook(data: bytes, changes: Mapping[str, Mapping[str, object]]) -> bytes:
    """A copy of the xlsx package `data` where only `changes` ({sheet name: {ref: Decimal | str |
    None}}) differ. The package is returned unchanged, byte for byte, when there is nothing to do."""
    if not any(changes.values()):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info.filename) for info in infos}
    skip: set[str] = set()
    dropped_formula = False
    for sheet_name, cells in changes.items():
        if not cells:
            continue
        part = sheet_part(parts, sheet_name)
        parts[part], dropped = _patch_sheet(parts[part], cells)
        dropped_formula |= dropped
    if dropped_formula and "xl/calcChain.xml" in parts:
        skip.add("xl/calcChain.xml")
        parts["[Content_Types].xml"] = re.sub(
            rb'<(?:[\w.-]+:)?Override[^>]*PartName="/xl/calcChain\.xml"[^>]*/>', b"", parts["[Content_Types].xml"])
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = re.sub(rb'<(?:[\w.-]+:)?Relationship[^>]*Target="[^"]*calcChain\.xml"[^>]*/>', b"", parts[rels])
    if _has_formulas(parts):
        parts["xl/workbook.xml"] = _full_calc_on_load(parts["xl/workbook.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in infos:
            if info.filename not in skip:
                target.writestr(info, parts[info.filename])
    return out.getvalue()


def _decode(data: bytes) -> tuple[str, Encoding]:
    try:
        text, encoding = decode_part(data)
        check_well_formed(text)
    except ScanError as exc:
        raise PatchError(str(exc)) from None
    return text, encoding


def sheet_part(parts: Mapping[str, bytes], sheet_name: str) -> str:
    """The package part holding the worksheet named `sheet_name`."""
    try:
        targets = sheet_targets(parts["xl/workbook.xml"], parts["xl/_rels/workbook.xml.rels"])
    except (ScanError, KeyError) as exc:
        raise PatchError(f"原工作簿的结构无法识别（{exc}）") from None
    if sheet_name not in targets:
        raise PatchError(f"原工作簿中没有工作表“{sheet_name}”")
    if targets[sheet_name] not in parts:
        raise PatchError(f"原工作簿中找不到工作表“{sheet_name}”的数据")
    return targets[sheet_name]


def _has_formulas(parts: Mapping[str, bytes]) -> bool:
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            try:
                text = decode_part(data)[0]
            except ScanError:
                continue
            if _FORMULA.search(text):
                return True
    return False


def _full_calc_on_load(data: bytes) -> bytes:
    """workbook.xml with calcPr's fullCalcOnLoad="1", so spreadsheet programs recompute formulas."""
    text, encoding = _decode(data)
    root = tree(text, max_depth=2)
    calc = next((c for c in root.children if c.local == "calcPr"), None)
    if calc is not None:
        tag = text[calc.start:calc.open_end]
        if re.search(r'\sfullCalcOnLoad\s*=\s*["\'](1|true)["\']', tag):
            return data
        tag = re.sub(r'\sfullCalcOnLoad\s*=\s*("[^"]*"|\'[^\']*\')', "", tag)
        tail = "/>" if tag.endswith("/>") else ">"
        tag = tag[: -len(tail)].rstrip() + ' fullCalcOnLoad="1"' + tail
        text = text[:calc.start] + tag + text[calc.open_end:]
    else:
        new = f'<{prefix_of(root.name)}calcPr fullCalcOnLoad="1"/>'
        following = next((c for c in root.children if c.local in _AFTER_CALC_PR), None)
        at = following.start if following is not None else root.close_start
        if at is None:
            raise PatchError("工作簿 XML 没有内容")
        text = text[:at] + new + text[at:]
    return encoding.encode(text)


# -- one sheet ---------------------------------------------------------------------------------

def _escape(text: str) -> str:
    text = ILLEGAL_XML.sub("", text)
    # A raw CR would come back as LF (XML end-of-line handling): keep it as a character reference.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def cell_xml(prefix: str, ref: str, style: str | None, value: object) -> str:
    """One cell as SpreadsheetML: numbers as numbers, text as an inline string (never a formula)."""
    s = f' s="{_escape(style)}"' if style else ""
    if isinstance(value, Decimal) and value.is_finite():
        return f'<{prefix}c r="{ref}"{s}><{prefix}v>{plain(value)}</{prefix}v></{prefix}c>'
    if value is None or value == "":
        return f'<{prefix}c r="{ref}"{s}/>'
    # "_x000D_" typed by the clerk is kept literal: Excel and WPS decode such sequences.
    text = _escape(escape_cell_text(ILLEGAL_XML.sub("", str(value))))
    return (f'<{prefix}c r="{ref}"{s} t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">{text}'
            f'</{prefix}t></{prefix}is></{prefix}c>')


_F_ELEMENT = re.compile(r"<((?:[\w.-]+:)?)f\b([^>]*?)(/>|>(.*?)</\1f\s*>)", re.S)


def _attr(raw: str, name: str) -> str | None:
    match = re.search(rf"""\s{name}\s*=\s*["']([^"']*)["']""", raw)
    return match.group(1).strip() if match else None


@dataclass(frozen=True)
class _SharedMaster:
    """A replaced cell that anchored a shared formula other cells still use."""

    ref: str  # the master's own cell
    si: str
    area: str  # the formula's ref= range
    formula: str  # as written in the master (escaped XML text, no "=")


def _formula_of(body: str, ref: str) -> tuple[bool, _SharedMaster | None]:
    """(whether replacing this cell drops a formula, the shared formula it anchors if any).
    PatchError for an array formula spanning other cells: a part of it cannot be replaced."""
    match = _F_ELEMENT.search(body)
    if match is None:
        return False, None
    raw = match.group(2)
    area = _attr(raw, "ref")
    if area is None or area.upper() == ref.upper():
        return True, None
    si = _attr(raw, "si")
    if (_attr(raw, "t") or "") == "shared" and si is not None:
        return True, _SharedMaster(ref, si, area.upper(), match.group(4) or "")
    raise PatchError(f"要修改的单元格 {ref} 是数组公式 {area} 的一部分，其他单元格依赖它")


def _area_rows(area: str) -> range:
    first, _, last = area.partition(":")
    return range(split_ref(first)[0], split_ref(last or first)[0] + 1)


def _hand_over(text: str, scan: SheetScan, master: _SharedMaster, replaced: set[tuple[int, int]]
               ) -> tuple[int, int, int, str] | None:
    """The splice that makes the first remaining cell of a shared formula its new anchor, with the
    formula translated to that cell and the range shrunk to the cells still using it."""
    from xml.sax.saxutils import escape, unescape

    from openpyxl.formula.translate import Translator

    first, _, last = master.area.partition(":")
    (r0, c0), (r1, c1) = split_ref(first), split_ref(last or first)
    users = []
    for row in scan.rows:
        if r0 <= row.number <= r1:
            for col, cell in row.cells:
                if c0 <= col <= c1 and (row.number, col) not in replaced:
                    match = _F_ELEMENT.search(text, cell.start, cell.end)
                    if match and _attr(match.group(2), "si") == master.si and _attr(match.group(2), "ref") is None:
                        users.append((row.number, col, cell, match))
    if not users:
        return None
    number, col, cell, match = min(users, key=lambda u: (u[0], u[1]))
    new_ref = f"{column_letter(col)}{number}"
    formula = Translator("=" + unescape(master.formula), origin=master.ref).translate_formula(new_ref)[1:]
    rows = [u[0] for u in users]
    cols = [u[1] for u in users]
    area = f"{column_letter(min(cols))}{min(rows)}:{column_letter(max(cols))}{max(rows)}"
    prefix = match.group(1)
    anchor = f'<{prefix}f t="shared" ref="{area}" si="{master.si}">{escape(formula)}</{prefix}f>'
    body = text[cell.start:cell.end]
    at = match.start() - cell.start
    return (cell.start, cell.end, 0, body[:at] + anchor + body[at + len(match.group(0)):])


def _patch_sheet(data: bytes, changes: Mapping[str, object]) -> tuple[bytes, bool]:
    text, encoding = _decode(data)
    by_row: dict[int, dict[int, tuple[str, object]]] = {}
    for ref, value in changes.items():
        try:
            r, c = split_ref(ref)
        except ScanError as exc:
            raise PatchError(str(exc)) from None
        canonical_ref = ref.strip().upper()
        by_row.setdefault(r, {})[c] = (canonical_ref, value)
    try:
        scan = scan_sheet(text, frozenset(by_row))
    except ScanError as exc:
        raise PatchError(str(exc)) from None
    splices: list[tuple[int, int, int, str]] = []  # (start, end, order, replacement)
    dropped_formula = False
    masters: list[_SharedMaster] = []
    rows = {row.number: row for row in reversed(scan.rows)}  # the first of duplicated numbers wins
    prefix = scan.prefix
    for number, wanted in by_row.items():
        row = rows.get(number)
        if row is None:
            continue
        existing = dict(row.cells)
        new_cells = sorted(c for c in wanted if c not in existing)
        for col, cell in row.cells:
            if col in wanted:
                ref, value = wanted[col]
                dropped, master = _formula_of(text[cell.start:cell.end], ref)
                dropped_formula |= dropped
                if master is not None:
                    masters.append(master)
                splices.append((cell.start, cell.end, 0, cell_xml(prefix, ref, cell.attr("s"), value)))
        if not new_cells:
            continue
        element = row.element
        row_tag = text[element.start:element.open_end]
        new_tag = re.sub(r'\sspans\s*=\s*("[^"]*"|\'[^\']*\')', "", row_tag)  # spans would no longer hold
        if element.self_closing:
            new_tag = new_tag[:-2].rstrip() + ">"
            inner = "".join(cell_xml(prefix, wanted[c][0], None, wanted[c][1]) for c in new_cells)
            splices.append((element.start, element.end, 0, f"{new_tag}{inner}</{prefix_of(element.name)}row>"))
            continue
        if new_tag != row_tag:
            splices.append((element.start, element.open_end, 0, new_tag))
        for order, col in enumerate(new_cells):
            following = next((cell for c, cell in row.cells if c > col), None)
            if following is not None:
                at = following.start
            elif row.cells:
                at = row.cells[-1][1].end
            else:
                assert element.close_start is not None  # a self-closing row was handled above
                at = element.close_start
            splices.append((at, at, -1000 + order, cell_xml(prefix, wanted[col][0], None, wanted[col][1])))
    splices.extend(_new_rows(text, scan, by_row, rows, prefix))
    if masters:  # the cells still using a replaced shared formula get a new anchor
        wanted_rows = set(by_row).union(*(_area_rows(m.area) for m in masters))
        full = scan_sheet(text, frozenset(wanted_rows))
        replaced = {(r, c) for r, cells in by_row.items() for c in cells}
        for master in masters:
            splice = _hand_over(text, full, master, replaced)
            if splice is not None:
                splices.append(splice)
    splices.sort(key=lambda s: (s[0], s[1], s[2]))
    out: list[str] = []
    pos = 0
    for start, end, _, replacement in splices:
        if start < pos:
            raise PatchError("工作表中的修改位置重叠")  # a scanner bug: never write such a file
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return encoding.encode("".join(out)), dropped_formula


def _new_rows(text: str, scan: SheetScan, by_row: Mapping[int, Mapping[int, tuple[str, object]]],
              rows: Mapping[int, object], prefix: str) -> list[tuple[int, int, int, str]]:
    """Rows the sheet does not have yet, each before the first row with a larger number."""
    splices = []
    sheet_data: Element = scan.sheet_data
    appended: list[str] = []
    for order, number in enumerate(sorted(n for n in by_row if n not in rows)):
        cells = sorted(by_row[number].items())
        xml = (f'<{prefix}row r="{number}">' + "".join(cell_xml(prefix, ref, None, value) for _, (ref, value) in cells)
               + f"</{prefix}row>")
        following = next((row for row in scan.rows if row.number > number), None)
        if following is not None:
            splices.append((following.element.start, following.element.start, -1000 + order, xml))
        elif sheet_data.close_start is None:  # self-closing
            appended.append(xml)
        else:
            splices.append((sheet_data.close_start, sheet_data.close_start, order, xml))
    if appended:  # <sheetData/> becomes <sheetData>rows</sheetData>
        opening = text[sheet_data.start:sheet_data.open_end][:-2].rstrip() + ">"
        splices.append((sheet_data.start, sheet_data.end, 0, f"{opening}{''.join(appended)}</{sheet_data.name}>"))
    return splices
