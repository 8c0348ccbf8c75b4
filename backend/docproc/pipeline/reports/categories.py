"""Categories: every transaction gets one from a rules table, with totals and counts per category.

The table is data: `category_rules.toml` in this package, or a user file named by
`DOCPROC_CATEGORY_RULES` that extends or replaces it. It is checked when loaded; a bad file raises
`CategoryRulesError` with what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docproc.errors import CategoryRulesError
from docproc.models import Transaction
from docproc.pipeline.reports.figures import ZERO, money

FALLBACK = "other"
_SLUG = r"^[a-z][a-z0-9_]*$"


class CategoryRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str = Field(pattern=_SLUG)
    keywords: tuple[str, ...] = Field(min_length=1)
    direction: Literal["in", "out", "any"] = "any"

    @model_validator(mode="after")
    def _keywords_not_blank(self) -> CategoryRule:
        if any(not k.strip() for k in self.keywords):
            raise ValueError(f"rule for {self.category!r} has a blank keyword")
        return self

    @property
    def pattern(self) -> re.Pattern[str]:
        words = "|".join(re.escape(" ".join(k.upper().split())) for k in self.keywords)
        return re.compile(rf"(?<![A-Z0-9])(?:{words})(?![A-Z0-9])")


class CategoryRules(BaseModel):
    """The rules, in priority order, and a label for every category they name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["extend", "replace"] = "replace"
    labels: dict[str, str] = Field(default_factory=dict)
    rules: tuple[CategoryRule, ...] = ()

    @model_validator(mode="after")
    def _every_category_labelled(self) -> CategoryRules:
        if self.mode == "replace":
            missing = {r.category for r in self.rules} - set(self.labels)
            if missing or FALLBACK not in self.labels:
                raise ValueError(
                    f"no label for {sorted(missing | ({FALLBACK} - set(self.labels)))}"
                )
        return self

    def extended_by(self, other: CategoryRules) -> CategoryRules:
        """`other`'s rules first, then these; labels merged."""
        if other.mode == "replace":
            return other
        return CategoryRules(labels={**self.labels, **other.labels}, rules=other.rules + self.rules)


def _invalid(source: object, exc: Exception) -> CategoryRulesError:
    """One line naming every problem, e.g. `rules.0.keywords: List should have at least 1 item`."""
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else e["msg"]
            for e in exc.errors()
        )
    else:
        problems = " ".join(str(exc).split())
    return CategoryRulesError(f"Category rules {source} are invalid: {problems}")


def _parse_rules(text: str, source: str) -> CategoryRules:
    try:
        return CategoryRules.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise _invalid(source, exc) from exc


@lru_cache(maxsize=1)
def builtin_rules() -> CategoryRules:
    """The table shipped with docproc."""
    text = resources.files(__package__).joinpath("category_rules.toml").read_text("utf-8")
    return _parse_rules(text, "category_rules.toml")


def load_category_rules(path: Path | str | None) -> CategoryRules:
    """The built-in table, extended or replaced by the TOML (or JSON) file at `path`."""
    if path is None:
        return builtin_rules()
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise CategoryRulesError(f"Cannot read category rules {path}: {exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            user = CategoryRules.model_validate_json(text)
        except ValidationError as exc:
            raise _invalid(path, exc) from exc
    else:
        user = _parse_rules(text, str(path))
    try:
        return builtin_rules().extended_by(user)
    except ValidationError as exc:
        raise _invalid(path, exc) from exc


class Categoriser:
    """Applies a rules table to transactions."""

    def __init__(self, rules: CategoryRules) -> None:
        self.rules = rules
        self._compiled = [(r.category, r.direction, r.pattern) for r in rules.rules]

    def category(self, description: str, counterparty: str, amount: Decimal) -> str:
        text = " ".join(description.upper().split())
        direction = "in" if amount >= 0 else "out"
        for category, wanted, pattern in self._compiled:
            if wanted in ("any", direction) and (
                pattern.search(text) or pattern.search(counterparty)
            ):
                return category
        return FALLBACK

    def label(self, category: str) -> str:
        return self.rules.labels.get(category, category.replace("_", " ").capitalize())


def category_report(
    transactions: Sequence[Transaction], categories: Sequence[str], categoriser: Categoriser
) -> dict[str, Any]:
    """Totals and counts per category, and the category of each transaction in order."""
    totals: dict[str, dict[str, Any]] = {}
    for txn, category in zip(transactions, categories, strict=True):
        row = totals.setdefault(category, {"count": 0, "in": ZERO, "out": ZERO})
        row["count"] += 1
        row["in" if txn.amount >= 0 else "out"] += abs(txn.amount)
    by_category = [
        {
            "category": name,
            "label": categoriser.label(name),
            "count": row["count"],
            "money_in": money(row["in"]),
            "money_out": money(row["out"]),
            "net": money(row["in"] - row["out"]),
        }
        for name, row in sorted(totals.items(), key=lambda kv: (-kv[1]["out"], -kv[1]["in"], kv[0]))
    ]
    return {
        "by_category": by_category,
        "by_transaction": list(categories),
        "labels": {name: categoriser.label(name) for name in sorted(totals)},
    }
