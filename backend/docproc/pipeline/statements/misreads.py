"""Second readings of OCR'd date and money cells that the strict parsers refuse.

OCR confuses a few glyphs in a predictable way: a digit read as its look-alike letter ('O1 Jun',
'5th' as 'Sth', '15 317,53' as '1S 317,53'), a separator read as another mark ('22971: 94',
'1,885 -38', "1°478.78") or with a space beside it ('A$404. 87'), a minus read as '~' or '='.
These readers undo only those confusions, and only where one reading is left: the digits
themselves are never changed to fit anything, and nothing is taken from the balance chain.
A cell from a text layer never comes here (`is_ocr`): its characters are what was printed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from docproc.pipeline.statements.amounts import Amount, currency_mark, parse_amount, parse_with
from docproc.pipeline.statements.cells import Cell, Line
from docproc.pipeline.statements.conventions import fold_accents, month_index
from docproc.pipeline.statements.dates import DateParts, parse_date

# Letters OCR reads for a digit, and the digit they stand for.
DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "i": "1", "L": "1", "|": "1",
     "S": "5", "s": "5", "T": "7", "B": "8", "Z": "2"}
)  # fmt: skip
_SEPARATOR_LOOKALIKES = ".,'’°`´“”\":;- "  # what a printed point, comma or apostrophe is read as
GROUP_ONLY = ("'", "’", "°", "`", "´", "“", "”", '"')  # an apostrophe and what OCR reads it as
# 'AS$1,046.60', 'AS3,926.93': a currency mark read wrong, kept apart from digits it might be
_CURRENCY_JUNK = re.compile(r"^(?:[^\W\d_]{2,3}(?=\d)|[^\W\d_]{0,3}[$€£¥₹]\s?(?=\d))")
_LEADING_MINUS = re.compile(r"^[~=—](?=\s?\D{0,4}\d)")  # '~CHF 272.01', '=€212. 54'
_TRAILING_MINUS = re.compile(r"(?<=\d)\s?[~=]$")  # '199.,52=': a minus printed after
# 'Rs .7935.48', 'Rs, 12.00': the point of a mark such as 'Rs.' set apart from it, or misread
_MARK_POINT = re.compile(r"^([^\W\d_]{1,4}) ?[.,:;] ?(?=\d)")

_ORDINAL = re.compile(r"(st|nd|rd|th|er)?\.*$")
_LOOKALIKE_DIGIT = r"[\dOoDlIiL|SsTBZ]"
_NUMERIC_DATE = re.compile(  # day, month and maybe year, separated: '14/10/25', '25.09.'
    rf"{_LOOKALIKE_DIGIT}{{1,2}}([/.\-]){_LOOKALIKE_DIGIT}{{1,2}}(\1{_LOOKALIKE_DIGIT}{{2,4}}|\.)?"
)


def is_ocr(cell: Cell | Line) -> bool:
    """Whether the cell (or line) was read from pixels: OCR words carry a confidence, a text
    layer's not."""
    return all(w.confidence is not None for w in cell.words)


def ocr_amount(text: str) -> Amount | None:
    """`text` read as money with OCR's look-alike glyphs and broken separators undone."""
    strict = parse_amount(text)
    if strict is not None:
        return strict
    text = _TRAILING_MINUS.sub("-", _LEADING_MINUS.sub("-", text.strip()))
    mark = _MARK_POINT.match(text)
    if mark is not None and currency_mark(mark.group(1) + ".") is not None:
        text = f"{mark.group(1)}. {text[mark.end() :]}"
    return parse_with(text, _ocr_number)


def _ocr_number(text: str) -> Decimal | None:
    """Digit groups separated by marks OCR may have garbled; the last mark, before exactly two
    digits, is the decimal point. The groups before it must group as printed numbers do."""
    text = _CURRENCY_JUNK.sub("", text)  # 'AS$1,046.60': a currency mark read wrong
    if not text[:1].isdigit():
        return None
    mapped = text.translate(DIGIT_LOOKALIKES)
    runs = re.findall(r"\d+|\D+", mapped)
    if any(not r[0].isdigit() and any(ch not in _SEPARATOR_LOOKALIKES for ch in r) for r in runs):
        return None
    digits = [r for r in runs if r[0].isdigit()]
    if not runs[-1][0].isdigit() or len(digits) < 2 or len(digits[-1]) != 2:
        return None  # no mark before the cents: the point may have been read as a digit
    groups = digits[:-1]
    marks = [r.replace(" ", "") for r in runs if not r[0].isdigit()]
    point, group_marks = marks[-1], set(marks[:-1]) - {""}
    if len(group_marks) > 1 or (point in (".", ",") and point in group_marks):
        return None  # two amounts in one cell ('1.00 234.56'), not one with broken marks
    if point in GROUP_ONLY:
        return None  # "3'75": an apostrophe groups thousands, it never marks the cents
    if not _grouped(groups):
        return None
    return Decimal("".join(groups) + "." + digits[-1])


