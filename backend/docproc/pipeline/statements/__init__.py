"""Bank statements: from positioned words to transactions, header fields and balances.

`extract_statement` reads the table (`table.py`, `columns.py`), settles dates (`dates.py`) and
signs (`signs.py`), and reads the header fields (`header_fields.py`). Conventions are data
(`conventions.toml`). Nothing is invented: a value the document does not show stays `None`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from docproc.models import BankStatement, StatementPeriod, Transaction
from docproc.pipeline.read.document import Document
from docproc.pipeline.statements import header_fields as fields
from docproc.pipeline.statements.amounts import Amount, parse_amount
from docproc.pipeline.statements.cells import Line, page_lines
from docproc.pipeline.statements.dates import (
    Order,
    newest_first,
    order_by_sequence,
    order_evidence,
    to_date,
    year_for,
)
from docproc.pipeline.statements.sections import read_table
from docproc.pipeline.statements.signs import settle_signs
from docproc.pipeline.statements.table import RawRow, Table, UnreadRow


def extract_statement(document: Document) -> BankStatement:
    """The statement's header fields and every transaction, each with its page number."""
    pages = [page_lines(page) for page in document.pages]
    table = read_table(pages)
    all_lines = [line for lines in pages for line in lines]
    first_page = pages[0] if pages else []
    head = _head_lines(first_page, table)
    order = _date_order(table, head, all_lines)
    period = fields.statement_period(head or first_page, order)
    if period.start is None:
        year = _any_year(all_lines, order)
        period = fields.period_from_balance_lines(head or first_page, order, year)
    opening, closing = _balances(table, all_lines)
    amounts = [a for row in table.rows for a in row.money.values()] + _printed_amounts(pages)
    card = fields.is_card_statement(head or first_page)
    unread = list(table.unread)
    transactions = _transactions(table.rows, order, period, opening, all_lines, unread)
    if card and all(t.balance is None for t in transactions):
        # a card prints purchases as positive charges; from the holder's side they are money out
        for tx in transactions:
            tx.amount = -tx.amount
    extra: dict[str, object] = {"account_type": "credit_card"} if card else {}
    if unread:
        extra["unread_rows"] = [{"page": u.page, "text": u.text} for u in unread]
    return BankStatement(
        bank_name=fields.bank_name(head),
        account_holder=fields.account_holder(head),
        account_number=fields.account_number(head),
        currency=fields.currency(head, amounts),
        period=period,
        opening_balance=opening,
        closing_balance=closing,
        transactions=transactions,
        **extra,
    )


def _printed_amounts(pages: list[list[Line]]) -> list[Amount]:
    """Amounts with a currency mark on the first and last page (summary boxes carry it)."""
    lines = pages[0] + pages[-1] if pages else []
    marked = (
        c.text for line in lines for c in line.cells if not (c.text[:1] + c.text[-1:]).isdigit()
    )
    return [a for text in marked if (a := parse_amount(text)) is not None and a.currency]


def _head_lines(first_page: list[Line], table: Table) -> list[Line]:
    """Page-1 lines above the transaction table (all of page 1 when there is no header)."""
    first_row = (
        next((r.top for r in table.rows if r.page == first_page[0].page), None)
        if (first_page)
        else None
    )
    out = []
    for line in first_page:
        if id(line) in table.header_lines or (first_row is not None and line.top >= first_row):
            break
        out.append(line)
    return out


def _date_order(table: Table, head: list[Line], lines: list[Line]) -> Order:
    """Day-first or month-first: the rows' dates, else the period, else sequence, else day-first."""
    dates = [row.date for row in table.rows if row.date is not None]
    printed = [d for line in head for d in fields.line_dates(line)]
    return (
        order_evidence(dates)
        or order_evidence(printed)
        or fields.period_order(head, dates)
        or order_by_sequence(dates)
        or "dmy"
    )


def _balances(table: Table, lines: list[Line]) -> tuple[Decimal | None, Decimal | None]:
    """Summary lines first; else the table's first opening and last closing row."""
    summary = fields.summary_balances(lines, table.header_lines | table.mark_lines)
    opening = summary[0].value if summary[0] else None
    closing = summary[1].value if summary[1] else None
    marks = table.marks
    first = next((m for m in marks if m.kind == "opening"), None)
    last = next((m for m in reversed(marks) if m.kind in ("closing", "continued")), None)
    if opening is None and first is not None:
        opening = first.value
    if closing is None and last is not None and last.kind == "closing":
        closing = last.value
    return opening, closing


def _transactions(
    rows: list[RawRow],
    order: Order,
    period: StatementPeriod,
    opening: Decimal | None,
    lines: list[Line],
    unread: list[UnreadRow],
) -> list[Transaction]:
    """The rows that move money, dated and signed; a row that moves money but whose date cannot
    be read or placed goes to `unread` rather than vanishing."""
    dates = [row.date for row in rows if row.date is not None]
    settled = settle_signs(rows, opening, newest_first(dates, order))
    fallback_year = _any_year(lines, order)
    out: list[Transaction] = []
    previous: dt.date | None = None
    for row, money in zip(rows, settled, strict=True):
        if money is None:
            continue  # a balance-only or summary row: it moves no money
        date = None if row.date is None else _row_date(row, order, period, fallback_year, previous)
        if date is None:
            unread.append(UnreadRow(row.page, row.text))
            continue
        previous = date
        confidences = [w.confidence for w in row.words if w.confidence is not None]
        if row.doubtful and confidences:
            confidences = [min(confidences)]  # as sure as its least sure word, no more
        out.append(
            Transaction(
                date=date,
                description=row.text,
                amount=money.amount,
                balance=money.balance,
                page=row.page,
                confidence=sum(confidences) / len(confidences) if confidences else None,
            )
        )
    return out


def _row_date(
    row: RawRow,
    order: Order,
    period: StatementPeriod,
    fallback: int | None,
    previous: dt.date | None,
) -> dt.date | None:
    assert row.date is not None
    parts = row.date
    if parts.year is not None:
        return to_date(parts, order)
    resolved = parts.resolve(order)
    if resolved is None:
        return None
    day, month, _ = resolved
    year = year_for(month, day, period.start, period.end)
    if year is None:
        year = previous.year if previous else fallback
        if previous is not None and month < previous.month:
            year = previous.year + 1
    return to_date(parts, order, year)


def _any_year(lines: list[Line], order: Order) -> int | None:
    for line in lines[:60]:
        for parts in fields.line_dates(line):
            if parts.year is not None:
                return parts.year
    return None
