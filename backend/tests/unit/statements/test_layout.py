"""The layout engine on hand-placed words: what is a row, what is not, and the header fields."""

import datetime as dt
from decimal import Decimal

from docproc.pipeline.read.document import Document, Page, Word
from docproc.pipeline.statements import extract_statement
from tests.unit.statements.placed import line as _line
from tests.unit.statements.placed import right as _right


def _page(*lines: list[Word], number: int = 1) -> Page:
    return Page(number, 612, 792, [w for line in lines for w in line])


HEADER = _line(
    200,
    (40, "Date"),
    (110, "Description"),
    _right(380, "Withdrawals"),
    _right(460, "Deposits"),
    _right(540, "Balance"),
)


def _statement(*rows: list[Word], head: list[list[Word]] | None = None) -> Page:
    top = (
        head
        if head is not None
        else [
            _line(40, (40, "Harbor Savings Bank")),
            _line(60, (40, "Account number: 0012-3456-78")),
            _line(72, (40, "Statement period: 01/12/2024 to 31/12/2024")),
            _line(84, (40, "Opening balance"), _right(300, "1,000.00")),
            _line(96, (40, "Closing balance"), _right(300, "1,070.00")),
        ]
    )
    return _page(*top, HEADER, *rows)


def test_rows_wrapped_lines_footer_and_header_fields() -> None:
    page = _statement(
        _line(
            220,
            (40, "03/12"),
            (110, "CARD PAYMENT GROCER"),
            _right(380, "30.00"),
            _right(540, "970.00"),
        ),
        _line(231, (110, "LONDON REF 123456")),
        _line(244, (40, "15/12"), (110, "SALARY"), _right(460, "100.00"), _right(540, "1,070.00")),
        _line(258, (110, "Total"), _right(380, "30.00"), _right(460, "100.00")),
        _line(700, (40, "Call 0800 123 456 or visit us; fees of 12.50 apply from 01/01/2025.")),
    )
    statement = extract_statement(Document([page]))
    assert statement.bank_name == "Harbor Savings Bank"
    assert statement.account_number == "0012-3456-78"
    assert statement.period.start == dt.date(2024, 12, 1)
    assert statement.period.end == dt.date(2024, 12, 31)
    assert statement.opening_balance == Decimal("1000.00")
    assert statement.closing_balance == Decimal("1070.00")
    assert statement.currency is None  # shown nowhere: not guessed
    assert statement.account_holder is None
    rows = [(t.date, t.description, t.amount, t.balance) for t in statement.transactions]
    assert rows == [
        (
            dt.date(2024, 12, 3),
            "CARD PAYMENT GROCER LONDON REF 123456",
            Decimal("-30.00"),
            Decimal("970.00"),
        ),
        (dt.date(2024, 12, 15), "SALARY", Decimal("100.00"), Decimal("1070.00")),
    ]


def test_date_only_on_a_days_first_row_and_balance_on_its_last() -> None:
    page = _statement(
        _line(220, (40, "03/12"), (110, "COFFEE"), _right(380, "5.00")),
        _line(232, (110, "BOOKS"), _right(380, "25.00"), _right(540, "970.00")),
        _line(244, (40, "15/12"), (110, "SALARY"), _right(460, "100.00"), _right(540, "1,070.00")),
    )
    statement = extract_statement(Document([page]))
    assert [(t.date.day, t.amount, t.balance) for t in statement.transactions] == [
        (3, Decimal("-5.00"), None),
        (3, Decimal("-25.00"), Decimal("970.00")),
        (15, Decimal("100.00"), Decimal("1070.00")),
    ]


def test_ocr_confidence_is_the_rows_mean() -> None:
    page = _statement(
        _line(
            220,
            (40, "03/12"),
            (110, "COFFEE"),
            _right(380, "30.00"),
            _right(540, "970.00"),
            confidence=0.5,
        ),
        _line(
            244,
            (40, "15/12"),
            (110, "SALARY"),
            _right(460, "100.00"),
            _right(540, "1,070.00"),
            confidence=0.9,
        ),
    )
    statement = extract_statement(Document([page]))
    assert [t.confidence for t in statement.transactions] == [0.5, 0.9]


def test_nothing_shown_nothing_returned() -> None:
    page = _page(
        _line(40, (40, "Hello")), _line(60, (40, "01/02/2025 is a date, 12.00 is not a row"))
    )
    statement = extract_statement(Document([page]))
    assert statement.transactions == []
    assert statement.opening_balance is None and statement.bank_name is None
    assert extract_statement(Document([])).transactions == []


def test_address_block_gives_the_holder() -> None:
    head = [
        _line(40, (40, "JORDAN A MILLER")),
        _line(52, (40, "12 High Street")),
        _line(64, (40, "Leeds LS1 4AP")),
    ]
    page = _statement(
        _line(
            220, (40, "03/12/2024"), (110, "COFFEE"), _right(380, "30.00"), _right(540, "970.00")
        ),
        head=head,
    )
    assert extract_statement(Document([page])).account_holder == "JORDAN A MILLER"


def test_period_from_dated_balance_lines() -> None:
    head = [
        _line(40, (40, "Essential Checking"), (300, "August 9, 2019")),
        _line(60, (40, "Beginning balance on 7/11"), _right(300, "$1,000.00")),
        _line(72, (40, "Ending balance on 8/9"), _right(300, "$1,070.00")),
    ]
    page = _statement(
        _line(220, (40, "7/12"), (110, "COFFEE"), _right(380, "30.00"), _right(540, "970.00")),
        _line(244, (40, "8/2"), (110, "SALARY"), _right(460, "100.00"), _right(540, "1,070.00")),
        head=head,
    )
    statement = extract_statement(Document([page]))
    assert statement.period.start == dt.date(2019, 7, 11)
    assert statement.period.end == dt.date(2019, 8, 9)
    assert statement.currency == "USD"
    assert [t.date for t in statement.transactions] == [dt.date(2019, 7, 12), dt.date(2019, 8, 2)]


def test_a_period_ending_a_sentence_is_read() -> None:
    head = [
        _line(40, (40, "Harbor Savings Bank")),
        _line(60, (40, "Statement period: Aug 14, 2026 to Sep 12, 2026.")),
    ]
    page = _statement(
        _line(220, (40, "Sep 03"), (110, "COFFEE"), _right(380, "30.00"), _right(540, "970.00")),
        head=head,
    )
    statement = extract_statement(Document([page]))
    assert (statement.period.start, statement.period.end) == (
        dt.date(2026, 8, 14),
        dt.date(2026, 9, 12),
    )
