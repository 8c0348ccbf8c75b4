"""Decimal arithmetic shared by the reports: exact money strings, averages, medians."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

from docproc.money import format_money

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | None) -> str | None:
    """The contract's money string, or None."""
    return None if value is None else format_money(value)


def cents(value: Decimal) -> Decimal:
    """Round to cents, banker's rounding (the way accounting software rounds averages)."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def average(values: Sequence[Decimal]) -> Decimal | None:
    """Mean rounded to cents; None for no values."""
    return cents(total(values) / len(values)) if values else None


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def ratio(value: Decimal, places: str = "0.01") -> str:
    """A non-money Decimal (a score, a share) as a fixed-point string."""
    return format(value.quantize(Decimal(places), rounding=ROUND_HALF_EVEN), "f")
