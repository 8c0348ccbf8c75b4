"""The table on OCR'd words: misread date and money cells read a second time, garbled money kept
out of descriptions, and pages whose header OCR garbled still read."""

from decimal import Decimal

import pytest

from docproc.models import BankStatement
from docproc.pipeline.read.document import Document, Page, Word
from docproc.pipeline.statements import extract_statement
from docproc.pipeline.statements.reconcile import reconcile
from docproc.pipeline.statements.table import line_kind
from tests.unit.statements.placed import line
from tests.unit.statements.placed import right as _right

OCR = 0.9  # OCR words carry a confidence; a text layer's don't


def _line(y: float, *cells: tuple[float, str], confidence: float | None = OCR) -> list[Word]:
    return line(y, *cells, confidence=confidence)


def _header(y: float, description: str = "Description", amount: str = "Amount") -> list[Word]:
    return _line(y, (40, "Date"), (110, description), _right(380, amount), _right(480, "Balance"))


def _row(y: float, date: str, text: str, amount: str, balance: str, **kw: float | None) -> list:
    return _line(y, (40, date), (110, text), _right(380, amount), _right(480, balance), **kw)


def _read(*pages: list[list[Word]]) -> BankStatement:
    head = [
        _line(40, (40, "Harbor Savings Bank")),
        _line(60, (40, "Statement period: 1 May 2024 to 31 May 2024")),
    ]
    built = [
        Page(n + 1, 612, 792, [w for line in (head if n == 0 else []) + lines for w in line])
        for n, lines in enumerate(pages)
    ]
    return extract_statement(Document(built))


def _rows(statement: BankStatement) -> list[tuple[int, str, Decimal, Decimal | None]]:
    return [(t.date.day, t.description, t.amount, t.balance) for t in statement.transactions]


def test_misread_money_and_dates_of_ocr_rows_are_read() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "- A$404. 87", "1,595.13"),
            _row(134, "OS May", "BOOKS", "-25.00", "1 -570.13"),
            _row(148, "llth May", "SALARY", "A$2 ,994.36", "4,S64.49"),
        ]
    )
    assert _rows(statement) == [
        (2, "COFFEE", Decimal("-404.87"), Decimal("1595.13")),
        (5, "BOOKS", Decimal("-25.00"), Decimal("1570.13")),  # one number, its comma misread
        (11, "SALARY", Decimal("2994.36"), Decimal("4564.49")),  # 'S' is a 5 misread
    ]


def test_a_text_layer_is_read_strictly() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13", confidence=None),
            _row(134, "OS May", "BOOKS", "- 404. 87", "1,190.26", confidence=None),
        ]
    )
    assert _rows(statement) == [(2, "COFFEE", Decimal("-4.87"), Decimal("1595.13"))]


def test_garbled_money_is_not_description_text() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "33:2:7:7:;59"),
            _row(134, "03 May", "BOOKS", "-5.00", "1,590.26"),
        ]
    )
    assert _rows(statement) == [
        (2, "COFFEE", Decimal("-4.87"), None),
        (3, "BOOKS", Decimal("-5.00"), Decimal("1590.26")),
    ]


def test_second_readings_make_the_row_as_sure_as_its_least_sure_word() -> None:
    def row(y: float, amount: str) -> list[Word]:
        return [
            *_line(y, (40, "03 May"), (110, "BOOKS"), _right(480, "1,190.26"), confidence=0.9),
            *_line(y, _right(380, amount), confidence=0.4),
        ]

    statement = _read([_header(100), row(120, "-404.87"), row(134, "- A$404. 87")])
    plain, reread = statement.transactions
    assert plain.amount == reread.amount == Decimal("-404.87")
    assert plain.confidence is not None and plain.confidence > 0.6  # the mean of its words
    assert reread.confidence == 0.4


@pytest.mark.parametrize("garbled_page", [1, 2])
def test_a_page_whose_header_ocr_garbled_is_read_with_the_other_pages_header(
    garbled_page: int,
) -> None:
    def header(y: float, page: int) -> list[Word]:
        if page == garbled_page:  # too garbled for a header
            return _header(y, description="Descr1pt10n", amount="Arnount")
        return _header(y)

    statement = _read(
        [
            header(100, 1),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _row(134, "03 May", "BOOKS", "-5.00", "1,590.13"),
        ],
        [
            _line(40, (40, "Harbor Savings Bank")),
            header(70, 2),
            _row(90, "04 May", "SALARY", "100.00", "1,690.13"),
            _row(104, "05 May", "RENT", "-90.00", "1,600.13"),
        ],
    )
    assert [(t.page, t.description) for t in statement.transactions] == [
        (1, "COFFEE"),
        (1, "BOOKS"),
        (2, "SALARY"),
        (2, "RENT"),
    ]


