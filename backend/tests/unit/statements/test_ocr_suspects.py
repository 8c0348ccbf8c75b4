"""Suspected OCR slips: constructed statements whose running balance breaks where one number was
misread in a known way, and breaks no single slip explains (which must suspect nothing)."""

import datetime as dt
from decimal import Decimal

import pytest

from docproc.models import BankStatement, Transaction
from docproc.pipeline.statements.ocr_suspects import (
    MAX_LISTED,
    reading_slip,
    suspected_ocr_errors,
)
from docproc.pipeline.statements.reconcile import reconcile

D = Decimal


def statement(
    rows: list[tuple[str, str | None]],
    *,
    opening: str = "1000.00",
    closing: str | None = None,
    ocr: bool = True,
    **extra: object,
) -> BankStatement:
    """Rows of (amount, printed balance), one day apart; closing defaults to the last balance."""
    transactions = [
        Transaction(
            date=dt.date(2025, 1, 2) + dt.timedelta(days=i),
            description=f"row {i}",
            amount=D(amount),
            balance=D(balance) if balance else None,
            page=1,
            confidence=0.8 if ocr else None,
        )
        for i, (amount, balance) in enumerate(rows)
    ]
    if closing is None:
        closing = next(str(t.balance) for t in reversed(transactions) if t.balance is not None)
    return BankStatement(
        opening_balance=D(opening),
        closing_balance=D(closing),
        transactions=transactions,
        **extra,
    )


def found(s: BankStatement) -> list[tuple[object, ...]]:
    return [
        (x["index"], x["field"], x["printed"], x["candidate"], x["slip"])
        for x in suspected_ocr_errors(s)
    ]


# (true value as printed, value as read, slip) for every kind of slip.
SLIPS = [
    ("-88.00", "-38.00", "8→3"),
    ("23663.78", "22663.78", "3→2"),
    ("-50.00", "50.00", "lost minus"),
    ("50.00", "-50.00", "spurious minus"),
    ("17389.67", "7389.67", "dropped 1"),  # a leading digit
    ("1245.35", "125.35", "dropped 4"),  # an inner digit
    ("11135.21", "135.21", "lost leading 11"),  # "11,135.21" read "135.21"
    ("1204711.00", "711.00", "lost leading 1204"),
    ("45.00", "445.00", "doubled 4"),
    ("45.00", "475.00", "spurious 7"),
    ("12.34", "1234.00", "lost decimal point"),
]


@pytest.mark.parametrize(("true", "read", "slip"), SLIPS)
def test_each_slip_kind_is_named(true: str, read: str, slip: str) -> None:
    found_slip = reading_slip(D(read), D(true))
    assert found_slip is not None and found_slip.detail == slip


@pytest.mark.parametrize(
    ("true", "read"),
    [
        ("18.50", "18.50"),  # no slip
        ("18.50", "73.50"),  # two glyphs
        ("18.50", "19.50"),  # 8/9 is not a confusion OCR makes here
        ("19559.48", "-559.48"),  # a lost group and a minus: two slips
        ("17389.67", "7389.76"),  # a dropped digit and a swap
        ("1389.67", "389.76"),
        ("12.34", "12.43"),  # transposed cents
        ("-45.00", "445.00"),
    ],
)
def test_more_than_one_slip_is_no_slip(true: str, read: str) -> None:
    assert reading_slip(D(read), D(true)) is None


@pytest.mark.parametrize(("true", "read", "slip"), SLIPS)
def test_a_misread_amount_is_suspected_with_its_true_value(true: str, read: str, slip: str) -> None:
    balance = D("2461.59") + D(true)
    s = statement([(read, str(balance)), ("-12.00", str(balance - 12))], opening="2461.59")
    first, *others = found(s)
    assert first == (0, "amount", read, true, slip)
    # A round difference can also be the opening balance read one slip off: listed after.
    assert all(other[1] == "opening_balance" for other in others)


@pytest.mark.parametrize(("true", "read", "slip"), SLIPS)
def test_a_misread_printed_balance_is_suspected_alone(true: str, read: str, slip: str) -> None:
    # The balance after row 1 is `true`; it was read as `read`. Both links around it break, and
    # the one reading explains both: no amount is suspected.
    first = D(true) - D("2461.59")
    rows = [(str(first), read), ("-10.00", str(D(true) - 10)), ("5.00", str(D(true) - 5))]
    s = statement(rows, opening="2461.59")
    assert found(s) == [(0, "balance", read, true, slip)]


