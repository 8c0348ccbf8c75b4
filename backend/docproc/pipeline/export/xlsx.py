"""XLSX export: a Transactions sheet (one row per transaction) and a Summary sheet."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from docproc.models import ProcessingResult
from docproc.pipeline.export.export import (
    TRANSACTION_COLUMNS,
    Export,
    StatementView,
    printable,
    statement_view,
)

MONEY_FORMAT = "#,##0.00;-#,##0.00"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _transactions_sheet(sheet: Worksheet, view: StatementView) -> None:
    sheet.append(list(TRANSACTION_COLUMNS))
    for txn, category, counterparty, running in view.rows:
        sheet.append(
            [
                txn.date,
                printable(txn.description),
                counterparty,
                category,
                txn.amount,
                txn.balance,
                running,
                txn.page,
                txn.confidence,
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm-dd"
        for cell in row[1:4]:
            # A description like "=HYPERLINK(...)" is text, never a formula.
            cell.data_type = "s"
        for cell in row[4:7]:
            cell.number_format = MONEY_FORMAT
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (12, 60, 32, 18, 14, 14, 16, 6, 11), strict=True):
        sheet.column_dimensions[letter].width = width


def _section(sheet: Worksheet, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append([])
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT


SUMMARY_FIGURES = (
    "opening_balance",
    "closing_balance",
    "money_in",
    "money_out",
    "net_change",
    "transaction_count",
    "days_covered",
    "reconciliation",
)
BALANCE_FIGURES = (
    "average_daily_balance",
    "minimum_balance",
    "days_below_zero",
    "overdraft_fee_count",
    "nsf_returned_count",
)
MONEY_KEYS = frozenset(
    {"opening_balance", "closing_balance", "money_in", "money_out", "net_change", "net",
     "average_daily_balance", "minimum_balance"}
)  # fmt: skip


def _pick(item: dict[str, Any], keys: Sequence[str]) -> list[Any]:
    """The values of `keys`, money as Decimal so the sheet holds numbers."""
    return [_money(item[k]) if k in MONEY_KEYS else item[k] for k in keys]


def _summary_sheet(sheet: Worksheet, view: StatementView) -> None:
    reports, statement = view.reports, view.statement
    sheet.append(["Account", statement.account_number, statement.bank_name, statement.currency])
    figures = {
        **reports["summary"],
        "reconciliation": reports.get("reconciliation", {}).get("status"),
    }
    _section(
        sheet, "Summary", ["figure", "value"], [[k, *_pick(figures, [k])] for k in SUMMARY_FIGURES]
    )
    categories = reports["categories"]["by_category"]
    columns = ["label", "count", "money_in", "money_out", "net"]
    _section(
        sheet, "Categories", ["category", *columns[1:]], [_pick(c, columns) for c in categories]
    )
    columns = ["month", "money_in", "money_out", "net", "count"]
    months = reports["cash_flow"]["months"]
    _section(sheet, "Cash flow by month", columns, [_pick(m, columns) for m in months])
    balances = {
        **reports["balances"],
        "minimum_balance": (reports["balances"]["minimum"] or {}).get("balance"),
    }
    _section(
        sheet,
        "Balances",
        ["figure", "value"],
        [[k, *_pick(balances, [k])] for k in BALANCE_FIGURES],
    )
    sheet.column_dimensions["A"].width = 28
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 16


def export_xlsx(result: ProcessingResult) -> Export:
    view = statement_view(result, "xlsx")
    workbook = Workbook()
    transactions = workbook.active
    assert transactions is not None
    transactions.title = "Transactions"
    _transactions_sheet(transactions, view)
    _summary_sheet(workbook.create_sheet("Summary"), view)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Export(buffer.getvalue(), XLSX_TYPE, "xlsx")
