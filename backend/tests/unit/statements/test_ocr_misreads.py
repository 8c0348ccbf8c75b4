"""Second readings of OCR'd money and date cells: look-alike glyphs and garbled separators
undone where one reading is left; anything that could be read two ways stays unread."""

from decimal import Decimal

import pytest

from docproc.pipeline.statements.amounts import parse_amount
from docproc.pipeline.statements.dates import parse_date
from docproc.pipeline.statements.misreads import ocr_amount, ocr_date


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("- A$404. 87", "-404.87"),  # a space after the point
        ("A$2 ,994.36", "2994.36"),  # a space before the comma
        ("AS$1,046.60", "1046.60"),  # the currency mark misread
        ("AS3 ,926.93", "3926.93"),
        ("CHF 1°478.78", "1478.78"),  # an apostrophe read as a degree sign
        ("22971: 94", "22971.94"),  # the point read as a colon
        ("1,885 -38", "1885.38"),  # ... or as a dash
        ("£3677 - 46", "3677.46"),
        ("(462 -09)", "-462.09"),
        ("112: 09-", "-112.09"),
        ("€995 36", "995.36"),  # the comma lost, the cents still apart
        ("6 -615,97", "6615.97"),  # a group point read as a dash
        ("1S 317,53", "15317.53"),  # 5 read as S
        ("$189. T2", "189.72"),  # 7 read as T
        ("39071. L7", "39071.17"),
        ("~CHF 272.01", "-272.01"),  # a minus read as a tilde
        ("=€212. 54", "-212.54"),
        ("199.,52=", "-199.52"),  # ... and a minus after it as '='
        ("3 “215,12 CR", "3215.12"),  # a group point read as a quote
        ("Rs .7935.48 CR", "7935.48"),  # the point of the mark 'Rs.' set on the number
        ("Rs, 2331.30", "2331.30"),  # ... or read as a comma
    ],
)
def test_misread_money_is_read(text: str, value: str) -> None:
    assert parse_amount(text) is None  # the strict reader refuses it
    amount = ocr_amount(text)
    assert amount is not None and amount.value == Decimal(value)


@pytest.mark.parametrize(
    "text",
    [
        "355553",  # no mark left: the point may have been read as a digit (355.53)
        "091 16",  # a leading zero: a digit was lost
        "33:2:7:7:;59",  # groups no number has
        "1.00 234.56",  # two amounts, not one with broken marks
        "975.76 29,537.06 CR",
        "12.50 1,234.56",
        "REF 12: 34",  # a word, then digits: description, not a currency mark
        "S12.50",  # '$' or '5'? not said
        "18,979.83 Cl CR",
        "$3'75",  # an apostrophe groups thousands; it never marks the cents
        "3 ~308,78",  # a tilde stood for more than a separator here (3.368,78)
        "CHF .12.00",  # 'CHF.' is no mark: the point is not the mark's
    ],
)
def test_what_could_be_read_two_ways_stays_unread(text: str) -> None:
    assert ocr_amount(text) is None


def test_what_the_strict_reader_reads_is_not_changed() -> None:
    assert ocr_amount("1.234,56-") == parse_amount("1.234,56-")
    assert ocr_amount("(12.34)") == parse_amount("(12.34)")


@pytest.mark.parametrize(
    ("text", "day", "month", "year"),
    [
        ("O1 Jun 19", 1, 6, 2019),
        ("OS Apr", 5, 4, None),
        ("Ol Oct", 1, 10, None),
        ("Sth Jun", 5, 6, None),
        ("llth May", 11, 5, None),
        ("lith May", 11, 5, None),
        ("Feb 27% 2024", 27, 2, 2024),
        ("Feb 21; 2024", 21, 2, 2024),
        ("Feb 27%", 27, 2, None),
        ("30, Nov 2021", 30, 11, 2021),
        ("21,. Dez 2021", 21, 12, 2021),
        ("Jun il, 2020", 11, 6, 2020),  # a look-alike day before the comma
        ("O1/11/25", 1, 11, 2025),  # a look-alike in a numeric date
        ("LO: Feb 2025", 10, 2, 2025),  # look-alikes, the day's point read as a colon
    ],
)
def test_misread_dates_are_read(text: str, day: int, month: int, year: int | None) -> None:
    assert parse_date(text) is None
    parts = ocr_date(text)
    assert parts is not None
    assert parts.resolve("dmy") == (day, month, year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("11+01-2025", (11, 1, 2025)), ("25% 09.", (25, 9, None)), ("07:10.", (7, 10, None))],
)
def test_a_numeric_date_with_one_odd_separator(
    text: str, expected: tuple[int, int, int | None]
) -> None:
    parts = ocr_date(text)
    assert parts is not None and parts.resolve("dmy") == expected


@pytest.mark.parametrize("text", ["Sep", "Interest", "IS", "Total", "i/1", "S/T"])
def test_no_date_is_made_from_words(text: str) -> None:
    assert ocr_date(text) is None


@pytest.mark.parametrize(
    ("text", "month"),
    [("OL. Mir 2022", 3), ("13. Miir 2022", 3), ("5 aoQt 2024", 8), ("9 dxc 2020", 12)],
)
def test_a_month_whose_accented_letter_ocr_misread(text: str, month: int) -> None:
    parts = ocr_date(text)
    assert parts is not None and parts.second == month


@pytest.mark.parametrize(
    "text",
    [
        "12 Jin 2024",  # 'Jän' (January) misread, or 'Jun' (June)? not said
        "2 Mer 2024",  # 'Mär' or Dutch 'Mei'?
    ],
)
def test_a_misread_month_two_months_could_be_stays_unread(text: str) -> None:
    assert ocr_date(text) is None
