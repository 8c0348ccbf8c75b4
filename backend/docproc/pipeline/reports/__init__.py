"""Reports on a bank statement: reconciliation, summary, categories, ..."""

from __future__ import annotations

from typing import Any

from docproc.models import BankStatement


def build_reports(statement: BankStatement) -> dict[str, Any]:
    """Placeholder until the reports land."""
    return {}
