"""What every exporter returns, and the statement view they share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docproc.errors import UnsupportedExport
from docproc.models import BankStatement, ProcessingResult, Transaction
from docproc.pipeline.reports.balances import running_balances

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` without control characters, which XML (OFX, XLSX) cannot carry."""
    return _CONTROL.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Export:
    content: bytes
    media_type: str
    extension: str

    def filename(self, stem: str) -> str:
        return f"{stem}.{self.extension}"


@dataclass(frozen=True, slots=True)
class StatementView:
    """A bank statement result with one category, counterparty and running balance per row."""

    statement: BankStatement
    reports: dict[str, Any]
    categories: list[str]
    counterparties: list[str]
    running_balances: list[Decimal | None]

    @property
    def rows(self) -> list[tuple[Transaction, str, str, Decimal | None]]:
        return list(
            zip(
                self.statement.transactions,
                self.categories,
                self.counterparties,
                self.running_balances,
                strict=True,
            )
        )


TRANSACTION_COLUMNS = (
    "date",
    "description",
    "counterparty",
    "category",
    "amount",
    "balance",
    "running_balance",
    "page",
    "confidence",
)


REPORT_SECTIONS = (
    "summary", "cash_flow", "categories", "counterparties", "recurring", "income", "balances",
    "notable",
)  # fmt: skip


def _reports_complete(reports: dict[str, Any], count: int) -> bool:
    """Every section there, and the per-row lists as long as the transactions."""
    return all(section in reports for section in REPORT_SECTIONS) and all(
        len(reports[section].get("by_transaction", ())) == count
        for section in ("categories", "counterparties")
    )


def statement_view(result: ProcessingResult, export_format: str) -> StatementView:
    """The statement in `result`, its reports (built here if missing) and per-row data."""
    if result.document_type != "bank_statement":
        raise UnsupportedExport(
            f"Export format {export_format!r} is for bank statements, "
            f"not {result.document_type!r}; use json."
        )
    statement = BankStatement.model_validate(result.extracted_data)
    reports = result.reports
    if not _reports_complete(reports, len(statement.transactions)):
        from docproc.pipeline.reports import build_reports

        kept = {k: v for k, v in reports.items() if k == "reconciliation"}
        reports = {**build_reports(statement), **kept}
    return StatementView(
        statement=statement,
        reports=reports,
        categories=list(reports["categories"]["by_transaction"]),
        counterparties=list(reports["counterparties"]["by_transaction"]),
        running_balances=running_balances(statement),
    )
