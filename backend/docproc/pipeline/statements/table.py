"""Transaction rows from table lines: cells to columns, wrapped lines joined, the rest skipped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from docproc.pipeline.read.document import Word
from docproc.pipeline.statements.amounts import Amount, currency_mark, parse_amount
from docproc.pipeline.statements.cells import Cell, Line
from docproc.pipeline.statements.columns import BOX_SLACK, UNKNOWN, Columns, split_at_columns
from docproc.pipeline.statements.conventions import (
    MONEY_ROLES,
    conventions,
    fold_accents,
    month_index,
)
from docproc.pipeline.statements.dates import DateParts, parse_date
from docproc.pipeline.statements.misreads import is_ocr, ocr_amount, ocr_date

TEXT_ROLES = ("date", "value_date", "description", "reference", UNKNOWN)
DESCRIPTIVE = ("description", "reference", UNKNOWN)  # where a wrapped description line may sit
CONTINUATION_GAP = 1.3  # line heights between a row and its wrapped description line
MAX_DATE_CHARS = 14  # longer text in the date column is a note, not a date OCR garbled
ROW_REACH = 8  # lines after a row OCR garbled searched for the next row (past its wrapped text)
ROW_GAP = 2.5  # line heights between a table's lines; a wider gap is the table's end


@dataclass(slots=True)
class RawRow:
    """One transaction as printed, before dates and signs are settled."""

    page: int
    date: DateParts | None
    description: list[str] = field(default_factory=list)
    money: dict[str, Amount] = field(default_factory=dict)
    words: list[Word] = field(default_factory=list)
    bottom: float = 0.0
    line_height: float = 10.0
    top: float = 0.0
    section: int = 0  # -1 under a "withdrawals" heading, +1 under "deposits", 0 otherwise
    text_x0: float = 0.0  # where the row's description starts; wrapped lines start there too
    doubtful: bool = False  # a date or money cell needed a second OCR reading, or had none

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.description).split())


@dataclass(slots=True)
class BalanceLine:
    kind: str  # "opening" | "closing" | "continued"
    value: Decimal
    page: int


@dataclass(slots=True, frozen=True)
class UnreadRow:
    """A table row whose money OCR could not read: not a transaction, but never dropped unsaid."""

    page: int
    text: str


@dataclass(slots=True)
class Table:
    rows: list[RawRow]
    marks: list[BalanceLine]
    header_lines: set[int]  # id() of header lines, so header fields never read them
    mark_lines: set[int]  # id() of opening/closing/forward rows inside the table
    columns: Columns | None
    unread: list[UnreadRow] = field(default_factory=list)


@cache
def _kind_patterns() -> list[tuple[str, re.Pattern[str]]]:
    lines = conventions().lines
    return [
        (
            kind,
            re.compile(
                "^(?:"
                + "|".join(re.escape(fold_accents(w)) for w in getattr(lines, kind))
                + ")(?:$|[ :,])"
            ),
        )
        for kind in ("continued", "opening", "closing", "skip")
    ]


@lru_cache(maxsize=8192)
def line_kind(text: str) -> str | None:
    """'opening', 'closing', 'continued' or 'skip' for rows that are not transactions."""
    lowered = fold_accents(text.lower().strip(" :*"))  # OCR drops accents: 'Ubertrag'
    for kind, pattern in _kind_patterns():
        if pattern.match(lowered):
            return kind
    return None


@dataclass(slots=True)
class SplitLine:
    date: DateParts | None
    texts: list[str]
    money: dict[str, Amount]
    doubtful: bool  # a cell was read a second time (OCR look-alikes) or not at all
    unread_date: bool = False  # an OCR'd cell in the date column reads as no date
    unread_money: bool = False  # an OCR'd cell in a money column reads as no amount


def _split_line(line: Line, columns: Columns) -> SplitLine:
    out = SplitLine(None, [], {}, False)
    for cell in split_at_columns(line.cells, columns):
        ocr = is_ocr(cell)
        amount = parse_amount(cell.text)
        if amount is not None and _date_in_date_column(cell, columns):
            amount = None
        if amount is None and ocr and _in_money_column(cell, columns):
            amount = ocr_amount(cell.text)
            garbled = amount is None and any(ch.isdigit() for ch in cell.text)
            out.doubtful = out.doubtful or amount is not None or garbled
            if garbled:
                out.unread_money = True
                continue  # a money cell OCR garbled is not description text
        if amount is None and _lone_mark(cell.text) and _in_money_column(cell, columns):
            continue  # 'Rs' of 'Rs -47956.04' (its point read as a dash): no description
        role = columns.role_of(cell, MONEY_ROLES) if amount is not None else None
        if amount is not None and role is not None and role not in out.money:
            out.money[role] = amount
            continue
        role = columns.role_of(cell, TEXT_ROLES) or "description"
        if role != "date" and ocr and out.date is None and _starts_in_date_column(cell, columns):
            parts, rest = _leading_date(cell)  # '08.. Okt 2025 Card payment': run together
            if parts is not None:
                out.date, out.doubtful = parts, True
                out.texts += [rest] if rest else []
                continue
        parts = _date_cell(cell, out) if role in ("date", "value_date") else None
        if parts is None and role in ("date", "value_date"):
            parts, rest = _leading_date(cell)
            if parts is not None and rest:
                out.texts.append(rest)
        if parts is not None:
            if role == "date" and out.date is None:
                out.date = parts
            continue
        if role in ("date", "value_date") and ocr and _garbled_date(cell.text):
            out.doubtful = True  # a date OCR garbled is not description
            out.unread_date = out.unread_date or role == "date"
            continue
        if role != "reference":
            out.texts.append(cell.text)
    return out


def _date_cell(cell: Cell, out: SplitLine) -> DateParts | None:
    parts = parse_date(cell.text)
    if parts is None and is_ocr(cell):
        parts = ocr_date(cell.text)
        out.doubtful = out.doubtful or parts is not None
    return parts


def _garbled_date(text: str) -> bool:
    """Whether a date-column cell that reads as no date is a date OCR garbled ('L5:.:-OkE', a
    month whose day was lost) rather than a label such as 'Totals' or a note."""
    if len(text) > MAX_DATE_CHARS or line_kind(text) is not None:
        return False
    return any(ch.isdigit() for ch in text) or any(
        w.lower().strip(".,") in month_index() for w in text.split()
    )


def _starts_in_date_column(cell: Cell, columns: Columns) -> bool:
    dates = [c for c in columns.columns if c.role == "date"]
    return any(c.x0 - BOX_SLACK <= cell.x0 < c.x1 for c in dates) and len(cell.words) > 1


def _date_in_date_column(cell: Cell, columns: Columns) -> bool:
    """'04.11' under the date heading is a date, though it reads as money too."""
    roles = (*TEXT_ROLES, *MONEY_ROLES)
    return columns.role_of(cell, roles) in ("date", "value_date") and bool(parse_date(cell.text))


def _lone_mark(text: str) -> bool:
    """A currency mark standing apart from its amount ('$', 'Rs.', or 'Rs' whose point OCR
    read as part of the number)."""
    return currency_mark(text) is not None or currency_mark(text + ".") is not None


def _in_money_column(cell: Cell, columns: Columns) -> bool:
    return columns.role_of(cell, (*TEXT_ROLES, *MONEY_ROLES)) in MONEY_ROLES


def _leading_date(cell: Cell) -> tuple[DateParts | None, str]:
    """A date printed so close to the description that both landed in one cell."""
    words = cell.words
    read = ocr_date if is_ocr(cell) else parse_date
    for size in (3, 2, 1):
        if len(words) > size:
            parts = read(" ".join(w.text for w in words[:size]))
            if parts is not None:
                return parts, " ".join(w.text for w in words[size:])
    return None, ""


class RowBuilder:
    def __init__(self) -> None:
        self.rows: list[RawRow] = []
        self.marks: list[BalanceLine] = []
        self.unread: list[UnreadRow] = []
        self.mark_lines: set[int] = set()
        self.section = 0
        self.current: RawRow | None = None
        self.last_date: DateParts | None = None

    def close(self) -> None:
        if self.current is not None and self.current.money:
            self.rows.append(self.current)
        self.current = None

    def feed(self, line: Line, columns: Columns, following: Sequence[Line] = ()) -> bool:
        """Take one line; False when it shows the table has ended on this page. `following`
        (the next lines) tells a row whose date OCR garbled from the end of the table."""
        split = _split_line(line, columns)
        date, texts, money = split.date, split.texts, split.money
        text = " ".join(texts)
        kind = line_kind(text) if text else None
        if (kind is not None and date is None) or (kind in ("opening", "closing") and money):
            self.close()
            self.mark_lines.add(id(line))
            role = "balance" if "balance" in money else next(iter(money), None)
            if role is not None and kind != "skip":
                value = signed(money[role], role)  # a balance in the debit column is overdrawn
                self.marks.append(BalanceLine(kind or "continued", value, line.page))
            return True
        current = self.current
        near = (
            current is not None
            and current.page == line.page
            and (line.top - current.bottom < CONTINUATION_GAP * current.line_height)
        )
        if date is None and not money and (split.unread_date or split.unread_money):
            if not _rows_follow(line, following, columns):
                return False
            if split.unread_money:
                # a row whose money OCR garbled: reported as unread, and the table goes on
                self.close()
                self.unread.append(UnreadRow(line.page, line.text))
            else:
                self._undated_row(line, columns, split)
            return True
        if date is None and not money:
            if not _in_description_band(line, columns):
                # a footer, a note or another table: the transactions are over (a speck of
                # scanner dust read as a letter or two is not)
                return _speck(line)
            indented = current is not None and line.cells[0].x0 >= current.text_x0 - line.height
            if near and current is not None and texts and indented:
                current.description += texts
                current.words += line.words
                current.bottom = line.bottom
                current.doubtful = current.doubtful or split.doubtful
            return True
        if date is None and near and current is not None and not current.money:
            current.money, current.bottom = money, line.bottom
            current.description += texts
            current.words += line.words
            current.doubtful = current.doubtful or split.doubtful
            return True
        if date is None and self.last_date is None:
            return True
        self._start_row(line, columns, split)
        return True

    def _undated_row(self, line: Line, columns: Columns, split: SplitLine) -> None:
        """A row whose date OCR garbled, followed by more rows: it starts a transaction of its
        own, dated like the row before and marked doubtful, rather than ending the table."""
        if self.last_date is not None:
            self._start_row(line, columns, split)

    def _start_row(self, line: Line, columns: Columns, split: SplitLine) -> None:
        self.close()
        row_date = split.date or self.last_date
        self.last_date = row_date
        self.current = RawRow(
            line.page,
            row_date,
            split.texts,
            split.money,
            list(line.words),
            line.bottom,
            line.height,
            line.top,
            self.section,
            _text_start(line, columns),
            split.doubtful,
        )


def _speck(line: Line) -> bool:
    """An OCR'd line of one or two letters and nothing else: dust or a stray mark, read as 'I'."""
    text = "".join(w.text for w in line.words)
    alnum = sum(ch.isalnum() for ch in text)
    return is_ocr(line) and alnum <= 2 and not any(ch.isdigit() for ch in text)


