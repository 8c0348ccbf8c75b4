"""Amounts as printed: grouping and decimal marks, signs, brackets, CR/DR suffixes, currency marks.

`parse_amount("1.234,56-")` -> `Amount(Decimal("-1234.56"), signed=True)`. Only text with exactly
two decimals is an amount, so reference, cheque and branch numbers are never read as money.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from docproc.pipeline.statements.conventions import conventions

_BODY = re.compile(r"^(\d{1,3}(?:[ ,.'\u00a0\u202f’]\d{2,3})*|\d+)([.,])(\d{2})$")
_GROUP_MARKS = re.compile(r"[ ,.'\u00a0\u202f’]")
_MINUS = ("-", "−", "–")


@dataclass(frozen=True, slots=True)
class Amount:
    value: Decimal
    signed: bool  # the text itself says money in or out (sign, brackets, CR/DR)
    currency: str | None = None  # ISO code of a mark printed with it


@cache
def _mark_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Currency marks (symbols and ISO codes) at the start or end, longest first ('A$' > '$')."""
    table = conventions().currencies
    marks = dict(table.symbols)
    marks.update({code: code for code in table.codes})
    ordered = sorted(marks, key=len, reverse=True)
    trailing = [m for m in ordered if len(m) > 1 or not m.isalpha()]
    lead = re.compile("^(" + "|".join(re.escape(m) for m in ordered) + ")")
    tail = re.compile("(" + "|".join(re.escape(m) for m in trailing) + ")$")
    return lead, tail, marks


@cache
def _suffixes() -> list[tuple[str, int]]:
    signs = conventions().signs
    pairs = [(s, -1) for s in signs.negative_suffixes] + [(s, 1) for s in signs.positive_suffixes]
    return sorted(pairs, key=lambda p: -len(p[0]))


def currency_mark(text: str) -> str | None:
    """The ISO code `text` stands for as a currency mark ('Rs.' -> 'INR'), else None."""
    return _mark_patterns()[2].get(text)


def _strip_currency(text: str) -> tuple[str, str | None]:
    lead, tail, marks = _mark_patterns()
    if match := lead.match(text):
        return text[match.end() :].strip(), marks[match.group(1)]
    if match := tail.search(text):
        return text[: match.start()].strip(), marks[match.group(1)]
    return text, None


def _strip_suffix(text: str) -> tuple[str, int]:
    lowered = text.lower()
    for suffix, sign in _suffixes():
        if lowered.endswith(suffix) and len(text) > len(suffix):
            head = text[: -len(suffix)]
            # letter suffixes must follow a digit or a space ("12.34CR", "12.34 D")
            if suffix.isalpha() and not (head[-1].isdigit() or head[-1] == " "):
                continue
            return head.rstrip(), sign
    return text, 0


def parse_number(text: str) -> Decimal | None:
    """'1,23,456.78', '1.234,56', '1 234,56', "1'234.56" -> Decimal; None unless two decimals."""
    match = _BODY.match(text)
    if not match:
        return None
    whole, point, cents = match.groups()
    groups = _GROUP_MARKS.split(whole)
    marks = set(_GROUP_MARKS.findall(whole))
    if len(marks) > 1 or point in marks:
        return None
    if len(groups) > 1:
        tail_ok = len(groups[-1]) == 3 and all(len(g) in (2, 3) for g in groups[1:-1])
        if not tail_ok or len(groups[0]) > 3:
            return None
    return Decimal("".join(groups) + "." + cents)


@lru_cache(maxsize=8192)
def parse_amount(text: str) -> Amount | None:
    """An amount with its sign as printed, or None when `text` is not money."""
    return parse_with(text, parse_number)


def parse_with(text: str, number: Callable[[str], Decimal | None]) -> Amount | None:
    """An amount whose signs, brackets, suffixes and currency marks are read here and whose
    digits are read by `number` (the strict reader, or OCR's lenient one)."""
    text = text.strip()
    sign = 0
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        text, sign = text[1:-1].strip(), -1
    text, code = _strip_currency(text)
    text, suffix_sign = _strip_suffix(text)
    sign = sign or suffix_sign
    if text and text[0] in (*_MINUS, "+"):
        sign = sign or (1 if text[0] == "+" else -1)
        text = text[1:].strip()
    if code is None:
        text, code = _strip_currency(text)
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        text, sign = text[1:-1].strip(), -1
    value = number(text) if text else None
    if value is None:
        return None
    return Amount(-value if sign < 0 else value, signed=sign != 0, currency=code)
