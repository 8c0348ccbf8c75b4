"""Summary and cash flow: money in and out over the statement, per month and per week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from docproc.models import BankStatement, Transaction
from docproc.pipeline.reports.figures import money, total

MAX_EMPTY_MONTHS = 120
WEEKLY_UP_TO_DAYS = 92
"""Statements covering at most this many days also get a weekly cash flow."""


def covered_dates(statement: BankStatement) -> tuple[dt.date, dt.date] | None:
    """First and last day the statement covers: its printed period, widened to its transactions."""
    dates = [t.date for t in statement.transactions]
    starts = [d for d in (statement.period.start, *dates) if d is not None]
    ends = [d for d in (statement.period.end, *dates) if d is not None]
    if not starts or not ends:
        return None
    return min(starts), max(ends)


def days_covered(statement: BankStatement) -> int:
    span = covered_dates(statement)
    return 0 if span is None else (span[1] - span[0]).days + 1


def _flows(transactions: Sequence[Transaction]) -> dict[str, Any]:
    money_in = total(t.amount for t in transactions if t.amount > 0)
    money_out = -total(t.amount for t in transactions if t.amount < 0)
    return {
        "money_in": money(money_in),
        "money_out": money(money_out),
        "net": money(money_in - money_out),
        "count": len(transactions),
    }


def summary_report(statement: BankStatement) -> dict[str, Any]:
    """Opening, closing, money in and out, net change, count and days covered."""
    span = covered_dates(statement)
    flows = _flows(statement.transactions)
    return {
        "currency": statement.currency,
        "opening_balance": money(statement.opening_balance),
        "closing_balance": money(statement.closing_balance),
        "money_in": flows["money_in"],
        "money_out": flows["money_out"],
        "net_change": flows["net"],
        "transaction_count": flows["count"],
        "first_date": span[0].isoformat() if span else None,
        "last_date": span[1].isoformat() if span else None,
        "days_covered": days_covered(statement),
    }


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _calendar(span: tuple[dt.date, dt.date], txns: Sequence[Transaction]) -> list[tuple[int, int]]:
    """Every month covered; only months with rows when a misread date stretches the span."""
    months = _months(*span)
    if len(months) > MAX_EMPTY_MONTHS:
        return sorted({(t.date.year, t.date.month) for t in txns})
    return months


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def cash_flow_report(statement: BankStatement) -> dict[str, Any]:
    """In, out and net per calendar month (every month covered), and per ISO week when short."""
    span = covered_dates(statement)
    if span is None:
        return {"months": [], "weeks": []}
    txns = statement.transactions
    months = [
        {
            "month": f"{y:04d}-{m:02d}",
            **_flows([t for t in txns if (t.date.year, t.date.month) == (y, m)]),
        }
        for y, m in _calendar(span, txns)
    ]
    weeks = None
    if (span[1] - span[0]).days + 1 <= WEEKLY_UP_TO_DAYS:
        weeks = []
        monday = _monday(span[0])
        while monday <= span[1]:
            in_week = [t for t in txns if _monday(t.date) == monday]
            iso = monday.isocalendar()
            weeks.append(
                {
                    "week": f"{iso.year}-W{iso.week:02d}",
                    "week_start": monday.isoformat(),
                    **_flows(in_week),
                }
            )
            monday += dt.timedelta(days=7)
    return {"months": months, "weeks": weeks}