def test_forward_lines_are_known_without_their_accents() -> None:
    assert line_kind("Übertrag auf Seite 2") == "continued"
    assert line_kind("Ubertrag auf Seite 2") == "continued"
    assert line_kind("Solde precedent") == "opening"


def test_a_row_whose_date_ocr_garbled_does_not_end_the_table() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _line(134, (40, "L5:.:-OkE"), confidence=0.3)  # its amount is on the next line
            + _line(134, (110, "BOOKS AND")),
            _line(145, (110, "MAPS"), _right(380, "-5.00"), _right(480, "1,590.13")),
            _row(159, "04 May", "SALARY", "100.00", "1,690.13"),
        ]
    )
    assert _rows(statement) == [
        (2, "COFFEE", Decimal("-4.87"), Decimal("1595.13")),
        (2, "BOOKS AND MAPS", Decimal("-5.00"), Decimal("1590.13")),  # dated like the row above
        (4, "SALARY", Decimal("100.00"), Decimal("1690.13")),
    ]
    books = statement.transactions[1]
    assert books.confidence == 0.3  # as sure as its garbled date


def test_an_unreadable_date_line_that_no_row_follows_ends_the_table() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _line(134, (40, "Pa9e l of 2")),  # a footer, read badly
            _line(148, (110, "Deposits are insured")),
            _line(162, (110, "up to the legal limit")),
            _line(176, (110, "per depositor.")),
            _row(400, "03 May", "PENDING CARD HOLD", "-9.99", "1,585.14"),  # another table
        ]
    )
    assert _rows(statement) == [(2, "COFFEE", Decimal("-4.87"), Decimal("1595.13"))]


def test_a_speck_overrunning_a_column_start_does_not_join_two_cells() -> None:
    description = _line(134, (52, "RENT"), (71.5, "—s"))  # the speck ends 0.5 pt into the date
    statement = _read(
        [
            _line(
                100, (40, "Details"), (80, "Date"), _right(380, "Amount"), _right(480, "Balance")
            ),
            _line(120, (40, "COFFEE"), (80, "02 May"), _right(380, "-4.87"), _right(480, "1.00")),
            description + _line(134, (80, "03 May"), _right(380, "-5.00"), _right(480, "-4.00")),
        ]
    )
    assert [(t.date.day, t.amount) for t in statement.transactions] == [
        (2, Decimal("-4.87")),
        (3, Decimal("-5.00")),
    ]


def test_a_total_label_in_the_date_column_is_not_a_garbled_date() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _line(134, (40, "Totals"), _right(380, "4.87"), _right(480, "1,595.13")),
        ]
    )
    assert _rows(statement) == [(2, "COFFEE", Decimal("-4.87"), Decimal("1595.13"))]


def test_a_headerless_page_whose_money_stands_elsewhere_is_another_table() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _row(134, "03 May", "BOOKS", "-5.00", "1,590.13"),
        ],
        [
            _line(40, (40, "Summary of checks written")),
            _line(60, (40, "367"), (80, "5/16"), _right(160, "15.00"), (200, "368")),
        ],
    )
    assert [t.description for t in statement.transactions] == ["COFFEE", "BOOKS"]


def test_a_row_whose_money_ocr_garbled_does_not_end_the_table() -> None:
    def row(y: float, date: str, value: str, text: str, amount: str, balance: str) -> list[Word]:
        cells = [(40, date)] if date else []
        cells += [(110, value), (180, text), _right(380, amount), _right(480, balance)]
        return _line(y, *cells)

    statement = _read(
        [
            _line(100, (40, "Date"), (110, "Value date"), (180, "Text"), _right(380, "Amount"))
            + _line(100, _right(480, "Balance")),
            row(120, "02 May", "02 May", "COFFEE", "-4.87", "1,595.13"),
            row(134, "", "02 May", "BOOKS", "-5OO0", "l59O!3"),  # no money left to read
            row(148, "", "Dz 2021", "RENT", "-90.00", "1,500.13"),  # a garbled value date
        ]
    )
    assert [(t.date.day, t.description, t.amount) for t in statement.transactions] == [
        (2, "COFFEE", Decimal("-4.87")),
        (2, "RENT", Decimal("-90.00")),
    ]
    # the lost row is never dropped unsaid: the result and its reconciliation name it
    unread = (statement.model_extra or {})["unread_rows"]
    assert [(u["page"], "BOOKS" in u["text"]) for u in unread] == [(1, True)]
    assert reconcile(statement)["unread_rows"] == unread


