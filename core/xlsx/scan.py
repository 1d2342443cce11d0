"""Where elements of an xlsx XML part begin and end, found from the XML text itself.

The export into the system's workbook splices new cells into the original sheet XML, so it must know
each element's exact extent. A parser's end event is no guide (expat reports a self-closing element's
end at a position that may already be past the enclosing row); here a start tag ends at its own `>`,
a self-closing tag is its whole element, and an end tag closes the innermost open element. The
part is checked to be well-formed XML first (expat, DTDs refused), so the scanner only has to be
right for well-formed input: comments, CDATA and processing instructions are skipped whole, and
attribute values may hold `>` or `/`.

Parts are decoded first (UTF-8, UTF-8 with a BOM, UTF-16 with or without a BOM, or the encoding
the XML declaration names) and encoded back the same way, so the untouched text stays byte for byte.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from xml.parsers import expat


class ScanError(Exception):
    """The part is not XML we can splice; the message is Chinese."""


# -- decoding ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Encoding:
    """How a part was encoded, so that `encode(decode(data)) == data`."""

    codec: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def decode_part(data: bytes) -> tuple[str, Encoding]:
    """The text of an XML part and how to encode it back."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            encoding = Encoding(codec, bom)
            break
    else:
        if data.startswith(b"<\x00"):
            encoding = Encoding("utf-16-le")
        elif data.startswith(b"\x00<"):
            encoding = Encoding("utf-16-be")
        else:
            declared = _DECLARED.match(data)
            codec = declared.group(1).decode("ascii").lower() if declared else "utf-8"
            try:
                codec = codecs.lookup(codec).name
            except LookupError:
                raise ScanError(f"XML 声明的编码“{codec}”无法识别") from None
            encoding = Encoding(codec)
    try:
        text = data[len(encoding.bom):].decode(encoding.codec)
    except UnicodeDecodeError:
        raise ScanError(f"XML 内容不是有效的 {encoding.codec} 编码") from None
    if encoding.encode(text) != data:  # e.g. a codec that does not round-trip: never splice blindly
        raise ScanError(f"XML 内容无法按 {encoding.codec} 编码原样写回")
    return text, encoding


def check_well_formed(text: str) -> None:
    """Raise ScanError unless `text` is well-formed XML without a document type definition."""
    parser = expat.ParserCreate("UTF-8")  # the text is already decoded; ignore the declared encoding

    def refuse(*_args: object) -> None:
        raise ScanError("XML 含有文档类型定义（DTD），已拒绝处理")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        raise ScanError(f"XML 无法解析（{exc}）") from None


# -- tags ------------------------------------------------------------------------------------------

_ATTRIBUTES = r"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
# One token of markup: an end tag, a start tag, or a comment, CDATA section, processing
# instruction or declaration skipped whole (their content may hold anything, "<row" included).
_TOKEN = re.compile(rf"""<(?:/([^\s>]+)\s*>|([^\s/>!?]+)({_ATTRIBUTES})\s*(/?)>"""
                    r"""|!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|![^>]*>)""", re.S)
_ATTRIBUTE = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def local_name(name: str) -> str:
    return name.rpartition(":")[2]


def prefix_of(name: str) -> str:
    """"x:" for "x:row", "" for "row"."""
    head, colon, _ = name.rpartition(":")
    return head + colon


_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _NAMED[name]
    return _ENTITY.sub(one, value) if "&" in value else value


