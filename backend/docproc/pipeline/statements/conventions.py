"""The statement conventions table (`conventions.toml`), loaded once and checked when loaded."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

from docproc.errors import ProcessingError

ROLES = ("date", "value_date", "description", "reference", "debit", "credit", "amount", "balance")
MONEY_ROLES = ("debit", "credit", "amount", "balance")

T = TypeVar("T")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lines(_Table):
    opening: tuple[str, ...]
    closing: tuple[str, ...]
    continued: tuple[str, ...]
    skip: tuple[str, ...]


class Fields(_Table):
    account: tuple[str, ...]
    holder: tuple[str, ...]
    currency: tuple[str, ...]
    period: tuple[str, ...]
    bank_words: tuple[str, ...]
    street_words: tuple[str, ...]
    street_suffixes: tuple[str, ...]
    title_words: tuple[str, ...]
    card_words: tuple[str, ...]


class Currencies(_Table):
    codes: tuple[str, ...]
    symbols: dict[str, str]
    words: dict[str, str]

    @field_validator("symbols", "words")
    @classmethod
    def _known_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for code in value.values():
            if len(code) != 3 or not code.isupper():
                raise ValueError(f"{code!r} is not an ISO 4217 code")
        return value


class Signs(_Table):
    negative_suffixes: tuple[str, ...]
    positive_suffixes: tuple[str, ...]


class Sections(_Table):
    money_out: tuple[str, ...]
    money_in: tuple[str, ...]


class Conventions(_Table):
    columns: dict[str, tuple[str, ...]]
    lines: Lines
    fields: Fields
    currencies: Currencies
    months: dict[int, tuple[str, ...]]
    signs: Signs
    sections: Sections

    @field_validator("columns")
    @classmethod
    def _roles(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        unknown = set(value) - set(ROLES)
        if unknown or not value.get("date"):
            raise ValueError(f"column roles must be among {ROLES} and include date: {unknown}")
        return {role: tuple(w.lower() for w in words) for role, words in value.items()}

    @field_validator("months")
    @classmethod
    def _twelve(cls, value: dict[int, tuple[str, ...]]) -> dict[int, tuple[str, ...]]:
        if sorted(value) != list(range(1, 13)):
            raise ValueError("months must be 1..12")
        return value


@cache
def conventions() -> Conventions:
    path = Path(__file__).with_name("conventions.toml")
    try:
        return Conventions.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (ValueError, OSError) as exc:
        raise ProcessingError(f"Invalid statement conventions table {path.name}: {exc}") from exc


def fold_accents(text: str) -> str:
    """'Erläuterung' -> 'Erlauterung': OCR often loses accents, so labels match without them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _with_folded(index: dict[str, T]) -> dict[str, T]:
    """The index plus its accent-folded spellings (an exact spelling wins a clash)."""
    folded = {fold_accents(key): value for key, value in index.items()}
    return {**folded, **index}


@cache
def header_index() -> dict[str, str]:
    """Header label (lower-case, also without accents) -> column role."""
    return _with_folded({
        " ".join(w.replace("/ ", "/").split()).strip(" :."): role
        for role, words in conventions().columns.items()
        for w in words
    })


def _pointless(label: str) -> str:
    """A label without its points ('chq./ref.no.' -> 'chq/ref no'): OCR drops a point, and
    banks point abbreviations differently."""
    return " ".join(label.replace(".", " ").split()).replace(" /", "/").replace("/ ", "/")


@cache
def _pointless_index() -> dict[str, str]:
    """`header_index` by labels without their points; a spelling two roles share is left out."""
    roles: dict[str, set[str]] = {}
    for label, role in header_index().items():
        roles.setdefault(_pointless(label), set()).add(role)
    return {label: found.pop() for label, found in roles.items() if len(found) == 1}


_LABEL_NOISE = re.compile(r"\s*(\(.*\)|\[.*\]|in [a-z]{3}|[$€£₹*])\s*$")


def header_role(text: str) -> str | None:
    """The column role a header label names ('Amount (EUR)' is 'Amount'), or None."""
    key = " ".join(text.lower().replace("/ ", "/").split()).strip(" :.")
    index = header_index()
    bare = _LABEL_NOISE.sub("", key).strip(" :.")
    halves = bare.split("/") if bare.count(" ") <= 1 else []  # "Deposits/Additions": a half
    for variant in (key, bare, *halves):
        # Folded on both sides: the table and the page may each print or drop an accent.
        for spelling in (variant.strip(), fold_accents(variant.strip())):
            if spelling in index:
                return index[spelling]
    loose = _pointless_index()
    for variant in (key, bare):
        for spelling in (_pointless(variant), _pointless(fold_accents(variant))):
            if spelling in loose:
                return loose[spelling]
    return None


@cache
def month_index() -> dict[str, int]:
    """Month spelling (lower-case, no trailing dot, also without accents) -> month number."""
    return _with_folded(
        {w.lower().rstrip("."): n for n, words in conventions().months.items() for w in words}
    )
