"""Small hand-made statements whose every report figure is worked out by hand in the tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from docproc.models import BankStatement, StatementPeriod, Transaction


def txn(day: str, description: str, amount: str, balance: str | None = None) -> Transaction:
    return Transaction(
        date=dt.date.fromisoformat(day),
        description=description,
        amount=Decimal(amount),
        balance=None if balance is None else Decimal(balance),
        page=1,
    )


def statement(
    transactions: list[Transaction],
    opening: str | None = None,
    closing: str | None = None,
    period: tuple[str, str] | None = None,
) -> BankStatement:
    return BankStatement(
        bank_name="Test Bank",
        account_number="000123456789",
        currency="USD",
        period=StatementPeriod(
            start=dt.date.fromisoformat(period[0]) if period else None,
            end=dt.date.fromisoformat(period[1]) if period else None,
        ),
        opening_balance=None if opening is None else Decimal(opening),
        closing_balance=None if closing is None else Decimal(closing),
        transactions=transactions,
    )


def two_months() -> BankStatement:
    """Spans January and February; one row without a printed balance."""
    return statement(
        [
            txn("2025-01-30", "PAYROLL ACME CORP", "2000.00", "3000.00"),
            txn(
                "2025-01-31",
                "POS PURCHASE WHOLE FOODS MARKET #1023 AUSTIN TX",
                "-150.25",
                "2849.75",
            ),
            txn("2025-02-01", "NETFLIX.COM", "-15.99"),
            txn("2025-02-01", "ATM WITHDRAWAL CARD 1234", "-100.00", "2733.76"),
            txn("2025-02-02", "MONTHLY SERVICE FEE", "-5.00", "2728.76"),
        ],
        opening="1000.00",
        closing="2728.76",
        period=("2025-01-30", "2025-02-02"),
    )


def overdrawn() -> BankStatement:
    """Goes below zero, with an overdraft fee and an NSF fee."""
    return statement(
        [
            txn("2025-03-01", "DEBIT CARD PURCHASE SHELL OIL 1234 DALLAS TX", "-80.00", "-30.00"),
            txn("2025-03-01", "OVERDRAFT FEE", "-35.00", "-65.00"),
            txn("2025-03-02", "RETURNED ITEM NSF FEE", "-35.00", "-100.00"),
            txn("2025-03-03", "DEPOSIT", "200.00", "100.00"),
        ],
        opening="50.00",
        closing="100.00",
        period=("2025-03-01", "2025-03-03"),
    )


def monthly_account() -> list[BankStatement]:
    """Three monthly statements of one account: rent and salary repeat across them."""
    rent, pay = "RENT PAYMENT OAK PROPERTY MGMT", "ACME CORP PAYROLL"
    return [
        statement(
            [
                txn("2025-01-01", rent, "-1200.00"),
                txn("2025-01-06", "PLANET FITNESS", "-10.00"),
                txn("2025-01-13", "PLANET FITNESS", "-10.00"),
                txn("2025-01-15", pay, "2500.00"),
                txn("2025-01-20", "PLANET FITNESS", "-10.00"),
            ],
            opening="500.00",
            closing="1770.00",
            period=("2025-01-01", "2025-01-31"),
        ),
        statement(
            [txn("2025-02-01", rent, "-1200.00"), txn("2025-02-14", pay, "2500.00")],
            opening="1770.00",
            closing="3070.00",
            period=("2025-02-01", "2025-02-28"),
        ),
        statement(
            [txn("2025-03-03", rent, "-1250.00"), txn("2025-03-15", pay, "2500.00")],
            opening="3070.00",
            closing="4320.00",
            period=("2025-03-01", "2025-03-31"),
        ),
    ]
