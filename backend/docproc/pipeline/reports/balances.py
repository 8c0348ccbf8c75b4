"""Balances: the daily balance series and the figures a lender reads from it.

The end-of-day balance comes from the printed running balance where the statement prints one and
lists rows in date order; otherwise it is derived from the opening balance plus the amounts.
Fee events (overdraft, NSF / returned payment) are found with the phrase table `fee_events.toml`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docproc.models import BankStatement, Transaction
from docproc.pipeline.reports.cash_flow import covered_dates
from docproc.pipeline.reports.figures import ZERO, average, money, total


class FeeKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    phrases: tuple[str, ...] = Field(min_length=1)


class FeeEvents(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: tuple[FeeKind, ...] = Field(min_length=1)


@lru_cache(maxsize=1)
def _fee_patterns() -> list[tuple[str, re.Pattern[str]]]:
    text = resources.files(__package__).joinpath("fee_events.toml").read_text("utf-8")
    table = FeeEvents.model_validate(tomllib.loads(text))
    return [
        (k.kind, re.compile(rf"(?<![A-Z0-9])(?:{'|'.join(map(re.escape, k.phrases))})(?![A-Z0-9])"))
        for k in table.kinds
    ]


MAX_SERIES_DAYS = 3660
"""No daily series past ten years: such a span means a misread date, not a statement."""


def _no_series_reason(statement: BankStatement) -> str:
    span = covered_dates(statement)
    if span is not None and (span[1] - span[0]).days >= MAX_SERIES_DAYS:
        return f"the dates span {span[0]} to {span[1]}, more than ten years: a date looks misread"
    return "no opening balance and no printed running balance"


def fee_kind(description: str) -> str | None:
    text = " ".join(description.upper().split())
    return next((kind for kind, pattern in _fee_patterns() if pattern.search(text)), None)


def opening_balance(statement: BankStatement) -> Decimal | None:
    """The printed opening balance, or the first printed running balance less the rows up to it."""
    if statement.opening_balance is not None:
        return statement.opening_balance
    running = ZERO
    for txn in statement.transactions:
        running += txn.amount
        if txn.balance is not None:
            return txn.balance - running
    return None


def _in_date_order(transactions: Sequence[Transaction]) -> bool:
    return all(a.date <= b.date for a, b in itertools.pairwise(transactions))


def running_balances(statement: BankStatement) -> list[Decimal | None]:
    """The balance after each row as listed: printed where printed, else carried plus amounts."""
    running = opening_balance(statement)
    found: list[Decimal | None] = []
    for txn in statement.transactions:
        running = (
            txn.balance
            if txn.balance is not None
            else (None if running is None else running + txn.amount)
        )
        found.append(running)
    return found


def end_of_day_balances(statement: BankStatement) -> tuple[dict[dt.date, Decimal], str] | None:
    """Balance at the end of each day with rows, and its source: printed, derived or mixed."""
    opening = opening_balance(statement)
    if opening is None:
        return None
    use_printed = _in_date_order(statement.transactions)
    running, sources, closing = opening, set(), {}
    for txn in sorted(statement.transactions, key=lambda t: t.date):
        running += txn.amount
        if use_printed and txn.balance is not None:
            running = txn.balance
        closing[txn.date] = running
        sources.add("printed" if use_printed and txn.balance is not None else "derived")
    if not sources:
        sources.add("printed" if statement.opening_balance is not None else "derived")
    return closing, sources.pop() if len(sources) == 1 else "mixed"


def daily_series(statement: BankStatement) -> tuple[list[tuple[dt.date, Decimal]], str] | None:
    """One end-of-day balance for every calendar day covered, carried over days without rows."""
    span = covered_dates(statement)
    found = end_of_day_balances(statement)
    if span is None or found is None or (span[1] - span[0]).days >= MAX_SERIES_DAYS:
        return None
    closing, source = found
    balance = opening_balance(statement)
    assert balance is not None
    series, day = [], span[0]
    while day <= span[1]:
        balance = closing.get(day, balance)
        series.append((day, balance))
        day += dt.timedelta(days=1)
    return series, source


def _fee_events(transactions: Sequence[Transaction]) -> list[dict[str, Any]]:
    events = []
    for index, txn in enumerate(transactions):
        kind = fee_kind(txn.description)
        if kind is not None:
            events.append(
                {
                    "index": index,
                    "date": txn.date.isoformat(),
                    "kind": kind,
                    "description": txn.description,
                    "amount": money(txn.amount),
                }
            )
    return events


def balance_report(statement: BankStatement) -> dict[str, Any]:
    """Daily series, average daily balance, minimum, days below zero and fee events."""
    events = _fee_events(statement.transactions)
    fees = {
        "fee_events": events,
        "overdraft_fee_count": sum(e["kind"] == "overdraft_fee" for e in events),
        "nsf_returned_count": sum(e["kind"] == "nsf_returned" for e in events),
        "fees_total": money(
            -total(
                t.amount for t in statement.transactions if t.amount < 0 and fee_kind(t.description)
            )
        ),
    }
    after_rows = [money(b) for b in running_balances(statement)]
    found = daily_series(statement)
    if found is None:
        return {
            "available": False,
            "reason": _no_series_reason(statement),
            "source": None,
            "daily": [],
            "average_daily_balance": None,
            "minimum": None,
            "maximum": None,
            "days_below_zero": None,
            "by_transaction": after_rows,
            **fees,
        }
    series, source = found
    lowest = min(series, key=lambda day: day[1])
    highest = max(series, key=lambda day: day[1])
    return {
        "available": True,
        "source": source,
        "opening_balance": money(opening_balance(statement)),
        "daily": [{"date": d.isoformat(), "balance": money(b)} for d, b in series],
        "average_daily_balance": money(average([b for _, b in series])),
        "minimum": {"date": lowest[0].isoformat(), "balance": money(lowest[1])},
        "maximum": {"date": highest[0].isoformat(), "balance": money(highest[1])},
        "days_below_zero": sum(b < 0 for _, b in series),
        "by_transaction": after_rows,
        **fees,
    }
