import datetime as dt
from decimal import Decimal

from docproc.models import BankStatement, Transaction
from docproc.pipeline.statements.ocr_suspects import alternative_readings, suspected_ocr_errors
from docproc.pipeline.statements.reconcile import reconcile


def statement(rows: list[tuple[str, str | None]], *, ocr: bool = True) -> BankStatement:
    """Opening 1000.00; rows of (amount, printed balance); closing = last printed balance."""
    transactions = [
        Transaction(
            date=dt.date(2025, 1, 2 + i),
            description=f"row {i}",
            amount=Decimal(amount),
            balance=Decimal(balance) if balance else None,
            page=1,
            confidence=0.8 if ocr else None,
        )
        for i, (amount, balance) in enumerate(rows)
    ]
    closing = next(t.balance for t in reversed(transactions) if t.balance is not None)
    return BankStatement(
        opening_balance=Decimal("1000.00"), closing_balance=closing, transactions=transactions
    )


def test_an_amount_with_a_3_read_for_an_8_is_suspected_with_its_candidate() -> None:
    # The page says -38.00 but the chain needs -88.00 (1000.00 - 88.00 = 912.00).
    found = suspected_ocr_errors(statement([("-38.00", "912.00"), ("-12.00", "900.00")]))
    assert [(s["index"], s["field"], s["printed"], s["candidate"]) for s in found] == [
        (0, "amount", "-38.00", "-88.00")
    ]
    assert found[0]["slip"] == "8→3"


def test_a_lost_minus_is_suspected() -> None:
    found = suspected_ocr_errors(statement([("50.00", "950.00")]))
    assert ("amount", "-50.00", "lost minus") in {
        (s["field"], s["candidate"], s["slip"]) for s in found
    }


def test_a_misread_printed_balance_is_suspected_on_the_balance() -> None:
    # 1000 - 100 = 900.00, printed 980.00 (an 8 for a 0); the next row follows from 900.00.
    found = suspected_ocr_errors(statement([("-100.00", "980.00"), ("-10.00", "890.00")]))
    assert {(s["index"], s["field"], s["candidate"]) for s in found} >= {(0, "balance", "900.00")}


def test_a_lost_decimal_point_is_suspected() -> None:
    found = suspected_ocr_errors(statement([("-1234.00", "987.66")]))
    assert ("-12.34", "lost decimal point") in {(s["candidate"], s["slip"]) for s in found}


def test_text_layer_statements_and_clean_chains_have_no_suspects() -> None:
    assert suspected_ocr_errors(statement([("-38.00", "912.00")], ocr=False)) == []
    assert suspected_ocr_errors(statement([("-88.00", "912.00")])) == []


def test_a_break_no_single_slip_explains_is_not_guessed_at() -> None:
    assert suspected_ocr_errors(statement([("-41.27", "912.00")])) == []


def test_reconcile_reports_suspects_and_never_changes_the_numbers() -> None:
    bad = statement([("-38.00", "912.00")])
    result = reconcile(bad)
    assert result["status"] == "unbalanced"
    assert result["suspected_ocr_errors"][0]["candidate"] == "-88.00"
    assert bad.transactions[0].amount == Decimal("-38.00")


def test_alternative_readings_change_one_character_at_a_time() -> None:
    readings = {str(value) for value, _ in alternative_readings(Decimal("18.50"))}
    assert {"78.50", "13.50", "18.60", "-18.50"} <= readings
    assert "73.50" not in readings
