import datetime as dt
from decimal import Decimal

from docproc.models import BankStatement, Transaction
from docproc.pipeline.statements.reconcile import reconcile


def _tx(amount: str, balance: str | None, day: int = 1) -> Transaction:
    return Transaction(
        date=dt.date(2025, 1, day),
        description="x",
        amount=Decimal(amount),
        balance=Decimal(balance) if balance else None,
        page=1,
    )


def test_balanced_statement() -> None:
    s = BankStatement(
        opening_balance=Decimal("100.00"),
        closing_balance=Decimal("70.50"),
        transactions=[_tx("-50.00", "50.00"), _tx("20.50", None), _tx("0", "70.50")],
    )
    report = reconcile(s)
    assert report["status"] == "balanced"
    assert report["difference"] == "0.00"
    assert report["sum_of_amounts"] == "-29.50"
    assert report["balance_chain"] == {"checked": 2, "breaks": []}


def test_unbalanced_statement_is_reported_not_fixed() -> None:
    s = BankStatement(
        opening_balance=Decimal("100.00"),
        closing_balance=Decimal("80.00"),
        transactions=[_tx("-50.00", "50.00", 2), _tx("20.00", "75.00", 3)],
    )
    report = reconcile(s)
    assert report["status"] == "unbalanced"
    assert report["expected_closing"] == "70.00"
    assert report["difference"] == "10.00"
    (brk,) = report["balance_chain"]["breaks"]
    assert brk == {
        "index": 1,
        "page": 1,
        "date": "2025-01-03",
        "printed_balance": "75.00",
        "expected_balance": "70.00",
        "difference": "5.00",
    }
    assert s.transactions[1].amount == Decimal("20.00")


def test_without_balances_it_is_unverifiable() -> None:
    report = reconcile(BankStatement(transactions=[_tx("-5.00", None)]))
    assert report["status"] == "unverifiable"
    assert report["expected_closing"] is None and report["difference"] is None


def test_credit_card_balance_is_what_is_owed() -> None:
    s = BankStatement(
        opening_balance=Decimal("100.00"),
        closing_balance=Decimal("130.00"),
        transactions=[_tx("-50.00", "150.00"), _tx("20.00", "130.00")],
        account_type="credit_card",
    )
    report = reconcile(s)
    assert report["status"] == "balanced", report
    assert report["expected_closing"] == "130.00"


def test_newest_first_statement_chains_from_the_bottom() -> None:
    s = BankStatement(
        opening_balance=Decimal("100.00"),
        closing_balance=Decimal("70.00"),
        transactions=[_tx("20.00", "70.00", 5), _tx("-50.00", "50.00", 2)],
    )
    report = reconcile(s)
    assert report["status"] == "balanced", report
    assert report["balance_chain"]["checked"] == 2
