"""The running-balance chain as links: the rows between two printed balances.

A statement prints anchors — the opening balance, the running balance on some rows, the closing
balance — and every link from one anchor to the next must add up: start + direction x the
amounts of its rows = end. Rows are taken in the order the balance runs (a statement printed
newest first runs from the bottom up); `direction` is -1 for credit cards, whose balance is what
the holder owes. The reconciliation checks the links; the OCR suspects explain broken ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from docproc.models import BankStatement, Transaction

OPENING = "opening_balance"
CLOSING = "closing_balance"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A printed balance: on a row (`index`), or the statement's opening or closing balance."""

    value: Decimal
    field: str  # "balance" on a row, OPENING or CLOSING
    index: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    start: Anchor
    end: Anchor
    rows: tuple[tuple[int, Transaction], ...]
    direction: int

    @property
    def moved(self) -> Decimal:
        return self.direction * sum((tx.amount for _, tx in self.rows), Decimal(0))

    @property
    def expected(self) -> Decimal:
        return self.start.value + self.moved

    @property
    def difference(self) -> Decimal:
        return self.end.value - self.expected


def direction(statement: BankStatement) -> int:
    """+1 for accounts; -1 for credit cards, whose balance is what the holder owes."""
    return -1 if getattr(statement, "account_type", None) == "credit_card" else 1


def chain_order(statement: BankStatement) -> list[tuple[int, Transaction]]:
    """(index, row) in the order the running balance runs."""
    rows = list(enumerate(statement.transactions))
    if len(rows) > 1 and rows[0][1].date > rows[-1][1].date:
        rows.reverse()  # printed newest first: the chain runs from the bottom up
    return rows


def chain_links(statement: BankStatement, *, to_closing: bool = True) -> Iterator[Link]:
    """Every link whose two ends are printed, in chain order. With `to_closing`, the last
    printed row balance (or the opening balance) is also linked to the closing balance."""
    sign = direction(statement)
    opening = statement.opening_balance
    start = None if opening is None else Anchor(opening, OPENING)
    between: list[tuple[int, Transaction]] = []
    for index, tx in chain_order(statement):
        between.append((index, tx))
        if tx.balance is None:
            continue
        end = Anchor(tx.balance, "balance", index)
        if start is not None:
            yield Link(start, end, tuple(between), sign)
        start, between = end, []
    closing = statement.closing_balance
    if to_closing and start is not None and closing is not None:
        yield Link(start, Anchor(closing, CLOSING), tuple(between), sign)
