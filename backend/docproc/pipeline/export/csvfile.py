"""CSV export: one row per transaction with its category and balance (RFC 4180, UTF-8)."""

from __future__ import annotations

import csv
import io

from docproc.models import ProcessingResult
from docproc.money import format_money
from docproc.pipeline.export.export import TRANSACTION_COLUMNS, Export, statement_view


def export_csv(result: ProcessingResult) -> Export:
    view = statement_view(result, "csv")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TRANSACTION_COLUMNS)
    for txn, category, counterparty, running in view.rows:
        writer.writerow(
            [
                txn.date.isoformat(),
                txn.description,
                counterparty,
                category,
                format_money(txn.amount),
                "" if txn.balance is None else format_money(txn.balance),
                "" if running is None else format_money(running),
                txn.page,
                "" if txn.confidence is None else txn.confidence,
            ]
        )
    return Export(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", "csv")
