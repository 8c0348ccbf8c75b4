"""The reconciliation section: the statements area's `reconcile()`, never a second one."""

from __future__ import annotations

from typing import Any

from docproc.models import BankStatement


def reconciliation_report(statement: BankStatement) -> dict[str, Any]:
    """`statements.reconcile.reconcile(statement)`, or an 'unverifiable' note while missing."""
    try:
        from docproc.pipeline.statements.reconcile import reconcile
    except ImportError:
        return {"status": "unverifiable", "reason": "reconciliation is not available"}
    return reconcile(statement)
