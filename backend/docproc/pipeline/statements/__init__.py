"""Bank statements: from positioned words to transactions, header fields and balances."""

from __future__ import annotations

from docproc.models import BankStatement
from docproc.pipeline.read.document import Document


def extract_statement(document: Document) -> BankStatement:
    """Placeholder until the layout engine lands: an empty statement, never a guess."""
    return BankStatement()
