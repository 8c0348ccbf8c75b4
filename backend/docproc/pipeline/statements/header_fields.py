"""Statement header fields: bank, holder, account number, currency, period, opening/closing balance.

Each is read from a labelled place on the page (labels in `conventions.toml`) or left `None`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator

from docproc.models import StatementPeriod
from docproc.pipeline.statements.amounts import Amount, parse_amount
from docproc.pipeline.statements.cells import Line
from docproc.pipeline.statements.conventions import conventions
from docproc.pipeline.statements.dates import DateParts, Order, parse_date, to_date
from docproc.pipeline.statements.table import line_kind

_WORD = re.compile(r"[\w$€£₹.'/-]+")


def _after_label(text: str, labels: Iterable[str]) -> str | None:
    lowered = text.lower()
    for label in sorted(labels, key=len, reverse=True):
        squeezed = label.replace(" ", "")
        if squeezed != label and lowered.startswith(squeezed + ":"):
            return text[len(squeezed) + 1 :].strip()  # OCR lost the space: "Accountnumber:"
        if lowered.startswith(label) and (
            len(text) == len(label) or not text[len(label)].isalnum()
        ):
            return text[len(label) :].strip(" :#.-\u2013")
    return None


def labelled_values(lines: list[Line], labels: tuple[str, ...]) -> Iterator[str]:
    """Texts after a label: in the same cell, else the next cell of the line."""
    for line in lines:
        for index, cell in enumerate(line.cells):
            rest = _after_label(cell.text, labels)
            if rest:
                yield rest
            elif rest is not None and index + 1 < len(line.cells):
                yield line.cells[index + 1].text


_ACCOUNT = re.compile(r"[A-Z]{0,2}[\dXx*•][\dXx*• -]*[\dXx]")


def account_number(lines: list[Line]) -> str | None:
    for value in labelled_values(lines, conventions().fields.account):
        match = _ACCOUNT.match(value)
        if match and sum(ch.isdigit() for ch in match.group(0)) >= 4:
            return match.group(0).strip()
    return None


def _looks_like_name(text: str) -> bool:
    return bool(text) and not any(ch.isdigit() for ch in text) and ":" not in text


def account_holder(lines: list[Line]) -> str | None:
    for value in labelled_values(lines, conventions().fields.holder):
        if _looks_like_name(value):
            return value
    for above, line in itertools.pairwise(lines):
        if not (above.cells and line.cells and _is_street(line.cells[0].text)):
            continue
        name = above.cells[0]
        if _looks_like_name(name.text) and abs(name.x0 - line.cells[0].x0) < 3:
            return name.text
    return None


def _is_street(text: str) -> bool:
    """'12 High Street', 'Hauptstraße 5', '8 rue des Lilas': a number and a street word."""
    table = conventions().fields
    words = text.lower().replace(",", " ").split()
    has_street = any(w in table.street_words or w.endswith(table.street_suffixes) for w in words)
    return has_street and any(ch.isdigit() for ch in text)


def bank_name(lines: list[Line]) -> str | None:
    """The first short line near the top naming a bank ('... Bank', 'Sparkasse ...')."""
    table = conventions().fields
    for line in lines[:12]:
        for part in (p.strip() for c in line.cells for p in c.text.split(" | ")):
            lowered = part.lower()
            words = lowered.split()
            named = any(w in words or (" " in w and w in lowered) for w in table.bank_words)
            titled = any(w in words for w in table.title_words)
            if named and not titled and len(words) >= 2 and _looks_like_name(part):
                return part
    return None


def currency(lines: list[Line], amounts: Iterable[Amount]) -> str | None:
    table = conventions().currencies
    for value in labelled_values(lines, conventions().fields.currency):
        for token in value.split():
            if token.upper() in table.codes:
                return token.upper()
        lowered = value.lower()
        for words, code in sorted(table.words.items(), key=lambda kv: -len(kv[0])):
            if words in lowered:
                return code
    for line in lines:
        for token in _WORD.findall(line.text):
            if token in table.codes:
                return token
    marks = [a.currency for a in amounts if a.currency]
    return max(set(marks), key=marks.count) if marks else None


def line_dates(line: Line) -> list[DateParts]:
    """Dates in a line, cell by cell (a house number never joins the next cell's date)."""
    return [d for cell in line.cells for d in dates_in(cell.text)]


def dates_in(text: str) -> list[DateParts]:
    """Dates inside running text: the longest word windows that read as a date."""
    words = text.replace("–", " ").replace(" - ", " ").split()
    found: list[DateParts] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            # a point after the year ends a sentence: 'to Sep 12, 2026.'
            parts = parse_date(" ".join(words[i : i + size]).strip(",;()."))
            if parts is not None and parts.year is not None:
                found.append(parts)
                i += size
                break
        else:
            i += 1
    return found


PERIOD_MAX_DAYS = 120


def period_candidates(lines: list[Line], order: Order) -> list[tuple[dt.date, dt.date, bool]]:
    """(start, end, labelled) for lines holding two dates that read as a statement period."""
    labels = conventions().fields.period
    out = []
    for line in lines:
        found = [d for p in line_dates(line) if (d := to_date(p, order))]
        if len(found) >= 2 and 0 < (found[1] - found[0]).days <= PERIOD_MAX_DAYS:
            lowered = line.text.lower()
            out.append((found[0], found[1], any(w in lowered for w in labels)))
    return out


def period_order(lines: list[Line], rows: list[DateParts]) -> Order | None:
    """The date order under which the page shows a plausible statement period that holds the
    transactions' days, when only one order does."""
    scores: dict[Order, tuple[int, int, int]] = {}
    orders: tuple[Order, Order] = ("dmy", "mdy")
    for order in orders:
        candidates = period_candidates(lines, order)
        if candidates:
            start, end, _ = candidates[0]
            inside = sum(1 for r in rows if _within(r, order, start, end))
            scores[order] = (1, inside, -abs((end - start).days - 30))  # statements run a month
    if len(scores) == 1:
        return next(iter(scores))
    if len(scores) == 2 and scores["dmy"] != scores["mdy"]:
        return "dmy" if scores["dmy"] > scores["mdy"] else "mdy"
    return None


def _within(parts: DateParts, order: Order, start: dt.date, end: dt.date) -> bool:
    resolved = parts.resolve(order)
    if resolved is None:
        return False
    day, month, _ = resolved
    for year in {start.year, end.year}:
        try:
            if start <= dt.date(year, month, day) <= end:
                return True
        except ValueError:
            continue
    return False


def statement_period(lines: list[Line], order: Order) -> StatementPeriod:
    candidates = period_candidates(lines, order)
    labelled = [c for c in candidates if c[2]]
    chosen = labelled or candidates
    if not chosen:
        return StatementPeriod()
    return StatementPeriod(start=chosen[0][0], end=chosen[0][1])


def summary_balances(lines: list[Line], skip: set[int]) -> tuple[Amount | None, Amount | None]:
    """Opening and closing balance from labelled lines or a box of labels over values."""
    opening: Amount | None = None
    closing: Amount | None = None
    for index, line in enumerate(lines):
        if id(line) in skip:
            continue
        for position, cell in enumerate(line.cells):
            kind = line_kind(cell.text)
            if kind not in ("opening", "closing"):
                continue
            value = _value_right(line, position) or _value_below(lines, index, cell.x0, cell.x1)
            if value is None:
                continue
            if kind == "opening" and opening is None:
                opening = value
            elif kind == "closing":
                closing = value
    return opening, closing


def _value_right(line: Line, position: int) -> Amount | None:
    for cell in line.cells[position + 1 :]:
        if (value := parse_amount(cell.text)) is not None:
            return value
    return None


def _value_below(lines: list[Line], index: int, x0: float, x1: float) -> Amount | None:
    line = lines[index]
    for below in lines[index + 1 : index + 3]:
        if below.page != line.page or below.top - line.bottom > 3 * line.height:
            return None
        for cell in below.cells:
            if min(cell.x1, x1) > max(cell.x0, x0) and (value := parse_amount(cell.text)):
                return value
    return None


def is_card_statement(lines: list[Line]) -> bool:
    """A credit-card statement: its head speaks of a credit limit or a minimum payment."""
    words = conventions().fields.card_words
    return any(w in line.text.lower() for line in lines for w in words)


def period_from_balance_lines(lines: list[Line], order: Order, year: int | None) -> StatementPeriod:
    """'Beginning balance on 7/11 … Ending balance on 8/9': the period those labels date."""
    start: DateParts | None = None
    end: DateParts | None = None
    for line in lines:
        for cell in line.cells:
            kind = line_kind(cell.text)
            if kind in ("opening", "closing"):
                dated = [p for p in (parse_date(w.text.strip(",:")) for w in cell.words) if p]
                if dated and kind == "opening" and start is None:
                    start = dated[-1]
                elif dated and kind == "closing":
                    end = dated[-1]
    if start is None or end is None:
        return StatementPeriod()
    first = to_date(start, order, start.year or year)
    last = to_date(end, order, end.year or year)
    if first is not None and last is not None and last < first:
        last = to_date(end, order, (end.year or year or 0) + 1)  # December → January
    if first is None or last is None or not 0 < (last - first).days <= PERIOD_MAX_DAYS:
        return StatementPeriod()
    return StatementPeriod(start=first, end=last)
