"""Visual lines of a page split into cells: runs of words without a column-sized gap."""

from __future__ import annotations

from dataclasses import dataclass, field

from docproc.pipeline.read.document import Page, Word
from docproc.pipeline.read.lines import group_lines
from docproc.pipeline.statements.dates import parse_date

# A new cell starts at a gap wider than both of these: a share of the text height, and a
# multiple of the mean character width (monospaced fonts print a whole character per space).
CELL_GAP_HEIGHT = 0.55
CELL_GAP_CHARS = 1.6
MAX_DATE_TEXT = 19  # characters of the two halves; parse_date reads at most 20 with the space
DATE_GAP_HEIGHTS = 3.0  # at most this gap (in text heights) between two halves of one date


@dataclass(slots=True)
class Cell:
    words: list[Word]
    text: str = field(init=False)
    x0: float = field(init=False)
    x1: float = field(init=False)

    def __post_init__(self) -> None:
        self.text = " ".join(w.text for w in self.words)
        self.x0 = self.words[0].x0
        self.x1 = max(w.x1 for w in self.words)

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Line:
    page: int
    cells: list[Cell]
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return "  ".join(c.text for c in self.cells)

    @property
    def words(self) -> list[Word]:
        return [w for c in self.cells for w in c.words]


def split_cells(words: list[Word]) -> list[Cell]:
    cells: list[list[Word]] = []
    for word in words:
        if cells:
            last = cells[-1][-1]
            height = min(last.bottom - last.top, word.bottom - word.top) or 1.0
            chars = len(last.text) + len(word.text)
            char_width = (last.x1 - last.x0 + word.x1 - word.x0) / chars
            gap = word.x0 - last.x1
            if gap <= CELL_GAP_HEIGHT * height or gap <= CELL_GAP_CHARS * char_width:
                cells[-1].append(word)
                continue
        cells.append([word])
    return [Cell(c) for c in cells]


def _date_apart(cells: list[Cell], margin: float) -> list[Cell]:
    """A line's first cell, at the page's left margin, split after a leading date ('01/05 POS
    PURCHASE' printed tight). Lines indented to the description are left whole."""
    if not cells or len(cells[0].words) < 2 or parse_date(cells[0].text):
        return cells
    if cells[0].x0 > margin + 2:
        return cells
    words = cells[0].words
    for size in (3, 2, 1):
        if len(words) > size and parse_date(" ".join(w.text for w in words[:size])):
            return [Cell(words[:size]), Cell(words[size:]), *cells[1:]]
    return cells


def _date_together(cells: list[Cell]) -> list[Cell]:
    """Neighbouring cells that read as a date only together, put back in one cell: a day
    whose point OCR lost stands a cell gap from its month in monospaced print ('25 | Aug 2024'
    for '25. Aug 2024')."""
    out: list[Cell] = []
    for cell in cells:
        if out and _halves_of_date(out[-1], cell):
            out[-1] = Cell(out[-1].words + cell.words)
        else:
            out.append(cell)
    return out


def _halves_of_date(left: Cell, right: Cell) -> bool:
    if len(left.text) + len(right.text) > MAX_DATE_TEXT or not any(
        ch.isdigit() for ch in left.text + right.text
    ):
        return False
    height = max(w.bottom - w.top for w in (*left.words, *right.words))
    if right.x0 - left.x1 > DATE_GAP_HEIGHTS * height:
        return False
    if parse_date(left.text) or parse_date(right.text):
        return False
    return parse_date(f"{left.text} {right.text}") is not None


def page_lines(page: Page) -> list[Line]:
    """The page's lines, top to bottom, each split into cells."""
    out = []
    grouped = group_lines(page.words)
    margin = min((line[0].x0 for line in grouped), default=0.0)
    for words in grouped:
        out.append(
            Line(
                page.number,
                _date_apart(_date_together(split_cells(words)), margin),
                min(w.top for w in words),
                max(w.bottom for w in words),
            )
        )
    return out