@dataclass
class Element:
    """One element of the part: `text[start:end]` is all of it; `text[start:open_end]` its start tag;
    `close_start` is where its end tag begins (None when self-closing)."""

    name: str
    start: int
    open_end: int
    end: int = -1
    close_start: int | None = None
    raw_attrs: str = ""
    children: list[Element] = field(default_factory=list)
    _attrs: dict[str, str] | None = None

    @property
    def local(self) -> str:
        return local_name(self.name)

    @property
    def self_closing(self) -> bool:
        return self.close_start is None

    @property
    def attrs(self) -> dict[str, str]:
        """Attribute values, unescaped, by qualified name (parsed when first asked: most elements
        of a sheet are only stepped over)."""
        if self._attrs is None:
            self._attrs = {m.group(1): _unescape(m.group(2) if m.group(2) is not None else m.group(3))
                           for m in _ATTRIBUTE.finditer(self.raw_attrs)}
        return self._attrs

    def attr(self, local: str) -> str | None:
        """An attribute by its local name, whatever prefix it carries ("r", "x:r")."""
        if local not in self.raw_attrs:
            return None
        for name, value in self.attrs.items():
            if local_name(name) == local and not name.startswith("xmlns"):
                return value
        return None


def iter_tags(text: str, pos: int = 0) -> Iterator[tuple[Literal["start"], Element]
                                                  | tuple[Literal["end"], str, int, int]]:
    """Start and end tags in document order from `pos`: ("start", Element) and ("end", name,
    start, end). The text must be well-formed (check_well_formed)."""
    for match in _TOKEN.finditer(text, pos):
        closing = match.group(1)
        if closing is not None:
            yield "end", closing, match.start(), match.end()
            continue
        name = match.group(2)
        if name is None:
            continue  # comment, CDATA, processing instruction, declaration
        element = Element(name, match.start(), match.end(), raw_attrs=match.group(3))
        if match.group(4):
            element.end = match.end()
        yield "start", element


def tree(text: str, max_depth: int) -> Element:
    """The root element with its descendants down to `max_depth` (the root is depth 1)."""
    root: Element | None = None
    stack: list[Element | None] = []
    for token in iter_tags(text):
        if token[0] == "start":
            element = token[1]
            parent = stack[-1] if stack else None
            keep = len(stack) < max_depth and (not stack or parent is not None)
            if keep and parent is not None:
                parent.children.append(element)
            if root is None:
                root = element
            if element.end < 0:
                stack.append(element if keep else None)
        else:
            _, name, start, end = token
            closed = stack.pop()
            if closed is not None:
                closed.close_start, closed.end = start, end
    if root is None or stack:
        raise ScanError("XML 结构不完整")
    return root


# -- a sheet's rows and cells --------------------------------------------------------------------

_REF = re.compile(r"\s*([A-Za-z]{1,3})\s*([0-9]+)\s*")


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of "G14" or "g14"; ScanError for anything else."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise ScanError(f"单元格地址“{ref}”无效")
    return int(match.group(2)), column_number(match.group(1))


@dataclass
class Row:
    number: int
    element: Element
    cells: list[tuple[int, Element]] = field(default_factory=list)  # (column, cell), for wanted rows only


@dataclass
class SheetScan:
    """A worksheet's sheetData: every row's number and extent; the cells of the wanted rows."""

    sheet_data: Element
    rows: list[Row]
    stopped_at: int | None = None  # the scan stopped at this row's start (sheetData's end is not known)

    @property
    def prefix(self) -> str:
        return prefix_of(self.sheet_data.name)


def scan_sheet(text: str, wanted_rows: set[int] | frozenset[int] = frozenset()) -> SheetScan:
    """Rows and cells of a worksheet part. Rows and cells without r= follow the previous one.

    The scan stops at the first row after the last wanted one (where a new row would go), unless a
    later row has a smaller number (rows out of order): then every row is scanned."""
    scan = _scan_sheet(text, wanted_rows, stop_after=max(wanted_rows) if wanted_rows else None)
    if scan.stopped_at is not None:
        numbers = [int(m.group(1)) for m in _LATER_ROW.finditer(text, scan.stopped_at)]
        if numbers != sorted(numbers) or (numbers and numbers[0] <= max(wanted_rows)) or \
                len(numbers) != len(_ANY_ROW.findall(text, scan.stopped_at)):
            scan = _scan_sheet(text, wanted_rows, stop_after=None)
    return scan


