"""Dates as printed: numeric in either order, month names in many languages, year or none.

Parsing gives `DateParts`; which of day/month comes first in `03/04` is settled once per document
(`decide_order`) from all its dates, and a missing year comes from the statement period.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from docproc.pipeline.statements.conventions import fold_accents, month_index

Order = Literal["dmy", "mdy"]

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})(?:\2(\d{4}|\d{2}))?\.?$")
# '24. 09.', '24. 09. 2019': day and month each closed by a point and a space (DIN 5008 prints
# it so; OCR splits '24.09.' there in monospaced print). Without the closing point, '12. 05' is
# an amount whose point OCR spaced, not a date.
_SPACED_POINTS = re.compile(r"^(\d{1,2})\. ?(\d{1,2})\.(?: ?(\d{4}|\d{2}))?$")
_DAY_MONTH = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th|er)?\.?[\s\-/]*([^\W\d_]{3,}\.?)[\s\-/,]*(\d{4}|\d{2})?$"
)
_MONTH_DAY = re.compile(  # 'Dec 29, 2019'; 'Dec 29,2019' (a space OCR or a bank left out)
    r"^([^\W\d_]{3,}\.?)[\s\-]*(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:(?:,?[\s\-]+|,(?=\d{4}$))(\d{4}|\d{2}))?$"
)


@dataclass(frozen=True, slots=True)
class DateParts:
    first: int  # day or month, see `ambiguous`
    second: int
    year: int | None
    ambiguous: bool  # numeric "a/b": the document decides which is the day
    separator: str = ""

    def resolve(self, order: Order) -> tuple[int, int, int | None] | None:
        """(day, month, year) under `order`, or None when impossible."""
        day, month = (
            (self.second, self.first)
            if self.ambiguous and order == "mdy"
            else (self.first, self.second)
        )
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return day, month, self.year


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if len(text) == 2:
        return 2000 + value if value < 70 else 1900 + value
    return value if 1900 <= value <= 2100 else None


def _month(word: str) -> int | None:
    key = fold_accents(word.lower().rstrip("."))  # the index holds folded spellings too
    index = month_index()
    return index.get(key) or (index.get(key[:3]) if key.isalpha() and len(key) > 3 else None)


def parse_date(text: str) -> DateParts | None:
    """`text` as a whole read as a date, or None."""
    text = text.strip()
    if len(text) < 3 or len(text) > 20:
        return None
    if match := _ISO.match(text):
        y, m, d = (int(g) for g in match.groups())
        return DateParts(d, m, y, False) if 1 <= m <= 12 and 1 <= d <= 31 else None
    if match := _NUMERIC.match(text):
        a, sep, b, year_text = match.groups()
        if sep == "-" and year_text is None:
            return None  # "10-20" is more often a range or a code than a date
        return _numeric(int(a), int(b), year_text, sep)
    if match := _SPACED_POINTS.match(text):
        a, b, year_text = match.groups()
        return _numeric(int(a), int(b), year_text, ".")
    return _named(text)


def _numeric(first: int, second: int, year_text: str | None, sep: str) -> DateParts | None:
    if not (1 <= first <= 31 and 1 <= second <= 31) or (first > 12 and second > 12):
        return None
    return DateParts(first, second, _year(year_text), True, sep)


def _named(text: str) -> DateParts | None:
    if match := _DAY_MONTH.match(text):
        day, word, year = match.groups()
    elif match := _MONTH_DAY.match(text):
        word, day, year = match.groups()
    else:
        return None
    month = _month(word)
    if month is None or not 1 <= int(day) <= 31:
        return None
    return DateParts(int(day), month, _year(year), False)


def order_evidence(dates: Iterable[DateParts]) -> Order | None:
    """Day-first or month-first when the dates themselves say so: a part above 12 settles it,
    then the separator ('.' is day-first); None when they could be read either way."""
    numeric = [d for d in dates if d.ambiguous]
    day_first = sum(1 for d in numeric if d.first > 12)
    month_first = sum(1 for d in numeric if d.second > 12)
    if day_first != month_first:
        return "dmy" if day_first > month_first else "mdy"
    if any(d.separator == "." for d in numeric):
        return "dmy"
    return None


def order_by_sequence(dates: Iterable[DateParts]) -> Order | None:
    """The order that keeps the dates in sequence, when one does so better than the other."""
    numeric = [d for d in dates if d.ambiguous]

    def steps_back(order: Order) -> int:
        keys = [(p[2] or 0, p[1], p[0]) for d in numeric if (p := d.resolve(order))]
        return sum(1 for a, b in itertools.pairwise(keys) if b < a)

    dmy, mdy = steps_back("dmy"), steps_back("mdy")
    if dmy == mdy:
        return None
    return "dmy" if dmy < mdy else "mdy"


def to_date(parts: DateParts, order: Order, year: int | None = None) -> dt.date | None:
    resolved = parts.resolve(order)
    if resolved is None:
        return None
    day, month, printed_year = resolved
    try:
        return dt.date(printed_year or year or 0, month, day) if (printed_year or year) else None
    except ValueError:
        return None


def year_for(month: int, day: int, start: dt.date | None, end: dt.date | None) -> int | None:
    """The year of a yearless date inside the statement period (December→January rolls over)."""
    anchor = start or end
    if anchor is None:
        return None
    candidates = sorted({anchor.year, (end or anchor).year, anchor.year + 1, anchor.year - 1})
    lo = (start or end or anchor) - dt.timedelta(days=40)
    hi = (end or start or anchor) + dt.timedelta(days=40)
    for year in candidates:
        try:
            if lo <= dt.date(year, month, min(day, 28)) <= hi:
                return year
        except ValueError:
            continue
    return anchor.year


def newest_first(dates: list[DateParts], order: Order) -> bool:
    """Whether rows run from the newest date to the oldest (more steps back than forward)."""
    keys = [(p[2] or 0, p[1], p[0]) for d in dates if (p := d.resolve(order))]
    back = sum(1 for a, b in itertools.pairwise(keys) if b < a)
    forward = sum(1 for a, b in itertools.pairwise(keys) if b > a)
    return back > 2 * forward and back >= 2
