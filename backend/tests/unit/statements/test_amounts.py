from decimal import Decimal

import pytest

from docproc.pipeline.statements.amounts import parse_amount, parse_number


@pytest.mark.parametrize(
    ("text", "value", "signed"),
    [
        ("1,234.56", "1234.56", False),
        ("1.234,56", "1234.56", False),
        ("1 234,56", "1234.56", False),
        ("1\u00a0234,56", "1234.56", False),
        ("1\u202f234,56", "1234.56", False),
        ("1'234.56", "1234.56", False),
        ("1,23,456.78", "123456.78", False),
        ("12,34,56,789.00", "123456789.00", False),
        ("1234.56", "1234.56", False),
        ("0.05", "0.05", False),
        ("-12.34", "-12.34", True),
        ("−12.34", "-12.34", True),
        ("- 12,30", "-12.30", True),
        ("+5.00", "5.00", True),
        ("12.34-", "-12.34", True),
        ("(12.34)", "-12.34", True),
        ("($1,012.34)", "-1012.34", True),
        ("12.34 CR", "12.34", True),
        ("12.34 DR", "-12.34", True),
        ("12.34 Cr", "12.34", True),
        ("12.34Dr", "-12.34", True),
        ("1,234.56D", "-1234.56", True),
        ("12.345,67 S", "-12345.67", True),
        ("12.345,67 H", "12345.67", True),
        ("$1,234.56", "1234.56", False),
        ("-$12.34", "-12.34", True),
        ("£4,292.03", "4292.03", False),
        ("€ 5,00", "5.00", False),
        ("A$12.00", "12.00", False),
        ("Rs.1,200.00", "1200.00", False),
        ("CHF 1'234.56", "1234.56", False),
        ("1.234,56 EUR", "1234.56", False),
    ],
)
def test_amounts_as_printed(text: str, value: str, signed: bool) -> None:
    amount = parse_amount(text)
    assert amount is not None, text
    assert amount.value == Decimal(value)
    assert amount.signed is signed


@pytest.mark.parametrize(
    "text",
    [
        "123456",
        "1,234",
        "12/03",
        "10-20-30",
        "1-800-555-0199",
        "24/7",
        "1.234.5",
        "12.3",
        "1,2345.67",
        "abc",
        "",
        "2020",
        "12,345,67.00",
        "1.234.567,891",
    ],
)
def test_not_money(text: str) -> None:
    assert parse_amount(text) is None


def test_currency_mark_is_reported() -> None:
    assert parse_amount("£4.00").currency == "GBP"  # type: ignore[union-attr]
    assert parse_amount("A$4.00").currency == "AUD"  # type: ignore[union-attr]
    assert parse_amount("4.00").currency is None  # type: ignore[union-attr]


def test_mixed_group_marks_are_rejected() -> None:
    assert parse_number("1,234.567,00") is None
    assert parse_number("1.234.56") is None
