"""Reports on a bank statement (see docs/reports.md).

`build_reports(statement)` returns the `reports` object of a result: JSON-ready, money as exact
decimal strings. `build_reports_for_account(statements)` does the same for several statements of
one account processed together (recurring payments show across them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docproc.models import BankStatement
from docproc.pipeline.reports.balances import balance_report
from docproc.pipeline.reports.cash_flow import cash_flow_report, days_covered, summary_report
from docproc.pipeline.reports.categories import (
    Categoriser,
    CategoryRules,
    category_report,
    load_category_rules,
)
from docproc.pipeline.reports.counterparties import counterparty_name, counterparty_report
from docproc.pipeline.reports.notable import notable_report
from docproc.pipeline.reports.reconciliation import reconciliation_report
from docproc.pipeline.reports.recurring import Occurrence, income_report, recurring_report

RulesSource = CategoryRules | Path | str | None

__all__ = ["build_reports", "build_reports_for_account", "configured_rules"]


def configured_rules() -> CategoryRules:
    """The rules named by `DOCPROC_CATEGORY_RULES`, read when first needed (not at import)."""
    from docproc.config import get_settings

    return load_category_rules(get_settings().category_rules)


def _rules(source: RulesSource) -> CategoryRules:
    if isinstance(source, CategoryRules):
        return source
    return configured_rules() if source is None else load_category_rules(source)


def analyse(statement: BankStatement, rules: RulesSource) -> dict[str, Any]:
    """Every section but reconciliation."""
    categoriser = Categoriser(_rules(rules))
    txns = statement.transactions
    names = [counterparty_name(t.description) for t in txns]
    categories = [
        categoriser.category(t.description, name, t.amount)
        for t, name in zip(txns, names, strict=True)
    ]
    occurrences = [
        Occurrence(i, t, n, c)
        for i, (t, n, c) in enumerate(zip(txns, names, categories, strict=True))
    ]
    recurring = recurring_report(occurrences)
    return {
        "summary": summary_report(statement),
        "cash_flow": cash_flow_report(statement),
        "categories": category_report(txns, categories, categoriser),
        "counterparties": counterparty_report(txns, names),
        "recurring": recurring,
        "income": income_report(occurrences, recurring, days_covered(statement)),
        "balances": balance_report(statement),
        "notable": notable_report(occurrences),
    }


def build_reports(
    statement: BankStatement, *, category_rules: RulesSource = None
) -> dict[str, Any]:
    """Every report on one statement; `category_rules`: rules, a file, or None for the setting."""
    return {
        "reconciliation": reconciliation_report(statement),
        **analyse(statement, category_rules),
    }


def build_reports_for_account(
    statements: Sequence[BankStatement], *, category_rules: RulesSource = None
) -> dict[str, Any]:
    """Reports across several statements of one account (see `account.py`)."""
    from docproc.pipeline.reports.account import build_reports_for_account as for_account

    return for_account(statements, category_rules=category_rules)
