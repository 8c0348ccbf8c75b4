"""XLSX export: a Transactions sheet (one row per transaction) and a Summary sheet."""

from __future__ import annotations

import io
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


def _summary_sheet(sheet: Worksheet, view: StatementView) -> None:
    reports, statement = view.reports, view.statement
    summary = reports["summary"]
    sheet.append(["Account", statement.account_number, statement.bank_name, statement.currency])
    _section(
        sheet,
        "Summary",
        ["figure", "value"],
        [
            [key, _money(summary[key])]
            for key in ("opening_balance", "closing_balance", "money_in", "money_out", "net_change")
        ]
        + [
            ["transaction_count", summary["transaction_count"]],
            ["days_covered", summary["days_covered"]],
            ["reconciliation", reports.get("reconciliation", {}).get("status")],
        ],
    )
    _section(
        sheet,
        "Categories",
        ["category", "count", "money_in", "money_out", "net"],
        [
            [
                c["label"],
                c["count"],
                _money(c["money_in"]),
                _money(c["money_out"]),
                _money(c["net"]),
            ]
            for c in reports["categories"]["by_category"]
        ],
    )
    _section(
        sheet,
        "Cash flow by month",
        ["month", "money_in", "money_out", "net", "count"],
        [
            [
                m["month"],
                _money(m["money_in"]),
                _money(m["money_out"]),
                _money(m["net"]),
                m["count"],
            ]
            for m in reports["cash_flow"]["months"]
        ],
    )
    balances = reports["balances"]
    _section(
        sheet,
        "Balances",
        ["figure", "value"],
        [
            ["average_daily_balance", _money(balances["average_daily_balance"])],
            ["minimum_balance", _money((balances["minimum"] or {}).get("balance"))],
            ["days_below_zero", balances["days_below_zero"]],
            ["overdraft_fee_count", balances["overdraft_fee_count"]],
            ["nsf_returned_count", balances["nsf_returned_count"]],
        ],
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