def test_two_misread_balances_in_a_row_are_both_suspected() -> None:
    # A held-out scan: "11,135.21" and "17,521.58" read "135.21" and "521.58".
    s = statement(
        [("10135.21", "135.21"), ("6386.37", "521.58"), ("-21.58", "17500.00")],
    )
    assert found(s) == [
        (0, "balance", "135.21", "11135.21", "lost leading 11"),
        (1, "balance", "521.58", "17521.58", "lost leading 17"),
    ]


def test_misread_opening_and_closing_balances_are_suspected() -> None:
    opening = statement([("-100.00", "17289.67")], opening="7389.67")
    assert found(opening) == [(None, "opening_balance", "7389.67", "17389.67", "dropped 1")]
    closing = statement([("-200.00", "800.00")], closing="300.00")
    assert found(closing) == [(None, "closing_balance", "300.00", "800.00", "8→3")]


def test_a_break_several_slips_explain_lists_them_all_likeliest_first() -> None:
    # Either -38.00 (8→3) or -20.00 (7→2) would make the printed 892.00; -20.00 (a dropped 5
    # of -520.00?) does not: that would be 450.00 short, not 50.00.
    s = statement([("-38.00", None), ("-20.00", None), ("0.00", "892.00")])
    s.transactions[1].confidence = 0.5  # the less confident reading first
    result = suspected_ocr_errors(s)
    assert [(x["index"], x["candidate"], x["slip"], x["alternatives"]) for x in result] == [
        (1, "-70.00", "7→2", 1),
        (0, "-88.00", "8→3", 1),
    ]


def test_a_break_many_rows_could_explain_lists_the_likeliest_few() -> None:
    rows: list[tuple[str, str | None]] = [("-38.00", None)] * 20
    s = statement(rows, closing=str(D("1000.00") - 20 * D("38.00") - 50))
    s.transactions[7].confidence = 0.4
    result = suspected_ocr_errors(s)
    assert len(result) == MAX_LISTED
    assert result[0]["index"] == 7
    assert {x["alternatives"] for x in result} == {19}


def test_rows_without_balances_are_checked_against_the_closing_balance() -> None:
    s = statement([("-38.00", None), ("-12.00", None)], closing="900.00")
    assert found(s) == [(0, "amount", "-38.00", "-88.00", "8→3")]


def test_newest_first_and_credit_card_chains_are_followed() -> None:
    newest_first = statement([("-38.00", "912.00"), ("-12.00", "900.00")])
    newest_first.transactions.reverse()  # printed newest first: the chain runs bottom up
    assert found(newest_first) == [(1, "amount", "-38.00", "-88.00", "8→3")]
    # A card's balance is what is owed: a purchase of 88.00 raises it.
    card = statement([("-88.00", "1088.00"), ("12.00", "1076.00")], account_type="credit_card")
    assert found(card) == []
    misread = statement([("-38.00", "1088.00"), ("12.00", "1076.00")], account_type="credit_card")
    assert found(misread) == [(0, "amount", "-38.00", "-88.00", "8→3")]


@pytest.mark.parametrize(
    "rows",
    [
        [("-41.27", "912.00")],  # a break no single slip explains
        [("-100.00", "900.00"), ("-55.55", "788.88")],
        # a missing row of -77.77: the next printed balance is 77.77 short
        [("-10.00", "990.00"), ("-20.00", "892.23"), ("-30.00", "862.23")],
    ],
)
def test_a_real_break_no_single_slip_explains_suspects_nothing(
    rows: list[tuple[str, str | None]],
) -> None:
    assert found(statement(rows)) == []


def test_text_layer_statements_and_clean_chains_have_no_suspects() -> None:
    assert suspected_ocr_errors(statement([("-38.00", "912.00")], ocr=False)) == []
    assert suspected_ocr_errors(statement([("-88.00", "912.00")])) == []


def test_a_long_statement_without_balances_is_searched_in_one_pass() -> None:
    rows: list[tuple[str, str | None]] = [("-1.11", None)] * 5000
    rows[4321] = ("-2.11", None)  # read for -1.11? No: 1→2 is not a slip; the closing says -1.11
    total = D("1000.00") + D("-1.11") * 5000
    s = statement(rows, closing=str(total))
    assert found(s) == []
    rows[4321] = ("-7.11", None)  # 1→7: suspected, once, on that row
    s = statement(rows, closing=str(total))
    assert found(s) == [(4321, "amount", "-7.11", "-1.11", "1→7")]


def test_reconcile_reports_suspects_and_never_changes_the_numbers() -> None:
    bad = statement([("-38.00", "912.00")])
    result = reconcile(bad)
    assert result["status"] == "unbalanced"
    (suspect,) = result["suspected_ocr_errors"]
    assert suspect["candidate"] == "-88.00"
    assert suspect["confidence"] == 0.8 and suspect["alternatives"] == 0
    assert bad.transactions[0].amount == D("-38.00")
