"""The sheet on paper: the layout's rows measured at the page's width and cut into pages.

Everything here is read from the layout (core.layouts), never restated: which cells exist, what they
span, which are grey, which row heads which. On top of it, paper adds three things a spreadsheet
does not need: a row taller than the space left is split line by line across pages (a cell's text
is never cut off); a merged cell cut by a page break is drawn on both pages, clipped to each; and a
table continued on a new page starts with its heading row again (layout.heading_of).
Sizes are points (1/72 inch); core.pdf.lines breaks the Chinese text into lines.

A form that needs two pages at full size but fits on one at 85 % or more is printed on one page,
shrunk (`fit_pages`): a second page holding one indicator row, 总分 and the signatures helps
nobody who signs and stamps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from core.arithmetic import Computed
from core.layouts import Cell, Role, SheetLayout, cell_text, sheet_layout
from core.model import Form
from core.pdf.lines import break_lines

GRID, PLAIN, GAP, SIGNATURE = "grid", "plain", "gap", "signature"
# The smallest scale, in percent, at which a form is still shrunk onto one page rather than split.
MIN_ONE_PAGE_PERCENT = 85


@dataclass(frozen=True)
class Paper:
    """Page geometry and type sizes, in points. A4 landscape; the footer sits in the bottom margin."""

    width: float = landscape(A4)[0]
    height: float = landscape(A4)[1]
    margin_x: float = 10 * mm
    margin_top: float = 9 * mm
    margin_bottom: float = 12 * mm
    font_size: float = 9
    title_size: float = 16
    line_spacing: float = 1.25
    pad_x: float = 2.5
    pad_y: float = 2
    gap_height: float = 6
    # The signature block needs this much, and takes up to signature_room when the page has it.
    signature_height: float = 76
    signature_room: float = 130
    # Splitting a tall row only to fill a page: the row must be this tall and this much room left.
    tall_row: float = 0.4
    useful_room: float = 0.25

    def scaled(self, scale: float) -> Paper:
        """The paper as a drawing shrunk by `scale` sees it: bigger by 1/scale, with margins that
        come out at their usual size on the sheet. Type sizes stay, so the type shrinks too."""
        return replace(self, width=self.width / scale, height=self.height / scale,
                       margin_x=self.margin_x / scale, margin_top=self.margin_top / scale,
                       margin_bottom=self.margin_bottom / scale)

    @property
    def body_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def body_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom

    @property
    def leading(self) -> float:
        return round(self.font_size * self.line_spacing, 2)

    @property
    def min_row(self) -> float:
        return self.leading + 2 * self.pad_y


@dataclass(eq=False)
class Piece:
    """One cell as drawn: its place in the grid, the layout's cell (role, alignment, boldness), its
    width, and its text broken into lines at that width (none when empty, or when all of its text
    went to the part of a split row on an earlier page)."""

    col: int  # 0-based
    colspan: int
    cell: Cell
    width: float
    size: float  # font size
    leading: float  # line height
    lines: tuple[str, ...] = ()

    @property
    def content_height(self) -> float:
        return len(self.lines) * self.leading

    def with_lines(self, lines: tuple[str, ...]) -> Piece:
        return replace(self, lines=lines)


@dataclass(eq=False)
class PaperRow:
    """A row on paper: a sheet row, or part of one split across pages, or the signature block."""

    sheet_row: int
    kind: str  # GRID (ruled cells), PLAIN (title, note), GAP (an empty sheet row), SIGNATURE
    pieces: list[Piece]  # the cells that start in this row and span only it
    height: float  # natural height: what its own cells need
    heading: PaperRow | None = None
    keep_with_next: bool = False
    keep_with_previous: bool = False
    splittable: bool = False
    broken: bool = False  # a part of a row split across pages: its text flows from the top


@dataclass(eq=False)
class Span:
    """A cell merged over several rows; cut at a page break, each page draws its own part."""

    piece: Piece
    first: PaperRow
    last: PaperRow


@dataclass
class Sheet:
    """A form's rows on paper, ready to be paginated. `col_x` are the columns' left edges relative
    to the left margin, plus the right edge."""

    layout: SheetLayout
    rows: list[PaperRow]
    spans: list[Span]
    col_x: list[float]
    paper: Paper


@dataclass
class Page:
    """The rows on one page with their final heights, and each merged cell clipped to the page as
    (span, first index, last index) into `rows`."""

    rows: list[PaperRow]
    heights: list[float]
    spans: list[tuple[Span, int, int]] = field(default_factory=list)


def build_sheet(form: Form, computed: Computed, font_name: str, paper: Paper = Paper(),
                signature: bool = True) -> Sheet:
    """The form's layout as paper rows: every cell's printed text (layout.cell_text) broken into
    lines at its width; column widths are the layout's, scaled to the page."""
    layout = sheet_layout(form)
    total_width = sum(layout.column_widths)
    widths = [paper.body_width * w / total_width for w in layout.column_widths]
    col_x = [sum(widths[:i]) for i in range(len(widths) + 1)]

    def piece_of(cell: Cell) -> Piece:
        text = cell_text(cell, form, computed).strip()
        width = col_x[cell.last_col] - col_x[cell.col - 1]
        size = paper.title_size if cell.role is Role.TITLE else paper.font_size
        lines = break_lines(text, width - 2 * paper.pad_x, font_name, size)
        if cell.role is Role.LABEL and len(lines) > 1 and len(lines[-1]) <= 2:
            # A fixed label in a narrow column ("年度绩效指标") is shrunk a little rather than
            # leave one character alone on its last line, as Excel's shrink-to-fit would.
            for step in range(1, 7):
                smaller = size * (1 - 0.025 * step)
                fewer = break_lines(text, width - 2 * paper.pad_x, font_name, smaller)
                if len(fewer) < len(lines):
                    size, lines = smaller, fewer
                    break
        return Piece(cell.col - 1, cell.colspan, cell, width, size, size * paper.line_spacing, tuple(lines))

    by_row: dict[int, list[Cell]] = {}
    for cell in layout.cells:
        by_row.setdefault(cell.row, []).append(cell)
    covered = {row for cell in layout.cells for row in range(cell.row, cell.last_row + 1)}
    headings = {layout.heading_of(r) for r in range(1, layout.rows + 1)} - {None}

    rows: dict[int, PaperRow] = {}
    spans: list[Span] = []
    span_cells: list[tuple[Cell, Piece]] = []
    for r in range(1, layout.rows + 1):
        cells = sorted(by_row.get(r, []), key=lambda c: c.col)
        roles = {c.role for c in cells}
        if r not in covered:
            kind = GAP
        elif roles and roles <= {Role.TITLE, Role.NOTE}:
            kind = PLAIN
        else:
            kind = GRID
        pieces = []
        for cell in cells:
            piece = piece_of(cell)
            if cell.rowspan > 1:
                span_cells.append((cell, piece))
            else:
                pieces.append(piece)
        if kind == GAP:
            height = paper.gap_height
        else:
            height = max([p.content_height + 2 * paper.pad_y for p in pieces] + [paper.min_row])
            if Role.TITLE in roles:
                height += paper.pad_y * 2  # air under the title
        rows[r] = PaperRow(
            sheet_row=r,
            kind=kind,
            pieces=pieces,
            height=height,
            keep_with_next=(Role.TITLE in roles or Role.SECTION in roles or r in headings
                            or r >= layout.total_row),
            keep_with_previous=r == layout.total_row,  # 总分 never alone under a repeated heading
            splittable=kind != GAP and r not in headings and Role.TITLE not in roles,
        )
    for r, row in rows.items():
        heading = layout.heading_of(r)
        row.heading = rows[heading] if heading is not None else None
    for cell, piece in span_cells:
        spans.append(Span(piece, rows[cell.row], rows[cell.last_row]))
    ordered = [rows[r] for r in range(1, layout.rows + 1)]
    if signature:
        ordered.append(PaperRow(layout.rows + 1, SIGNATURE, [], paper.signature_height))
    return Sheet(layout, ordered, spans, col_x, paper)


