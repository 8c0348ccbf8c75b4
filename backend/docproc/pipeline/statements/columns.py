"""Finding the transaction table's columns: from a header row, or from aligned dates and amounts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from docproc.pipeline.read.document import Word
from docproc.pipeline.statements.amounts import parse_amount
from docproc.pipeline.statements.cells import Cell, Line
from docproc.pipeline.statements.conventions import MONEY_ROLES, header_role
from docproc.pipeline.statements.dates import parse_date
from docproc.pipeline.statements.misreads import is_ocr, ocr_amount

MAX_LABEL_WORDS = 4
UNKNOWN = "unknown"  # a header label the conventions do not know
EDGE_TOLERANCE = 2.5  # points between right edges of one right-aligned column
BOX_SLACK = 1.5  # points a word's box may overrun the column it stands in


@dataclass(frozen=True, slots=True)
class Column:
    role: str
    x0: float
    x1: float

    def distance(self, x0: float, x1: float) -> float:
        """0 when overlapping, else the gap; overlap makes it negative (more is closer)."""
        overlap = min(self.x1, x1) - max(self.x0, x0)
        return -overlap if overlap > 0 else -overlap + 0.001


@dataclass(frozen=True, slots=True)
class Columns:
    columns: tuple[Column, ...]
    from_header: bool

    def role_of(self, cell: Cell, roles: tuple[str, ...]) -> str | None:
        candidates = [c for c in self.columns if c.role in roles]
        if not candidates:
            return None
        best = min(
            candidates,
            key=lambda c: (c.distance(cell.x0, cell.x1), abs((c.x0 + c.x1) / 2 - cell.mid_x)),
        )
        return best.role

    @property
    def roles(self) -> set[str]:
        return {c.role for c in self.columns}

    @property
    def signature(self) -> tuple[object, ...]:
        return tuple((c.role, round(c.x0), round(c.x1)) for c in self.columns)


def _cell_labels(cell: Cell) -> list[Column] | None:
    """The labels a header cell holds (longest run of words first); words that name no column
    become one 'unknown' label per run; None when no word names a column."""
    role = header_role(cell.text)
    if role:
        return [Column(role, cell.x0, cell.x1)]
    found: list[Column] = []
    stray: list[Word] = []
    words, i = cell.words, 0
    while i < len(words):
        for size in range(min(MAX_LABEL_WORDS, len(words) - i), 0, -1):
            run = words[i : i + size]
            role = header_role(" ".join(w.text for w in run))
            if role:
                if stray:
                    found.append(Column(UNKNOWN, stray[0].x0, stray[-1].x1))
                    stray = []
                found.append(Column(role, run[0].x0, run[-1].x1))
                i += size
                break
        else:
            stray.append(words[i])
            i += 1
    if not found:
        return None
    if stray:
        found.append(Column(UNKNOWN, stray[0].x0, stray[-1].x1))
    return found


def _label_matches(cells: list[Cell]) -> list[Column]:
    """Header labels in a line's cells; a few unknown labels become 'unknown' columns, too many
    and the line is not a header."""
    found: list[Column] = []
    unknown = 0
    if any(parse_date(w.text) or parse_amount(w.text) for c in cells for w in c.words):
        return []  # a value, not a label: a row of data
    for cell in cells:
        labels = _cell_labels(cell)
        if labels is None:
            if parse_amount(cell.text) or parse_date(cell.text):
                return []  # a value, not a label: a row of data
            unknown += 1
            found.append(Column(UNKNOWN, cell.x0, cell.x1))
        else:
            found += labels
    return found if unknown * 3 <= len(found) else []


def _stack(upper: Line, lower: Line) -> list[Cell] | None:
    """Two-line header labels joined where the lower words sit under an upper label."""
    merged: list[Cell] = []
    used: set[int] = set()
    for cell in upper.cells:
        below = [i for i, c in enumerate(lower.cells) if min(c.x1, cell.x1) > max(c.x0, cell.x0)]
        if len(below) > 1:
            return None  # a title over several columns, not the first line of a label
        used.update(below)
        merged.append(Cell(cell.words + [w for i in below for w in lower.cells[i].words]))
    merged += [c for i, c in enumerate(lower.cells) if i not in used]
    return sorted(merged, key=lambda c: c.x0)


def header_columns(lines: list[Line], index: int) -> tuple[Columns, int] | None:
    """Columns named by the header at `lines[index]`, and how many lines it takes."""
    line = lines[index]
    options = [(line.cells, 1)]
    if index + 1 < len(lines) and lines[index + 1].top - line.bottom < line.height:
        stacked = _stack(line, lines[index + 1])
        if stacked is not None:
            options.append((stacked, 2))
    best: tuple[Columns, int] | None = None
    best_score = (0, -99, 0)
    for cells, used in options:
        found = _label_matches(cells)
        roles = {c.role for c in found}
        unknown = sum(1 for c in found if c.role == UNKNOWN)
        score = (len(roles - {UNKNOWN}), -unknown, used)  # two-line labels win a tie
        texts = "description" in roles or UNKNOWN in roles
        if "date" in roles and texts and roles & set(MONEY_ROLES) and score > best_score:
            best, best_score = (Columns(tuple(found), True), used), score
    return best


def money_cells(line: Line) -> list[Cell]:
    """The line's cells that read as money (an OCR'd cell also with its misreads undone)."""
    return [c for c in line.cells if _one_amount(c)]


def _reference_column(rows: list[Line]) -> Column | None:
    """Digit-only cells right after the date, left-aligned on one edge: cheque/reference numbers."""
    cells = [
        ln.cells[1]
        for ln in rows
        if len(ln.cells) > 2 and ln.cells[1].text.isdigit() and len(ln.cells[1].text) >= 3
    ]
    if len(cells) < max(2, len(rows) // 4):
        return None
    x0 = min(c.x0 for c in cells)
    aligned = [c for c in cells if abs(c.x0 - x0) < EDGE_TOLERANCE]
    if len(aligned) < len(cells) * 0.8:
        return None
    return Column("reference", x0, max(c.x1 for c in aligned))


def starts_with_date(line: Line) -> bool:
    return bool(line.cells) and parse_date(line.cells[0].text) is not None


def _is_period(line: Line) -> bool:
    """'05.09.2019 through 07.10.2019', '01 Jan 24 to 29 Jan 24': a date range, not a row."""
    words = [w.text for w in line.cells[1].words[:5]]
    for start in range(min(2, len(words))):
        for size in (3, 2, 1):
            parts = parse_date(" ".join(words[start : start + size]))
            if parts is not None and parts.year is not None and start + size <= len(words):
                return True
    return False


def transaction_blocks(lines: list[Line], reach: int = 3) -> list[list[Line]]:
    """Lines that start with a date and, on that line or within a few after it (before the next
    date), show money: the rows of a table without a header."""
    blocks: list[list[Line]] = []
    for index, line in enumerate(lines):
        if not starts_with_date(line) or len(line.cells) < 2 or _is_period(line):
            continue
        block = [line]
        for following in lines[index + 1 : index + 1 + reach]:
            if starts_with_date(following) or money_cells(block[-1]):
                break
            block.append(following)
        if any(money_cells(ln) for ln in block):
            blocks.append(block)
    return blocks


def inferred_columns(lines: list[Line]) -> Columns | None:
    """Without a header: dates from leading cells, money columns from aligned right edges."""
    blocks = transaction_blocks(lines)
    rows = [block[0] for block in blocks]
    if len(rows) < 2:
        return None
    edges: list[list[float]] = []
    for cell in (c for block in blocks for ln in block for c in money_cells(ln)):
        for group in edges:
            if abs(group[0] - cell.x1) < 6:
                group.append(cell.x1)
                break
        else:
            edges.append([cell.x1])
    groups = sorted((g for g in edges if len(g) >= max(2, len(rows) // 5)), key=lambda g: g[0])
    if not groups:
        return None
    roles = {1: ("amount",), 2: ("amount", "balance"), 3: ("debit", "credit", "balance")}.get(
        len(groups), ("debit", "credit", "balance")
    )
    date_x1 = max(ln.cells[0].x1 for ln in rows)
    columns = [Column("date", min(ln.cells[0].x0 for ln in rows), date_x1)]
    reference = _reference_column(rows)
    if reference is not None:
        columns.append(reference)
        date_x1 = reference.x1
    desc_end = min(g[0] for g in groups) - 60
    columns.append(Column("description", date_x1 + 4, max(desc_end, date_x1 + 10)))
    for role, group in zip(roles, groups[-len(roles) :], strict=False):
        columns.append(Column(role, group[0] - 50, group[0]))
    return Columns(tuple(columns), False)


def right_edge_groups(cells: list[Cell]) -> list[list[Cell]]:
    groups: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: c.x1):
        if groups and cell.x1 - groups[-1][-1].x1 < EDGE_TOLERANCE:
            groups[-1].append(cell)
        else:
            groups.append([cell])
    return groups


def refine_money_columns(columns: Columns, lines: list[Line]) -> Columns:
    """Money columns placed on their numbers' aligned right edges, matched to the header's money
    labels in order. Labels may sit left, centred or right of their numbers; the numbers don't."""
    if not columns.from_header:
        return columns
    cells = [c for line in lines for c in money_cells(line)]
    labels = sorted((c for c in columns.columns if c.role in MONEY_ROLES), key=lambda c: c.x0)
    groups = right_edge_groups(cells)
    if len(groups) != len(labels):  # a column with one number is a column; stray numbers not
        groups = [g for g in groups if len(g) >= max(2, len(cells) // 50)]
    as_money: list[Column] = []
    if groups and len(groups) != len(labels):
        # an unknown label over a column of numbers: money whose sign the balance settles
        as_money = [c for c in columns.columns if c.role == UNKNOWN and c.x0 > _text_end(columns)]
        labels = sorted(
            labels + [Column("amount", c.x0, c.x1) for c in as_money], key=lambda c: c.x0
        )
    if not groups or len(groups) != len(labels) or len({c.role for c in labels}) != len(labels):
        return _references_named(columns, lines)
    placed = [
        Column(label.role, min(c.x0 for c in group), max(c.x1 for c in group))
        for label, group in zip(labels, groups, strict=True)
    ]
    kept = [c for c in columns.columns if c.role not in MONEY_ROLES and c not in as_money]
    return _references_named(Columns(tuple(sorted(kept + placed, key=lambda c: c.x0)), True), lines)


def _references_named(columns: Columns, lines: list[Line]) -> Columns:
    """Unknown labels named from what stands under them: money right of the text columns is an
    amount the balance will sign; bare numbers (no decimals) are references."""
    out = []
    text_end = _text_end(columns)
    for column in columns.columns:
        if column.role == UNKNOWN:
            below = [
                c.text
                for line in lines
                for c in line.cells
                if column.x0 - 5 <= c.mid_x <= column.x1 + 5
            ]
            money = [t for t in below if parse_amount(t)]
            numbers = [t for t in below if t.lstrip("#").isdigit()]
            if money and column.x0 > text_end and "amount" not in columns.roles:
                column = Column("amount", column.x0, column.x1)
            elif len(numbers) >= 2 and len(numbers) >= 0.8 * len(below):
                column = Column("reference", column.x0, column.x1)
        out.append(column)
    return Columns(tuple(out), columns.from_header)


def _text_end(columns: Columns) -> float:
    texts = [c.x1 for c in columns.columns if c.role in ("date", "description", "value_date")]
    return max(texts, default=0.0)


def _one_amount(cell: Cell) -> bool:
    """Whether the cell reads as one amount ('6 -615,97' is 6.615,97 with its point misread,
    not a stray '6' beside -615,97: OCR splits a number where a separator was garbled)."""
    return parse_amount(cell.text) is not None or (is_ocr(cell) and bool(ocr_amount(cell.text)))


def _split_amount_pairs(cells: list[Cell]) -> list[Cell]:
    """'975.76 29,537.06 CR' printed too close together: two amounts, two cells."""
    out: list[Cell] = []
    for cell in cells:
        words = cell.words
        if 2 <= len(words) <= 6 and not _one_amount(cell) and cell.text[-1:].isalnum():
            for i in range(1, len(words)):
                left, right = Cell(words[:i]), Cell(words[i:])
                if parse_amount(left.text) and parse_amount(right.text):
                    out += [left, right]
                    break
            else:
                out.append(cell)
        else:
            out.append(cell)
    return out


def _split_trailing_amounts(cells: list[Cell], edges: list[float]) -> list[Cell]:
    """'Lastschrift 1,975.30' ending on a money column's right edge: text, then an amount."""
    out: list[Cell] = []
    for cell in cells:
        words = cell.words
        aligned = any(abs(cell.x1 - edge) < EDGE_TOLERANCE for edge in edges)
        if aligned and len(words) >= 2 and not _one_amount(cell):
            for size in (s for s in (1, 2) if s < len(words)):  # never an empty head cell
                head, tail = Cell(words[:-size]), Cell(words[-size:])
                if len(words) > size and parse_amount(tail.text):
                    out += [head, tail]
                    break
            else:
                out.append(cell)
        else:
            out.append(cell)
    return out


def split_at_columns(cells: list[Cell], columns: Columns) -> list[Cell]:
    """Cells cut where a word starts a text column of the header (a date printed right up against
    a description lands in one cell otherwise)."""
    if not columns.from_header:
        return _split_amount_pairs(cells)
    starts = [c.x0 for c in columns.columns if c.role in ("date", "value_date", "reference")]
    edges = [c.x1 for c in columns.columns if c.role in MONEY_ROLES]
    out: list[Cell] = []
    for cell in _split_trailing_amounts(_split_amount_pairs(cells), edges):
        words, piece = cell.words, [cell.words[0]]
        for prev, word in itertools.pairwise(words):
            if any(_cut_at(prev, word, start) for start in starts):
                out.append(Cell(piece))
                piece = []
            piece.append(word)
        out.append(Cell(piece))
    return out


def _cut_at(prev: Word, word: Word, start: float) -> bool:
    """Whether a text column starting at `start` falls between two words: `word` starts there
    and `prev` ends before it (or overlaps it by a hair: OCR boxes of specks run long)."""
    return prev.x0 < start - BOX_SLACK and prev.x1 - BOX_SLACK < start <= word.x0 + BOX_SLACK
