"""Reconciliation: does the statement add up, and does every printed balance follow from the last?

Never changes a number: a statement that does not add up is reported as such.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from docproc.models import BankStatement
from docproc.money import format_money
from docproc.pipeline.statements.chain import chain_links, direction
from docproc.pipeline.statements.ocr_suspects import suspected_ocr_errors


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_money(value)


def balance_chain(statement: BankStatement) -> dict[str, Any]:
    """Every printed running balance checked against the previous one plus the amounts between."""
    breaks: list[dict[str, Any]] = []
    checked = 0
    for link in chain_links(statement, to_closing=False):
        checked += 1
        if link.difference:
            index, tx = link.rows[-1]
            breaks.append(
                {
                    "index": index,
                    "page": tx.page,
                    "date": tx.date.isoformat(),
                    "printed_balance": _money(link.end.value),
                    "expected_balance": _money(link.expected),
                    "difference": _money(link.difference),
                }
            )
    return {"checked": checked, "breaks": breaks}


def reconcile(statement: BankStatement) -> dict[str, Any]:
    """Opening + Σ amounts vs closing, and the running-balance chain (JSON-ready)."""
    total = sum((tx.amount for tx in statement.transactions), Decimal(0))
    opening, closing = statement.opening_balance, statement.closing_balance
    chain = balance_chain(statement)
    expected = None if opening is None else opening + direction(statement) * total
    difference = None if expected is None or closing is None else closing - expected
    if difference is None:
        status = "unbalanced" if chain["breaks"] else "unverifiable"
    else:
        status = "balanced" if difference == 0 and not chain["breaks"] else "unbalanced"
    return {
        "status": status,
        "opening_balance": _money(opening),
        "closing_balance": _money(closing),
        "sum_of_amounts": _money(total),
        "expected_closing": _money(expected),
        "difference": _money(difference),
        "balance_chain": chain,
        "suspected_ocr_errors": suspected_ocr_errors(statement),
        # table rows that carry money but could not be read as a transaction (OCR garbled the
        # amount or the date): not in the sums above, so the statement cannot balance as read
        "unread_rows": (statement.model_extra or {}).get("unread_rows", []),
    }