@dataclass
class Layout:
    """A form's sheet, its pages and the scale they are drawn at (1.0, or less for one page)."""

    sheet: Sheet
    pages: list[Page]
    scale: float = 1.0


def fit_pages(form: Form, computed: Computed, font_name: str, paper: Paper = Paper(),
              min_percent: int = MIN_ONE_PAGE_PERCENT) -> Layout:
    """The form at full size when it fits on one page or needs more than one page even at
    `min_percent`; otherwise on one page at the largest whole percent (≥ min_percent) that holds
    it. Each try lays the sheet out anew: text wraps differently on the wider virtual page."""

    def attempt(percent: int) -> Layout:
        scale = percent / 100
        sheet = build_sheet(form, computed, font_name, paper if percent == 100 else paper.scaled(scale))
        return Layout(sheet, paginate(sheet), scale)

    full = attempt(100)
    if len(full.pages) == 1:
        return full
    if len(full.pages) > 2:
        # More than two pages' worth of rows: at 85 % a page holds 1/0.85² ≈ 1.4 times as much,
        # even counting the text that wraps less in wider columns, so do not lay it out again.
        return full
    smallest = attempt(min_percent)
    if len(smallest.pages) > 1:
        return full
    best, low, high = smallest, min_percent, 100  # fits at `low`, not at `high`
    while high - low > 1:
        middle = (low + high) // 2
        trial = attempt(middle)
        if len(trial.pages) == 1:
            best, low = trial, middle
        else:
            high = middle
    return best


def paginate(sheet: Sheet) -> list[Page]:
    """Cut the sheet into pages. Rows that do not fit move to the next page, except rows taller
    than a page (or tall rows with much room left), which are split line by line. Headings and
    the rows from 总分 on keep with what follows them. Mutates sheet.rows (split rows)."""
    return _Paginator(sheet).run()