def test_a_speck_read_as_a_letter_does_not_end_the_table() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _line(132, (40, "I")),  # dust between two rows
            _row(145, "03 May", "BOOKS", "-5.00", "1,590.13"),
        ]
    )
    assert [t.description for t in statement.transactions] == ["COFFEE", "BOOKS"]


def test_rows_are_looked_for_past_a_garbled_rows_wrapped_lines() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _row(134, "Dec", "CARD PAYMENT", "CHF :2::399:5", "l59O!3"),  # no money to read
            *(
                _line(145 + 11 * n, (110, text))
                for n, text in enumerate(["SHOP", "LONDON", "REF 1"])
            ),
            _line(178, (110, "Card2799")),
            _row(192, "04 May", "SALARY", "100.00", "1,690.13"),
        ]
    )
    assert [t.description for t in statement.transactions] == ["COFFEE", "SALARY"]


def test_a_date_that_reads_as_money_too_is_a_date_under_the_date_heading() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02.05.", "COFFEE", "-4.87", "1,595.13"),
            _row(134, "04.05", "BOOKS", "-5.00", "1,590.13"),  # its closing point lost
        ]
    )
    assert [(t.date.day, t.amount) for t in statement.transactions] == [
        (2, Decimal("-4.87")),
        (4, Decimal("-5.00")),
    ]


def test_a_misread_date_run_into_the_description_is_read() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13"),
            _line(
                134,
                (40, "O4.. May 2024 BOOKS AND MAPS"),
                _right(380, "-5.00"),
                _right(480, "1,590.13"),
            ),
        ]
    )
    assert [(t.date.day, t.description) for t in statement.transactions] == [
        (2, "COFFEE"),
        (4, "BOOKS AND MAPS"),
    ]


def test_headerless_money_columns_count_misread_money() -> None:
    balances = ["4 -456,93", "4 -095,20", "8.206,16", "7 -874,76", "7 -541,01", "9 -536,11"]
    amounts = ["348,15", "361,73", "4.110,96", "331,40", "333,75", "1.995,10"]
    statement = _read(
        [
            _line(100 + 14 * n, (40, f"2{n} juil."), (97, "CARD PAYMENT"))
            + _line(100 + 14 * n, _right(286, amount), _right(376, balance))
            for n, (amount, balance) in enumerate(zip(amounts, balances, strict=True))
        ]
    )
    assert [t.description for t in statement.transactions] == ["CARD PAYMENT"] * 6
    assert [t.balance for t in statement.transactions][:2] == [
        Decimal("4456.93"),
        Decimal("4095.20"),
    ]


def test_a_row_with_money_whose_date_cannot_be_placed_is_reported_not_dropped() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "-4.87", "1,595.13", confidence=None),
            _row(134, "31 Feb", "BOOKS", "-5.00", "1,590.13", confidence=None),  # no such day
            _row(148, "04 May", "SALARY", "100.00", "1,690.13", confidence=None),
        ]
    )
    assert [t.description for t in statement.transactions] == ["COFFEE", "SALARY"]
    assert reconcile(statement)["unread_rows"] == [{"page": 1, "text": "BOOKS"}]


def test_a_day_ocr_set_a_cell_apart_from_its_month_is_read_with_it() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May 2024", "COFFEE", "-4.87", "1,595.13"),
            # '25. May 2024' with its point lost: the day stands a cell gap from the month
            _line(
                134, (40, "25"), (58, "May 2024"), (110, "BOOKS"), _right(380, "-5.00"),
                _right(480, "1,590.13"),
            ),
            _row(148, "26 May 2024", "SALARY", "100.00", "1,690.13"),
        ]
    )  # fmt: skip
    assert [(t.date.day, t.description) for t in statement.transactions] == [
        (2, "COFFEE"),
        (25, "BOOKS"),
        (26, "SALARY"),
    ]


@pytest.mark.parametrize(("printed", "day"), [("24. 05.", 24), ("25% 05.", 25)])
def test_a_date_ocr_split_at_its_point_is_read(printed: str, day: int) -> None:
    header, first = _header(100), _row(120, "02.05.", "COFFEE", "-4.87", "1595.13")
    statement = _read([header, first, _row(134, printed, "BOOKS", "-5.00", "1590.13")])
    assert [(t.date.day, t.date.month) for t in statement.transactions] == [(2, 5), (day, 5)]


def test_a_currency_mark_set_apart_in_a_money_column_is_not_description() -> None:
    statement = _read(
        [
            _header(100),
            _row(120, "02 May", "COFFEE", "Rs.4.87", "Rs.1595.13 CR"),
            _row(134, "03 May", "BOOKS", "Rs.5.00", "Rs -1590.13 CR"),  # 'Rs.' its point a dash
        ]
    )
    assert [t.description for t in statement.transactions] == ["COFFEE", "BOOKS"]
