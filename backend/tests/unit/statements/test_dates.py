import datetime as dt

import pytest

from docproc.pipeline.statements.dates import (
    DateParts,
    order_by_sequence,
    order_evidence,
    parse_date,
    to_date,
    year_for,
)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("13/05/2024", "dmy", dt.date(2024, 5, 13)),
        ("05/13/2024", "mdy", dt.date(2024, 5, 13)),
        ("03/04/25", "dmy", dt.date(2025, 4, 3)),
        ("03/04/25", "mdy", dt.date(2025, 3, 4)),
        ("05.01.2025", "dmy", dt.date(2025, 1, 5)),
        ("2025-01-05", "mdy", dt.date(2025, 1, 5)),
        ("05 Jan 25", "mdy", dt.date(2025, 1, 5)),
        ("Jan 5, 2025", "dmy", dt.date(2025, 1, 5)),
        ("Dec 29,2019", "mdy", dt.date(2019, 12, 29)),  # no space after the comma
        ("05-Jan-2024", "dmy", dt.date(2024, 1, 5)),
        ("5 January 2025", "dmy", dt.date(2025, 1, 5)),
        ("05. Mär 2025", "dmy", dt.date(2025, 3, 5)),
        ("17 déc. 2024", "dmy", dt.date(2024, 12, 17)),
        ("31/12/99", "dmy", dt.date(1999, 12, 31)),
    ],
)
def test_dates_with_year(text: str, order: str, expected: dt.date) -> None:
    parts = parse_date(text)
    assert parts is not None
    assert to_date(parts, order) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "day", "month"),
    [
        ("12th Feb", 12, 2),
        ("Dec 31", 31, 12),
        ("05 janv.", 5, 1),
        ("1st Mar", 1, 3),
        ("05.01.", 5, 1),
        ("Sep 8", 8, 9),
        ("24. 09.", 24, 9),  # DIN 5008 spacing, or OCR splitting '24.09.' at its point
    ],
)
def test_dates_without_year(text: str, day: int, month: int) -> None:
    parts = parse_date(text)
    assert parts is not None and parts.year is None
    assert parts.resolve("dmy")[:2] == (day, month)  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "10-20",
        "32/01/2025",
        "13/13/2025",
        "Total",
        "24 hours",
        "Page 1 of 2",
        "1-800-555",
        "12. 05",  # an amount whose point OCR spaced: no point closes the month
        "Jan 12,50",  # only a four-digit year follows a comma without a space
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def _parts(*texts: str) -> list[DateParts]:
    return [p for t in texts if (p := parse_date(t))]


def test_a_day_above_twelve_settles_the_order() -> None:
    assert order_evidence(_parts("01/02", "03/02", "13/02")) == "dmy"
    assert order_evidence(_parts("01/02", "01/13", "01/20")) == "mdy"


def test_dotted_dates_are_day_first() -> None:
    assert order_evidence(_parts("01.02.2025", "03.02.2025")) == "dmy"


def test_no_evidence_is_none_and_sequence_decides() -> None:
    dates = _parts("01/02", "01/03", "01/04", "02/01")
    assert order_evidence(dates) is None
    assert order_by_sequence(dates) == "mdy"  # Jan 2,3,4 then Feb 1 runs forward


def test_year_from_period_rolls_over_december_to_january() -> None:
    start, end = dt.date(2024, 12, 15), dt.date(2025, 1, 14)
    assert year_for(12, 20, start, end) == 2024
    assert year_for(1, 3, start, end) == 2025
    assert year_for(5, 3, None, None) is None


def test_a_spaced_date_with_its_year() -> None:
    parts = parse_date("24. 09. 2019")
    assert parts is not None and (parts.resolve("dmy"), parts.separator) == ((24, 9, 2019), ".")
