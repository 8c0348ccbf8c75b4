"""Several statements of one account as one result."""

from __future__ import annotations

import pytest

from docproc.errors import InputError
from docproc.models import BankStatement, ProcessingResult
from docproc.pipeline.export import export_result
from docproc.pipeline.reports.account import account_result, combine_statements
from docproc.pipeline.reports.categories import builtin_rules

from .statements import monthly_account


def as_result(statement: BankStatement) -> ProcessingResult:
    return ProcessingResult(
        document_type="bank_statement",
        filename="s.pdf",
        extracted_data=statement.model_dump(mode="json"),
    )


def test_statements_join_in_period_order() -> None:
    january, february, march = monthly_account()
    combined = combine_statements([march, january, february])
    assert (str(combined.period.start), str(combined.period.end)) == ("2025-01-01", "2025-03-31")
    assert (combined.opening_balance, combined.closing_balance) == (
        january.opening_balance,
        march.closing_balance,
    )
    assert [t.date.isoformat() for t in combined.transactions][:2] == ["2025-01-01", "2025-01-06"]


def test_account_result_exports_with_recurring_streams() -> None:
    statements = monthly_account()
    result = account_result(
        [as_result(s) for s in reversed(statements)], category_rules=builtin_rules()
    )
    assert result.reports["statement_count"] == 3
    assert [r["status"] for r in result.reports["reconciliation"]["statements"]] == [
        "balanced",
        "balanced",
        "balanced",
    ]
    intervals = {s["counterparty"]: s["interval"] for s in result.reports["recurring"]["streams"]}
    assert intervals["RENT PAYMENT OAK PROPERTY MGMT"] == "monthly"
    page = export_result(result, "html").content.decode()
    assert "RENT PAYMENT OAK PROPERTY MGMT" in page and "monthly" in page


def test_different_accounts_are_refused() -> None:
    january, february, _ = monthly_account()
    other = february.model_copy(update={"account_number": "XXXX-9999"})
    with pytest.raises(InputError, match="different accounts"):
        account_result([as_result(january), as_result(other)])
    masked = february.model_copy(update={"account_number": "****6789"})
    assert account_result([as_result(january), as_result(masked)]).reports["statement_count"] == 2


def test_only_bank_statements_combine() -> None:
    generic = ProcessingResult(
        document_type="generic", filename="a", extracted_data={"page_count": 0, "pages": []}
    )
    with pytest.raises(InputError):
        account_result([generic])