def _rows_follow(line: Line, following: Sequence[Line], columns: Columns) -> bool:
    """Whether the next line after any wrapped description lines is a row (a date or money in
    its columns, not a total or a balance line) printed close below, as table rows are."""
    above = line
    for below in following[:ROW_REACH]:
        if below.page != above.page or below.top - above.bottom > ROW_GAP * above.height:
            return False
        split = _split_line(below, columns)
        if split.date or split.money:
            return line_kind(" ".join(split.texts)) is None
        if not _in_description_band(below, columns):
            return False
        above = below
    return False


def _text_start(line: Line, columns: Columns) -> float:
    """The left edge of the first descriptive cell of a row (0 when it has none)."""
    for cell in line.cells:
        if columns.role_of(cell, (*TEXT_ROLES, *MONEY_ROLES)) in DESCRIPTIVE:
            return cell.x0
    return 0.0


def _in_description_band(line: Line, columns: Columns) -> bool:
    """Whether a text-only line sits in the description column (a wrapped description does;
    a page footer spanning the money columns does not)."""
    money = [c for c in columns.columns if c.role in MONEY_ROLES]
    for cell in line.cells:
        if columns.role_of(cell, (*TEXT_ROLES, *MONEY_ROLES)) not in DESCRIPTIVE:
            return False
        if any(min(cell.x1, m.x1) > max(cell.x0, m.x0) for m in money):
            return False
    return True


def signed(amount: Amount, role: str) -> Decimal:
    """A money cell as a signed amount from the holder's side, by its column."""
    if role == "debit":
        return -abs(amount.value) if not amount.signed or amount.value > 0 else amount.value
    if role == "credit":
        return abs(amount.value) if not amount.signed else amount.value
    return amount.value
