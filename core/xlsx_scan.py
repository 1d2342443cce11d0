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
from dataclasses import dataclass, field
from xml.parsers import expat


# Characters XML 1.0 cannot carry; an xlsx cell may hold tab and newline but not these.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
_START_TAG = re.compile(rf"<([^\s/>!?]+)({_ATTRIBUTES})\s*(/?)>")
_END_TAG = re.compile(r"</([^\s>]+)\s*>")
_ATTRIBUTE = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SKIP = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))


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
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list)

    @property
    def local(self) -> str:
        return local_name(self.name)

    @property
    def self_closing(self) -> bool:
        return self.close_start is None

    def attr(self, local: str) -> str | None:
        """An attribute by its local name, whatever prefix it carries ("r", "x:r")."""
        for name, value in self.attrs.items():
            if local_name(name) == local and not name.startswith("xmlns"):
                return value
        return None


def _attributes(raw: str) -> dict[str, str]:
    return {m.group(1): _unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTRIBUTE.finditer(raw)}


def iter_tags(text: str):
    """Start and end tags in document order: ("start", Element) and ("end", name, start, end)."""
    pos = 0
    length = len(text)
    while True:
        pos = text.find("<", pos)
        if pos < 0 or pos >= length:
            return
        if text.startswith("</", pos):
            match = _END_TAG.match(text, pos)
            if match is None:
                raise ScanError(f"第 {pos} 个字符处的结束标签不完整")
            yield "end", match.group(1), pos, match.end()
            pos = match.end()
            continue
        for opener, closer in _SKIP:
            if text.startswith(opener, pos):
                stop = text.find(closer, pos + len(opener))
                if stop < 0:
                    raise ScanError("XML 注释或指令没有结束")
                pos = stop + len(closer)
                break
        else:
            match = _START_TAG.match(text, pos)
            if match is None:
                raise ScanError(f"第 {pos} 个字符处的开始标签不完整")
            element = Element(match.group(1), pos, match.end(), attrs=_attributes(match.group(2)))
            if match.group(3):
                element.end = match.end()
            yield "start", element
            pos = match.end()


def tree(text: str, max_depth: int) -> Element:
    """The root element with its descendants down to `max_depth` (the root is depth 1)."""
    root: Element | None = None
    stack: list[Element | None] = []
    for token in iter_tags(text):
        if token[0] == "start":
            element = token[1]
            keep = len(stack) < max_depth and (not stack or stack[-1] is not None)
            if keep and stack:
                stack[-1].children.append(element)  # type: ignore[union-attr]
            if root is None:
                root = element
            if element.end < 0:
                stack.append(element if keep else None)
        else:
            _, name, start, end = token
            element = stack.pop()
            if element is not None:
                element.close_start, element.end = start, end
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

    @property
    def prefix(self) -> str:
        return prefix_of(self.sheet_data.name)


def scan_sheet(text: str, wanted_rows: set[int] | frozenset[int] = frozenset()) -> SheetScan:
    """Rows and cells of a worksheet part. Rows and cells without r= follow the previous one."""
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
            local = element.local
            if depth == 2 and local == "sheetData" and sheet_data is None:
                sheet_data = element
                in_sheet_data = True
            elif depth == 3 and in_sheet_data and local == "row":
                r = element.attr("r")
                try:
                    last_row = int(r) if r is not None else last_row + 1
                except ValueError:
                    raise ScanError(f"行号“{r}”无效") from None
                last_col = 0
                row = Row(last_row, element)
                rows.append(row)
            elif depth == 4 and row is not None and local == "c":
                ref = element.attr("r")
                last_col = split_ref(ref)[1] if ref is not None else last_col + 1
                if row.number in wanted_rows:
                    row.cells.append((last_col, element))
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

