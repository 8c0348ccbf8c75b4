"""Running-balance breaks that one misread character would explain, on rows read by OCR.

OCR confuses a few glyph pairs (8/3, 1/7, 5/6, 0/8, ...), drops a minus sign or a decimal point.
When a break in the balance chain closes if exactly one character of one amount or printed
balance is read the other way, the row is reported with the candidate reading. Numbers are never
changed: a person decides, with the row and the candidate in front of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from docproc.models import BankStatement, Transaction
from docproc.money import format_money

# Glyph pairs Tesseract confuses on statements, both ways (measured on generated scans + corpus).
CONFUSABLE_DIGITS: tuple[tuple[str, str], ...] = (
    ("8", "3"),
    ("1", "7"),
    ("5", "6"),
    ("0", "8"),
    ("7", "2"),
    ("6", "8"),
)
_SWAPS: dict[str, tuple[str, ...]] = {}
for _a, _b in CONFUSABLE_DIGITS:
    _SWAPS[_a] = (*_SWAPS.get(_a, ()), _b)
    _SWAPS[_b] = (*_SWAPS.get(_b, ()), _a)

_CENT = Decimal("0.01")


def alternative_readings(value: Decimal) -> Iterator[tuple[Decimal, str]]:
    """Values `value` might have been before one OCR slip, each with the slip's name."""
    text = format_money(value)
    for position, char in enumerate(text):
        for other in _SWAPS.get(char, ()):
            yield Decimal(text[:position] + other + text[position + 1 :]), f"{other}→{char}"
    if value:
        yield -value, "lost minus" if value > 0 else "spurious minus"
    if value == value.to_integral_value() and value:
        yield (value / 100).quantize(_CENT), "lost decimal point"


def _suspect(
    index: int, tx: Transaction, field: str, reading: Decimal, slip: str
) -> dict[str, Any]:
    printed = tx.amount if field == "amount" else tx.balance
    return {
        "index": index,
        "page": tx.page,
        "date": tx.date.isoformat(),
        "field": field,
        "printed": format_money(printed) if printed is not None else None,
        "candidate": format_money(reading),
        "slip": slip,
        "confidence": tx.confidence,
    }


def _segment_suspects(
    rows: list[tuple[int, Transaction]], start: Decimal, printed: Decimal
) -> list[dict[str, Any]]:
    """Readings that make `start` + the rows' amounts equal `printed` (the last row's balance)."""
    moved = sum((tx.amount for _, tx in rows), Decimal(0))
    found = []
    for index, tx in rows:
        for reading, slip in alternative_readings(tx.amount):
            if start + moved - tx.amount + reading == printed:
                found.append(_suspect(index, tx, "amount", reading, slip))
    last_index, last = rows[-1]
    for reading, slip in alternative_readings(printed):
        if reading == start + moved:
            found.append(_suspect(last_index, last, "balance", reading, slip))
    return found


def suspected_ocr_errors(statement: BankStatement) -> list[dict[str, Any]]:
    """Every single-character reading that closes a balance-chain break (OCR rows only)."""
    if not any(tx.confidence is not None for tx in statement.transactions):
        return []
    found: list[dict[str, Any]] = []
    start = statement.opening_balance
    segment: list[tuple[int, Transaction]] = []
    for index, tx in enumerate(statement.transactions):
        segment.append((index, tx))
        if tx.balance is None:
            continue
        if start is not None and start + sum(t.amount for _, t in segment) != tx.balance:
            found.extend(_segment_suspects(segment, start, tx.balance))
        start, segment = tx.balance, []
    if segment and start is not None and statement.closing_balance is not None:
        total = start + sum(t.amount for _, t in segment)
        if total != statement.closing_balance:
            found.extend(
                s
                for s in _segment_suspects(segment, start, statement.closing_balance)
                if s["field"] == "amount"
            )
    return _dedupe(found)


def _dedupe(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for item in found:
        key = (item["index"], item["field"], item["candidate"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
