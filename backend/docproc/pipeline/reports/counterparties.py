"""Counterparties: the merchant or payer behind a description, with totals and counts.

`counterparty_name()` strips what varies between two payments to the same party (transaction-type
prefixes, card and reference numbers, dates, the city and state suffix) so that they group.
The word lists are data (`counterparties.toml`), checked when loaded.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from docproc.models import Transaction
from docproc.pipeline.reports.figures import ZERO, money, total

TOP_COUNT = 5
_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b")
_MASKED = re.compile(r"[X*#]{2,}\d*|\b\w*\d\w*\b|#\S*")
_NOT_NAME = re.compile(r"[^\w&'.\- ]+|_")


class CounterpartyConventions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    prefixes: tuple[str, ...]
    processors: tuple[str, ...]
    reference_words: tuple[str, ...]
    regions: frozenset[str]
    city_first_words: frozenset[str]

    @field_validator("prefixes", "processors", "reference_words")
    @classmethod
    def _upper_and_longest_first(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        if any(not w.strip() or w != w.upper() for w in words):
            raise ValueError("entries must be non-empty and upper case")
        return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def conventions() -> CounterpartyConventions:
    text = resources.files(__package__).joinpath("counterparties.toml").read_text("utf-8")
    return CounterpartyConventions.model_validate(tomllib.loads(text))


def _strip_processor(text: str, rules: CounterpartyConventions) -> str:
    if "*" not in text:
        return text
    head, _, tail = text.partition("*")
    if head.strip() in rules.processors and tail.strip():
        return tail
    # "AMZN MKTP US*2K4L81" : the part after the star is an order code.
    return head if not tail.strip() or re.search(r"\d", tail.split()[0]) else f"{head} {tail}"


def _strip_prefixes(text: str, rules: CounterpartyConventions) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in rules.prefixes:
            if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
                text, changed = text[len(prefix) + 1 :], True
    return text


def _strip_references(words: list[str], rules: CounterpartyConventions) -> list[str]:
    text = " ".join(words)
    for word in rules.reference_words:
        text = re.sub(rf"(?:^|\s){re.escape(word)}\s+\S*[\d#X*]\S*", " ", text)
    return text.split()


def _strip_location(words: list[str], rules: CounterpartyConventions) -> list[str]:
    if len(words) >= 3 and words[-1] in rules.regions:
        words = words[:-2]
        if len(words) >= 2 and words[-1] in rules.city_first_words:
            words = words[:-1]
    return words


def counterparty_name(description: str) -> str:
    """The normalised merchant or payer name (upper case) of a printed description."""
    rules = conventions()
    text = " ".join(description.upper().split())
    text = _strip_prefixes(_strip_processor(text, rules), rules)
    words = _strip_references(text.split(), rules)
    text = _DATE.sub(" ", " ".join(words))
    words = _NOT_NAME.sub(" ", _MASKED.sub(" ", text)).split()
    words = [w.strip(".-") for w in _strip_location(words, rules) if w.strip(".-&'")]
    name = _strip_prefixes(" ".join(words), rules)
    return name or " ".join(description.upper().split()) or "UNKNOWN"


@dataclass(slots=True)
class _Tally:
    money_in: Decimal = ZERO
    money_out: Decimal = ZERO
    count: int = 0


def counterparty_report(
    transactions: Sequence[Transaction], names: Sequence[str]
) -> dict[str, Any]:
    """Totals and counts per counterparty; the top spenders (out) and payers (in)."""
    tallies: dict[str, _Tally] = {}
    for txn, name in zip(transactions, names, strict=True):
        tally = tallies.setdefault(name, _Tally())
        tally.count += 1
        if txn.amount >= 0:
            tally.money_in += txn.amount
        else:
            tally.money_out += -txn.amount
    rows = [
        {
            "name": name,
            "count": t.count,
            "money_in": money(t.money_in),
            "money_out": money(t.money_out),
            "net": money(t.money_in - t.money_out),
        }
        for name, t in sorted(tallies.items(), key=lambda kv: (-kv[1].count, kv[0]))
    ]
    spenders = sorted(
        (kv for kv in tallies.items() if kv[1].money_out), key=lambda kv: -kv[1].money_out
    )
    payers = sorted(
        (kv for kv in tallies.items() if kv[1].money_in), key=lambda kv: -kv[1].money_in
    )
    return {
        "count": len(tallies),
        "by_counterparty": rows,
        "by_transaction": list(names),
        "top_spenders": [{"name": n, "total": money(t.money_out)} for n, t in spenders[:TOP_COUNT]],
        "top_payers": [{"name": n, "total": money(t.money_in)} for n, t in payers[:TOP_COUNT]],
        "total_out": money(total(t.money_out for t in tallies.values())),
    }
