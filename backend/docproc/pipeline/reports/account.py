"""Several statements of one account processed together: one statement, one set of reports.

Recurring payments and income only show across months, so a one-month statement cannot reveal a
monthly rent; joined statements can. Reconciliation stays per statement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from docproc.errors import InputError
from docproc.models import BankStatement, ProcessingResult, StatementPeriod
from docproc.pipeline.reports import RulesSource, analyse
from docproc.pipeline.reports.reconciliation import reconciliation_report


def _start(statement: BankStatement) -> dt.date:
    first_row = min((t.date for t in statement.transactions), default=dt.date.max)
    return statement.period.start or first_row


def combine_statements(statements: Sequence[BankStatement]) -> BankStatement:
    """One account's statements as one, in period order: first opening, last closing."""
    ordered = sorted(statements, key=_start)
    first, last = ordered[0], ordered[-1]
    starts = [s.period.start for s in ordered if s.period.start]
    ends = [s.period.end for s in ordered if s.period.end]
    return first.model_copy(
        update={
            "period": StatementPeriod(start=min(starts, default=None), end=max(ends, default=None)),
            "opening_balance": first.opening_balance,
            "closing_balance": last.closing_balance,
            "transactions": [t for s in ordered for t in s.transactions],
        }
    )


def build_reports_for_account(
    statements: Sequence[BankStatement], *, category_rules: RulesSource = None
) -> dict[str, Any]:
    """Reports across several statements of one account; reconciliation per statement."""
    if not statements:
        raise InputError("No statements to report on.")
    ordered = sorted(statements, key=_start)
    reconciliation = (
        reconciliation_report(ordered[0])
        if len(ordered) == 1
        else {"status": "per_statement", "statements": [reconciliation_report(s) for s in ordered]}
    )
    return {
        "reconciliation": reconciliation,
        "statement_count": len(ordered),
        **analyse(combine_statements(ordered), category_rules),
    }


def _account_key(number: str | None) -> str | None:
    """The last four digits: enough to tell accounts apart when one print masks the rest."""
    digits = re.sub(r"\D", "", number or "")
    return digits[-4:] or None


def account_result(
    results: Sequence[ProcessingResult],
    *,
    filename: str = "account",
    category_rules: RulesSource = None,
) -> ProcessingResult:
    """Processed statements of one account as one result, ready for any export."""
    if any(r.document_type != "bank_statement" for r in results):
        raise InputError("Only bank statements can be combined into one account.")
    statements = [BankStatement.model_validate(r.extracted_data) for r in results]
    accounts = {key for s in statements if (key := _account_key(s.account_number))}
    if len(accounts) > 1:
        raise InputError(
            "These statements are of different accounts (numbers ending "
            f"{', '.join(sorted(accounts))}); combine one account at a time."
        )
    reports = build_reports_for_account(statements, category_rules=category_rules)
    combined = combine_statements(statements)
    return ProcessingResult(
        document_type="bank_statement",
        filename=filename,
        extracted_data=combined.model_dump(mode="json"),
        reports=reports,
    )
