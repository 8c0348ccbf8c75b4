"""Running-balance breaks that one OCR slip would explain, on statements read by OCR.

A break in the balance chain (`chain.py`) fixes the value one number would need for its link to
add up: an amount between the two printed balances, or a printed balance at either end (the
opening and closing balances included). When the number as read and that needed value differ by
exactly one slip OCR is known to make, the row is reported with the candidate reading. Numbers
are never changed: a person decides, with the row and the candidate in front of them.

Slips, most plausible first: a confused glyph (8/3, 1/7, ...), a lost or spurious minus, a
dropped digit (`17,389.67` read `7,389.67`), a lost leading group (`11,135.21` read `135.21`), a
spurious or doubled digit, a lost decimal point. Because the needed value is computed rather
than searched for, the work is linear in the rows of the broken links, however long the
statement. A printed balance sits between two links, so a misread one breaks both: its candidate
must close both, and when it does, the single slip explains both breaks and the amounts in those
links are not suspected as well. Separator slips that change no value (`1.976,19` read
`1976,19`) need no candidate; ones that leave no two decimals (`197619`, `1,976,19`) leave no
amount at all, which no reading of a printed number can explain.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docproc.models import BankStatement, Transaction
from docproc.money import format_money
from docproc.pipeline.statements.chain import Anchor, Link, chain_links

# Glyph pairs Tesseract confuses on statements, both ways (measured on generated scans + corpus;
# 3/2: a balance `23,663.78` read `22,663.78` on a held-out randomized scan).
CONFUSABLE_DIGITS: tuple[tuple[str, str], ...] = (
    ("8", "3"),
    ("1", "7"),
    ("5", "6"),
    ("0", "8"),
    ("7", "2"),
    ("6", "8"),
    ("3", "2"),
)
_CONFUSABLE = {frozenset(pair) for pair in CONFUSABLE_DIGITS}
MAX_LISTED = 5  # readings listed per break: a statement with no running balance has one break
_LOST_GROUPS = (1, 2)  # "11,135.21" read "135.21": the leading group (and its mark) lost

# Slip kinds in order of plausibility (the order alternatives for one break are listed in).
_RANK = {
    "glyph": 0,
    "minus": 1,
    "dropped digit": 2,
    "lost leading group": 3,
    "spurious digit": 3,
    "lost decimal point": 4,
}


@dataclass(frozen=True, slots=True)
class Slip:
    kind: str  # a key of _RANK
    detail: str  # what a person reads: "8→3", "dropped 1", ...

    @property
    def rank(self) -> int:
        return _RANK[self.kind]


def _digits(value: Decimal) -> str:
    """The digits of |value| to the cent, without marks: 17389.67 -> '1738967'."""
    return f"{abs(value):.2f}".replace(".", "")


def _without(digits: str, position: int) -> int:
    return int(digits[:position] + digits[position + 1 :])


def reading_slip(read: Decimal, true: Decimal) -> Slip | None:
    """The one OCR slip that makes `true` as printed read as `read`, or None when it takes
    none or more than one."""
    if read == true:
        return None
    if read == -true:
        return Slip("minus", "lost minus" if true < 0 else "spurious minus")
    if (read < 0) != (true < 0):
        return None  # a sign and digits: two slips
    return _digit_slip(_digits(read), _digits(true)) or (
        Slip("lost decimal point", "lost decimal point") if read == true * 100 else None
    )


def _digit_slip(read: str, true: str) -> Slip | None:
    """Slips within the digits (cents included; only whole-number digits are lost or added:
    an amount is read only with two decimals)."""
    if len(read) == len(true):
        changed = [i for i, (r, t) in enumerate(zip(read, true, strict=True)) if r != t]
        if len(changed) == 1 and frozenset((read[changed[0]], true[changed[0]])) in _CONFUSABLE:
            i = changed[0]
            return Slip("glyph", f"{true[i]}→{read[i]}")
        return None
    value_read, value_true = int(read), int(true)
    if len(read) < len(true):
        for position in range(len(true) - 2):
            if _without(true, position) == value_read:
                return Slip("dropped digit", f"dropped {true[position]}")
        for groups in _LOST_GROUPS:
            modulus = 1000**groups * 100
            if value_true >= modulus and value_true % modulus == value_read:
                lost = str(value_true // modulus)
                return Slip("lost leading group", f"lost leading {lost}")
        return None
    for position in range(len(read) - 2):
        if _without(read, position) == value_true:
            digit = read[position]
            doubled = digit in (read[position - 1 : position] + read[position + 1 : position + 2])
            return Slip("spurious digit", f"doubled {digit}" if doubled else f"spurious {digit}")
    return None


@dataclass(frozen=True, slots=True)
class _Suspect:
    field: str
    index: int | None
    tx: Transaction | None
    printed: Decimal
    candidate: Decimal
    slip: Slip

    def order(self) -> tuple[int, float]:
        confidence = self.tx.confidence if self.tx and self.tx.confidence is not None else 1.0
        return self.slip.rank, confidence  # a less confident row is the likelier misread

    def as_dict(self, alternatives: int) -> dict[str, Any]:
        return {
            "index": self.index,
            "page": self.tx.page if self.tx else None,
            "date": self.tx.date.isoformat() if self.tx else None,
            "field": self.field,
            "printed": format_money(self.printed),
            "candidate": format_money(self.candidate),
            "slip": self.slip.detail,
            "confidence": self.tx.confidence if self.tx else None,
            "alternatives": alternatives,
        }


def _amount_suspects(link: Link, short: Decimal) -> list[_Suspect]:
    """Rows of a broken link whose amount, read another way by one slip, closes it (`short`:
    what the link's end is above what its start and amounts give)."""
    needed = short * link.direction  # what the one amount is short of
    found = []
    for index, tx in link.rows:
        if tx.confidence is None:
            continue  # a text-layer row: nothing was read from pixels
        slip = reading_slip(tx.amount, tx.amount + needed)
        if slip:
            found.append(_Suspect("amount", index, tx, tx.amount, tx.amount + needed, slip))
    return found


def _anchor_suspect(anchor: Anchor, candidate: Decimal, rows: list[Transaction]) -> _Suspect | None:
    """A printed balance whose needed value is one slip away from what was read."""
    tx = rows[anchor.index] if anchor.index is not None else None
    if tx is not None and tx.confidence is None:
        return None
    slip = reading_slip(anchor.value, candidate)
    return _Suspect(anchor.field, anchor.index, tx, anchor.value, candidate, slip) if slip else None


def _closes(link: Link, start: Decimal) -> bool:
    return start + link.moved == link.end.value


def suspected_ocr_errors(statement: BankStatement) -> list[dict[str, Any]]:
    """Every one-slip reading that closes a balance-chain break (statements read by OCR).

    The chain is walked carrying the balance it supports so far. At a break, the printed
    balance at its end is the culprit when the next link adds up from the value the chain
    needed there (or nothing else adds up and it is one slip away); otherwise the break lies
    inside the link (an amount), and the chain goes on from the printed balance."""
    rows = statement.transactions
    if not any(tx.confidence is not None for tx in rows):
        return []
    links = list(chain_links(statement))
    out: list[dict[str, Any]] = []
    carried = links[0].start.value if links else Decimal(0)
    for number, link in enumerate(links):
        expected = carried + link.moved
        if expected == link.end.value:
            carried = link.end.value
            continue
        following = links[number + 1] if number + 1 < len(links) else None
        anchor = _anchor_suspect(link.end, expected, rows)
        suspects: list[_Suspect] = []
        if following is not None and (
            _closes(following, expected)
            or (anchor is not None and not _closes(following, link.end.value))
        ):
            suspects = [anchor] if anchor else []  # the printed balance, alone
            carried = expected
        else:
            suspects = _amount_suspects(link, link.end.value - expected)
            if following is None and anchor is not None:
                suspects.append(anchor)  # the closing (or last) balance is as likely
            if number == 0 and link.start.value == carried:
                opening = _anchor_suspect(link.start, link.end.value - link.moved, rows)
                suspects.extend([opening] if opening else [])
            carried = link.end.value
        out.extend(_report(suspects))
    return out


def _report(suspects: list[_Suspect]) -> list[dict[str, Any]]:
    """One break's most plausible suspects (at most `MAX_LISTED`), each with how many other
    readings close the same break."""
    ranked = sorted(suspects, key=_Suspect.order)[:MAX_LISTED]
    return [s.as_dict(len(suspects) - 1) for s in ranked]
