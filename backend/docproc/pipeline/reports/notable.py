"""Notable transactions: the largest, and the ones unusual for this account.

Unusual is a robust (median-based) z-score of the amount against the other payments to the same
counterparty, or, where that party has too few, the same category (Iglewicz and Hoaglin's modified
z-score; a row scoring above `UNUSUAL_SCORE` and above the group's median is reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from docproc.pipeline.reports.figures import median, money, ratio
from docproc.pipeline.reports.recurring import Occurrence

LARGEST_COUNT = 5
MIN_GROUP = 4
UNUSUAL_SCORE = Decimal("3.5")
MAD_SCALE = Decimal("0.6745")
MEAN_AD_SCALE = Decimal("1.253314")


def robust_z(value: Decimal, values: Sequence[Decimal]) -> Decimal | None:
    """Modified z-score of `value` in `values`; None when the values do not spread at all."""
    centre = median(values)
    mad = median([abs(v - centre) for v in values])
    if mad:
        return MAD_SCALE * (value - centre) / mad
    mean_ad = sum((abs(v - centre) for v in values), Decimal(0)) / len(values)
    return (value - centre) / (MEAN_AD_SCALE * mean_ad) if mean_ad else None


def _row(o: Occurrence) -> dict[str, Any]:
    t = o.transaction
    return {
        "index": o.index,
        "date": t.date.isoformat(),
        "description": t.description,
        "counterparty": o.counterparty,
        "category": o.category,
        "amount": money(t.amount),
    }


def _groups(occurrences: Sequence[Occurrence]) -> dict[tuple[str, str, bool], list[Decimal]]:
    groups: dict[tuple[str, str, bool], list[Decimal]] = {}
    for o in occurrences:
        out = o.transaction.amount < 0
        groups.setdefault(("counterparty", o.counterparty, out), []).append(
            abs(o.transaction.amount)
        )
        groups.setdefault(("category", o.category, out), []).append(abs(o.transaction.amount))
    return groups


def _unusual(occurrences: Sequence[Occurrence]) -> list[dict[str, Any]]:
    groups = _groups(occurrences)
    found = []
    for o in occurrences:
        out = o.transaction.amount < 0
        key = ("counterparty", o.counterparty, out)
        if len(groups[key]) < MIN_GROUP:
            key = ("category", o.category, out)
        values = groups[key]
        value = abs(o.transaction.amount)
        if len(values) < MIN_GROUP or value <= median(values):
            continue
        score = robust_z(value, values)
        if score is not None and score > UNUSUAL_SCORE:
            found.append(
                {
                    **_row(o),
                    "compared_with": key[0],
                    "typical_amount": money(median(values)),
                    "score": ratio(score),
                }
            )
    return found


def notable_report(occurrences: Sequence[Occurrence]) -> dict[str, Any]:
    by_size = sorted(occurrences, key=lambda o: (-abs(o.transaction.amount), o.index))
    return {
        "largest_out": [_row(o) for o in by_size if o.transaction.amount < 0][:LARGEST_COUNT],
        "largest_in": [_row(o) for o in by_size if o.transaction.amount > 0][:LARGEST_COUNT],
        "unusual": _unusual(occurrences),
    }