class _Paginator:
    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.paper = sheet.paper
        self.rows = sheet.rows
        self.avail = sheet.paper.body_height
        self._reindex()

    def _reindex(self) -> None:
        self.index = {id(row): i for i, row in enumerate(self.rows)}

    def run(self) -> list[Page]:
        pages: list[Page] = []
        i = 0
        while i < len(self.rows):
            page: list[PaperRow] = []
            heading = self.rows[i].heading
            if pages and heading is not None:
                page.append(heading)
            repeated = len(page)
            while i < len(self.rows):
                row = self.rows[i]
                if self.height(page + [row]) <= self.avail:
                    page.append(row)
                    i += 1
                    continue
                body = len(page) - repeated
                if row.splittable and self._should_split(page, row, body):
                    parts = self._split_to_fit(page, row)
                    if parts is not None:
                        self.rows[i:i + 1] = parts
                        self._reindex()
                        page.append(parts[0])
                        i += 1
                        break
                if body == 0:  # cannot fit nor split: place it (drawn clipped) so pagination ends
                    page.append(row)
                    i += 1
                    break
                # Break earlier rather than leave a heading at the foot of the page or 总分 alone
                # at the top of the next.
                while len(page) - repeated > 1 and (page[-1].keep_with_next or row.keep_with_previous):
                    page.pop()
                    i -= 1
                    row = self.rows[i]
                break
            pages.append(self.page(page))
        return pages

    def _should_split(self, page: list[PaperRow], row: PaperRow, body: int) -> bool:
        heading = row.heading.height if row.heading is not None else 0
        if body == 0 or row.height > self.avail - heading:
            return True  # it will not fit on any page whole
        room = self.avail - self.height(page)
        return row.height > self.paper.tall_row * self.avail and room > self.paper.useful_room * self.avail

    def _split_to_fit(self, page: list[PaperRow], row: PaperRow) -> list[PaperRow] | None:
        room = self.avail - self.height(page)
        for _ in range(4):  # merged cells ending here may ask for more height: shrink and retry
            if room < 2 * self.paper.leading + 2 * self.paper.pad_y:
                return None
            parts = split_row(row, room, self.paper)
            if parts is None:
                return None
            self.index[id(parts[0])] = self.index[id(row)]  # measure the first part in the row's place
            over = self.height(page + [parts[0]]) - self.avail
            if over <= 1e-6:
                for span in self.sheet.spans:
                    if span.first is row:
                        span.first = parts[0]
                    if span.last is row:
                        span.last = parts[1]
                return parts
            room -= over
        return None

    def clipped(self, rows: list[PaperRow]) -> list[tuple[Span, int, int]]:
        result = []
        positions = [self.index[id(row)] for row in rows]
        for span in self.sheet.spans:
            lo, hi = self.index[id(span.first)], self.index[id(span.last)]
            members = [k for k, pos in enumerate(positions) if lo <= pos <= hi]
            if members:
                result.append((span, members[0], members[-1]))
        return result

    def heights(self, rows: list[PaperRow]) -> list[float]:
        """Row heights on a page: natural heights, the last row of each clipped merged cell grown
        until the merged cell's text fits in its part."""
        heights = [row.height for row in rows]
        for span, a, b in self.clipped(rows):
            need = span.piece.content_height + 2 * self.paper.pad_y
            have = sum(heights[a:b + 1])
            if need > have:
                heights[b] += need - have
        return heights

    def height(self, rows: list[PaperRow]) -> float:
        return sum(self.heights(rows))

    def page(self, rows: list[PaperRow]) -> Page:
        heights = self.heights(rows)
        if rows and rows[-1].kind == SIGNATURE:  # more room to sign and stamp when the page has it
            spare = self.avail - sum(heights)
            heights[-1] += max(0.0, min(spare, self.paper.signature_room - heights[-1]))
        return Page(rows, heights, self.clipped(rows))


def split_row(row: PaperRow, room: float, paper: Paper) -> list[PaperRow] | None:
    """The row as two rows, the first at most `room` tall, each tall cell's lines divided between
    them. None when not even one line of every tall cell fits."""
    avail = room - 2 * paper.pad_y
    firsts, rests = [], []
    if all(piece.content_height <= avail for piece in row.pieces):
        return None  # nothing to divide: the row is too tall only for the merged cells beside it
    for piece in row.pieces:
        if piece.content_height <= avail:
            firsts.append(piece)
            rests.append(piece.with_lines(()))
            continue
        count = int((avail + 1e-6) // piece.leading)
        if count < 1:
            return None
        firsts.append(piece.with_lines(piece.lines[:count]))
        rests.append(piece.with_lines(piece.lines[count:]))

    def part(pieces: list[Piece]) -> PaperRow:
        height = max([p.content_height + 2 * paper.pad_y for p in pieces] + [paper.min_row])
        return replace(row, pieces=pieces, height=height, broken=True)

    return [part(firsts), part(rests)]
