"""Signs from the running balance: which money column is out and which is in, and the sign of
unsigned amounts, decided by what makes the printed balances follow from each other."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from docproc.pipeline.statements.table import RawRow, signed

MAX_BRUTE_FORCE = 10  # rows between two printed balances whose signs we may try all of


@dataclass(frozen=True, slots=True)
class Settled:
    amount: Decimal
    balance: Decimal | None


def movement(row: RawRow, swap: bool = False) -> Decimal | None:
    roles = [r for r in row.money if r != "balance"]
    if not roles:
        return None
    total = Decimal(0)
    for role in roles:
        if swap and role in ("debit", "credit"):
            role_used = "credit" if role == "debit" else "debit"
        else:
            role_used = role
        amount = row.money[role]
        if role == "amount" and row.section and not amount.signed:
            total += row.section * abs(amount.value)  # under a "Withdrawals" title
        else:
            total += signed(amount, role_used)
    return total


def chain_score(
    amounts: list[Decimal], balances: list[Decimal | None], opening: Decimal | None
) -> int:
    """How many printed balances follow from the one before plus the amounts between."""
    score, previous, moved = 0, opening, Decimal(0)
    for amount, balance in zip(amounts, balances, strict=True):
        moved += amount
        if balance is not None:
            if previous is not None:
                score += 1 if previous + moved == balance else -1
            previous, moved = balance, Decimal(0)
    return score


def settle_signs(
    rows: list[RawRow], opening: Decimal | None, newest_first: bool = False
) -> list[Settled | None]:
    """Signed amount and printed balance per row; None for rows that move no money. A statement
    printed newest first is settled oldest first, so each balance follows the one before it."""
    if newest_first:
        return settle_signs(rows[::-1], opening)[::-1]
    balances = [row.money["balance"].value if "balance" in row.money else None for row in rows]
    plain = [movement(row) for row in rows]
    kept = [i for i, m in enumerate(plain) if m is not None]
    amounts = [plain[i] or Decimal(0) for i in kept]
    kept_balances = [balances[i] for i in kept]
    if any(r in row.money for row in rows for r in ("debit", "credit")):
        swapped = [movement(rows[i], swap=True) or Decimal(0) for i in kept]
        if chain_score(swapped, kept_balances, opening) > chain_score(
            amounts, kept_balances, opening
        ):
            amounts = swapped
    unsigned = [
        i
        for i, k in enumerate(kept)
        if "amount" in rows[k].money and not rows[k].money["amount"].signed and not rows[k].section
    ]
    if unsigned and len(unsigned) == sum(1 for k in kept if "amount" in rows[k].money):
        amounts = _signs_from_chain(amounts, kept_balances, opening)
    amounts = _flip_where_balances_prove(amounts, kept_balances, opening)
    out: list[Settled | None] = [None] * len(rows)
    for index, amount, balance in zip(kept, amounts, kept_balances, strict=True):
        out[index] = Settled(amount, balance)
    return out


def _signs_from_chain(
    amounts: list[Decimal], balances: list[Decimal | None], opening: Decimal | None
) -> list[Decimal]:
    """Unsigned amounts signed so each stretch between printed balances adds up, where unique."""
    result = list(amounts)
    previous, start = opening, 0
    for end, balance in enumerate(balances):
        if balance is None:
            continue
        stretch = amounts[start : end + 1]
        if previous is not None and len(stretch) <= MAX_BRUTE_FORCE:
            target = balance - previous
            fits = [
                signs
                for signs in itertools.product((1, -1), repeat=len(stretch))
                if sum(s * abs(a) for s, a in zip(signs, stretch, strict=True)) == target
            ]
            if len(fits) == 1:
                for offset, sign in enumerate(fits[0]):
                    result[start + offset] = sign * abs(stretch[offset])
        previous, start = balance, end + 1
    return result


def _flip_where_balances_prove(
    amounts: list[Decimal], balances: list[Decimal | None], opening: Decimal | None
) -> list[Decimal]:
    """A row printed between two balances whose amount only fits with the other sign (a cell
    read into the wrong money column) takes that sign. Nothing else is changed."""
    result = list(amounts)
    previous = opening  # the balance right before this row; None when not printed
    for index, (amount, balance) in enumerate(zip(amounts, balances, strict=True)):
        proven = balance is not None and previous is not None and previous - amount == balance
        if proven and previous is not None and previous + amount != balance:
            result[index] = -amount
        previous = balance
    return result