_LATER_ROW = re.compile(r"""<(?:[\w.-]+:)?row\b[^>]*?\sr\s*=\s*["']\s*(\d+)""")
_ANY_ROW = re.compile(r"<(?:[\w.-]+:)?row\b")


def _scan_sheet(text: str, wanted_rows: set[int] | frozenset[int], stop_after: int | None) -> SheetScan:
    sheet_data: Element | None = None
    rows: list[Row] = []
    depth = 0
    row: Row | None = None
    in_sheet_data = False
    last_row = 0
    last_col = 0
    for token in iter_tags(text):
        if token[0] == "start":
            element = token[1]
            depth += 1
            if depth == 3 and in_sheet_data:
                if element.local != "row":
                    row = None
                else:
                    r = element.attr("r")
                    try:
                        last_row = int(r) if r is not None else last_row + 1
                    except ValueError:
                        raise ScanError(f"行号“{r}”无效") from None
                    if stop_after is not None and last_row > stop_after and rows:
                        rows.append(Row(last_row, element))
                        assert sheet_data is not None  # in_sheet_data: it was found
                        return SheetScan(sheet_data, rows, stopped_at=element.start)
                    last_col = 0
                    row = Row(last_row, element)
                    rows.append(row)
            elif depth == 4 and row is not None and element.local == "c":
                ref = element.attr("r")
                last_col = split_ref(ref)[1] if ref is not None else last_col + 1
                if row.number in wanted_rows:
                    row.cells.append((last_col, element))
            elif depth == 2 and element.local == "sheetData" and sheet_data is None:
                sheet_data = element
                in_sheet_data = True
            if element.end >= 0:  # self-closing: the tag is the whole element
                if element is sheet_data:
                    in_sheet_data = False
                if depth == 3:
                    row = None
                depth -= 1
        else:
            _, name, start, end = token
            if depth == 2 and in_sheet_data and local_name(name) == "sheetData":
                assert sheet_data is not None
                sheet_data.close_start, sheet_data.end = start, end
                in_sheet_data = False
            elif depth == 3 and row is not None:
                row.element.close_start, row.element.end = start, end
                row = None
            elif depth == 4 and row is not None and row.cells and row.cells[-1][1].end < 0:
                row.cells[-1][1].close_start, row.cells[-1][1].end = start, end
            depth -= 1
    if sheet_data is None:
        raise ScanError("工作表中没有数据区（sheetData）")
    return SheetScan(sheet_data, rows)


# -- which part holds which sheet ------------------------------------------------------------------

def sheet_titles(package: bytes) -> dict[str, str]:
    """{part name: sheet title} for the worksheets of an xlsx package ({} when it cannot tell)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    try:
        return {part: title for title, part in sheet_targets(workbook, rels).items()}
    except ScanError:
        return {}


def sheet_targets(workbook: bytes, rels: bytes) -> dict[str, str]:
    """{sheet title: part name} from the workbook part and its relationships."""
    def root(data: bytes, depth: int) -> Element:
        text = decode_part(data)[0]
        check_well_formed(text)
        return tree(text, max_depth=depth)

    targets = {}
    for rel in root(rels, 2).children:
        if rel.local == "Relationship" and rel.attr("Id") is not None:
            target = rel.attr("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            while re.search(r"[^/]+/\.\./", path):
                path = re.sub(r"[^/]+/\.\./", "", path, count=1)
            targets[rel.attr("Id")] = path
    titles = {}
    for sheets in root(workbook, 3).children:
        if sheets.local != "sheets":
            continue
        for sheet in sheets.children:
            rel_id = next((v for k, v in sheet.attrs.items() if local_name(k) == "id" and ":" in k), None)
            title = sheet.attr("name")
            if sheet.local == "sheet" and title is not None and rel_id in targets:
                titles[title] = targets[rel_id]
    return titles
