"""Statement header fields: bank, holder, account number, currency, period, opening/closing balance.

Each is read from a labelled place on the page (labels in `conventions.toml`) or left `None`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable

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
        if lowered.startswith(label) and (
            len(text) == len(label) or not text[len(label)].isalnum()
        ):
            return text[len(label) :].strip(" :#.-\u2013")
    return None


def labelled_value(lines: list[Line], labels: tuple[str, ...]) -> str | None:
    """The text after a label in the same cell, or in the next cell of the line."""
    for line in lines:
        for index, cell in enumerate(line.cells):
            rest = _after_label(cell.text, labels)
            if rest is None:
                continue
            if rest:
                return rest
            if index + 1 < len(line.cells):
                return line.cells[index + 1].text
    return None


def account_number(lines: list[Line]) -> str | None:
    value = labelled_value(lines, conventions().fields.account)
    if value is None or sum(ch.isdigit() for ch in value) < 4:
        return None
    match = re.match(r"[A-Z]{0,2}[\dXx*•][\dXx*• -]*[\dXx]", value)
    return match.group(0).strip() if match else None


def account_holder(lines: list[Line]) -> str | None:
    value = labelled_value(lines, conventions().fields.holder)
    if value:
        return value
    streets = set(conventions().fields.street_words)
    for above, line in itertools.pairwise(lines):
        words = line.text.lower().replace(",", " ").split()
        if (
            len(line.cells)
            and words
            and any(w in streets for w in words)
            and any(ch.isdigit() for ch in line.text)
        ):
            name = above.cells[0].text if above.cells else ""
            if (
                name
                and not any(ch.isdigit() for ch in name)
                and abs(above.cells[0].x0 - line.cells[0].x0) < 3
            ):
                return name
    return None


def bank_name(lines: list[Line]) -> str | None:
    words = conventions().fields.bank_words
    for line in lines[:12]:
        for cell in line.cells:
            lowered = cell.text.lower().split()
            named = any(w in lowered or (" " in w and w in cell.text.lower()) for w in words)
            if named and ":" not in cell.text and not any(ch.isdigit() for ch in cell.text):
                return cell.text
    return None


def currency(lines: list[Line], amounts: Iterable[Amount]) -> str | None:
    table = conventions().currencies
    value = labelled_value(lines, conventions().fields.currency)
    if value:
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


def dates_in(text: str) -> list[DateParts]:
    """Dates inside running text: the longest word windows that read as a date."""
    words = text.replace("–", " ").replace(" - ", " ").split()
    found: list[DateParts] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            parts = parse_date(" ".join(words[i : i + size]).strip(",;()"))
            if parts is not None and parts.year is not None:
                found.append(parts)
                i += size
                break
        else:
            i += 1
    return found


def statement_period(lines: list[Line], order: Order) -> StatementPeriod:
    labels = conventions().fields.period
    best: tuple[dt.date, dt.date] | None = None
    for line in lines:
        found = [d for p in dates_in(line.text) if (d := to_date(p, order))]
        if len(found) >= 2 and found[0] <= found[1] and (found[1] - found[0]).days < 400:
            labelled = _after_label(line.text, labels) is not None or any(
                w in line.text.lower() for w in labels
            )
            if labelled or best is None:
                best = (found[0], found[1])
                if labelled:
                    break
    return StatementPeriod(start=best[0], end=best[1]) if best else StatementPeriod()


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
