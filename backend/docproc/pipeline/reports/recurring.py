"""Recurring payments and income, and the income report built on them.

A stream is recurring when one counterparty is paid (or pays) a similar amount at a regular
interval. Intervals are a validated table (`INTERVALS`); amounts are similar when each is within
`AMOUNT_TOLERANCE` of the stream's median.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docproc.models import Transaction
from docproc.pipeline.reports.figures import ZERO, cents, median, money, total

AMOUNT_TOLERANCE = Decimal("0.20")
DAYS_PER_MONTH = Decimal("30.4375")
NOT_INCOME = frozenset({"transfers"})


@dataclass(frozen=True, slots=True)
class Interval:
    """Every gap within [min_days, max_days] and the mean gap within [min_mean, max_mean]."""

    name: str
    min_days: int
    max_days: int
    min_mean: Decimal
    max_mean: Decimal
    min_occurrences: int
    per_month: Decimal


# Fortnightly (every 14 days) and semimonthly (the 15th and the month's end: 365.25 / 24 = 15.2
# days on average) overlap gap by gap; the mean gap tells them apart.
INTERVALS: tuple[Interval, ...] = (
    Interval("weekly", 6, 8, Decimal(6), Decimal(8), 3, Decimal(52) / 12),
    Interval("fortnightly", 12, 16, Decimal(12), Decimal("14.6"), 3, Decimal(26) / 12),
    Interval("semimonthly", 12, 18, Decimal("14.6"), Decimal("16.5"), 3, Decimal(2)),
    Interval("monthly", 27, 34, Decimal(27), Decimal(34), 2, Decimal(1)),
)
PER_MONTH = {interval.name: interval.per_month for interval in INTERVALS}


@dataclass(frozen=True, slots=True)
class Occurrence:
    index: int
    transaction: Transaction
    counterparty: str
    category: str


def _add_months(day: dt.date, months: int, day_of_month: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def _median_day(days: Sequence[int]) -> int:
    return round(median([Decimal(d) for d in days]))


def _days_to_month_end(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1] - day.day


def _next_semimonthly(dates: Sequence[dt.date]) -> dt.date:
    """The next of the stream's two days: around the 15th, and so many days before month end."""
    early = [d.day for d in dates if d.day <= 20] or [15]
    before_end = [_days_to_month_end(d) for d in dates if d.day > 20] or [0]
    last = dates[-1]
    if last.day > 20:
        return _add_months(last, 1, _median_day(early))
    month_end = _add_months(last, 0, 31)
    return month_end - dt.timedelta(days=_median_day(before_end))


def _next_date(dates: Sequence[dt.date], interval: Interval) -> dt.date:
    if interval.name == "monthly":
        return _add_months(dates[-1], 1, _median_day([d.day for d in dates]))
    if interval.name == "semimonthly":
        return _next_semimonthly(dates)
    gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
    return dates[-1] + dt.timedelta(days=round(median([Decimal(g) for g in gaps])))


def _similar(items: Sequence[Occurrence]) -> list[Occurrence]:
    typical = median([abs(o.transaction.amount) for o in items])
    return [
        o for o in items if abs(abs(o.transaction.amount) - typical) <= typical * AMOUNT_TOLERANCE
    ]


def _interval_of(dates: Sequence[dt.date]) -> Interval | None:
    gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
    if not gaps:
        return None
    mean = Decimal(sum(gaps)) / len(gaps)
    for interval in INTERVALS:
        if (
            len(dates) >= interval.min_occurrences
            and all(interval.min_days <= g <= interval.max_days for g in gaps)
            and interval.min_mean <= mean <= interval.max_mean
        ):
            return interval
    return None


def _stream(items: Sequence[Occurrence]) -> dict[str, Any] | None:
    items = sorted(_similar(items), key=lambda o: o.transaction.date)
    # Two rows of one party on one day are one payment split, not a shorter interval.
    by_day: dict[dt.date, list[Occurrence]] = {}
    for o in items:
        by_day.setdefault(o.transaction.date, []).append(o)
    dates = sorted(by_day)
    interval = _interval_of(dates)
    if interval is None:
        return None
    amounts = [total(o.transaction.amount for o in by_day[d]) for d in dates]
    first = items[0]
    return {
        "counterparty": first.counterparty,
        "category": first.category,
        "direction": "in" if first.transaction.amount > 0 else "out",
        "interval": interval.name,
        "occurrences": len(dates),
        "typical_amount": money(cents(median(amounts))),
        "total": money(total(amounts)),
        "first_date": dates[0].isoformat(),
        "last_date": dates[-1].isoformat(),
        "next_expected_date": _next_date(dates, interval).isoformat(),
        "transaction_indexes": [o.index for o in items],
    }


def recurring_report(occurrences: Sequence[Occurrence]) -> dict[str, Any]:
    """Recurring streams, grouped by counterparty and direction."""
    groups: dict[tuple[str, bool], list[Occurrence]] = {}
    for o in occurrences:
        if o.transaction.amount != 0:
            groups.setdefault((o.counterparty, o.transaction.amount > 0), []).append(o)
    streams = [s for items in groups.values() if (s := _stream(items)) is not None]
    streams.sort(
        key=lambda s: (s["direction"], -abs(Decimal(s["typical_amount"])), s["counterparty"])
    )
    payments = [s for s in streams if s["direction"] == "out"]
    return {
        "streams": streams,
        "count": len(streams),
        "monthly_outgoing_estimate": money(_monthly(payments)),
    }


def _monthly(streams: Sequence[dict[str, Any]]) -> Decimal:
    """The streams' typical amounts per month (weekly x 52/12, fortnightly x 26/12)."""
    per_month = (abs(Decimal(s["typical_amount"])) * PER_MONTH[s["interval"]] for s in streams)
    return cents(total(per_month))


def income_report(
    occurrences: Sequence[Occurrence], recurring: dict[str, Any], days: int
) -> dict[str, Any]:
    """Income-category money in, the regular income streams, and the monthly average."""
    income = [
        o.transaction.amount
        for o in occurrences
        if o.category == "income" and o.transaction.amount > 0
    ]
    regular = [
        s
        for s in recurring["streams"]
        if s["direction"] == "in" and s["category"] not in NOT_INCOME
    ]
    income_total = total(income)
    months = max(Decimal(1), Decimal(days) / DAYS_PER_MONTH)
    return {
        "total": money(income_total),
        "count": len(income),
        "monthly_average": money(cents(income_total / months)) if days else money(ZERO),
        "months_covered": format(cents(Decimal(days) / DAYS_PER_MONTH), "f"),
        "regular": regular,
        "regular_monthly_estimate": money(_monthly(regular)),
    }