def _grouped(groups: list[str]) -> bool:
    """'1', '12,345', '1,234,567', Indian '12,34,567'; no leading zero unless the whole is 0."""
    first = groups[0]
    if len(first) > 1 and first.startswith("0"):
        return False
    if len(groups) == 1:
        return True
    tail_ok = len(groups[-1]) == 3
    western = len(first) <= 3 and all(len(g) == 3 for g in groups[1:])
    indian = len(first) <= 2 and all(len(g) == 2 for g in groups[1:-1])
    return tail_ok and (western or indian)


def ocr_date(text: str) -> DateParts | None:
    """`text` read as a date with look-alike digits ('Ol Oct', 'Sth Jun', 'llth May') and stray
    punctuation ('Feb 27% 2024', '11+01-2025') undone; None unless that reading is a date."""
    strict = parse_date(text)
    if strict is not None:
        return strict
    words = [_digit_word(w) for w in re.split(r"\s+", text.strip())]
    for candidate in (" ".join(words), *_punctuation_readings(" ".join(words))):
        parts = parse_date(candidate)
        if parts is not None:
            return parts
    return None


def _digit_word(word: str) -> str:
    """A word that can only be a day, month or year number, its look-alike letters as digits;
    a month name whose accented letter OCR misread, as that month."""
    if word.lower().rstrip(".") in month_index():
        return word
    if (month := _accented_month(word)) is not None:
        return month
    if _NUMERIC_DATE.fullmatch(word):  # 'O1/11/25': mostly digits, a look-alike or two
        letters = sum(ch.isalpha() or ch == "|" for ch in word)
        if sum(ch.isdigit() for ch in word) >= 2 * letters:
            return word.translate(DIGIT_LOOKALIKES)
    body = word.rstrip(",;:")  # 'Jun il, 2020', 'LO: Feb': a mark after the day is no part of it
    core = _ORDINAL.sub("", body) if len(body) > 2 else body
    suffix = word[len(core) :]
    numeric = re.fullmatch(rf"{_LOOKALIKE_DIGIT}{{1,4}}", core)
    if numeric is None or (core.isalpha() and len(core) > 2):  # a word, not a number
        return word
    return core.translate(DIGIT_LOOKALIKES) + suffix


def _punctuation_readings(text: str) -> list[str]:
    """Readings with a stray mark between day, month and year made a comma, or the odd one of
    two numeric separators made like the other ('11+01-2025' -> '11-01-2025', '25% 09.' ->
    '25.09.')."""
    out = []
    stray = re.sub(r"(?<=\w)[%;:'’`]+(?=\s)", ",", text)
    stray = re.sub(r"(?<=\w)[%;:'’`,]+$", "", stray)
    bare = re.sub(r"\.+", ".", re.sub(r"[%;:'’`,]+", "", text))  # '30, Nov 2021', '21,. Dez'
    out += [reading for reading in (stray, bare) if reading != text]
    # '25% 09.': the point closing the month shows what the mark after the day was
    numeric = re.fullmatch(r"(\d{1,2})([^\w\s]) ?(\d{1,2})([^\w\s])(?: ?(\d{2}|\d{4}))?", text)
    if numeric is not None:
        day, first, month, second, year = numeric.groups()
        real = [s for s in (first, second) if s in "/.-"]
        if len(real) == 1:
            out.append(f"{day}{real[0]}{month}{real[0]}{year or ''}")
    return out


@cache
def _accent_patterns() -> list[tuple[re.Pattern[str], int, str]]:
    """Month spellings with an accented letter, that letter open to any one or two letters
    ('mär' -> 'm[a-z]{1,2}r'): OCR reads 'Mär' as 'Mir' or 'Miir'."""
    out = []
    for spelling, month in month_index().items():
        if spelling.isascii():
            continue
        parts = ("[^\\W\\d_]{1,2}" if not ch.isascii() else re.escape(ch) for ch in spelling)
        out.append((re.compile("".join(parts)), month, fold_accents(spelling)))
    return out


def _accented_month(word: str) -> str | None:
    """The month an unknown word reads as with its accented letter misread, when exactly one
    month's accented spelling fits it and no other month's spelling is one letter away."""
    key = word.lower().rstrip(".")
    if not key.isalpha() or len(key) < 3:
        return None
    fits = {
        (month, folded) for pattern, month, folded in _accent_patterns() if pattern.fullmatch(key)
    }
    if len({month for month, _ in fits}) != 1:
        return None
    month, folded = fits.pop()
    near = (
        other
        for spelling, other in month_index().items()
        if len(spelling) == len(key)
        and sum(a != b for a, b in zip(spelling, key, strict=True)) == 1
    )
    return folded if all(other == month for other in near) else None
