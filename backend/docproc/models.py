"""The result contract (`shared/CONTRACT.md`) as pydantic models.

Everything the pipeline returns is one of these; the API, the CLI and the exports serialise them
with `model_dump(mode="json")`, which writes money as exact decimal strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docproc.money import Money


class StatementPeriod(BaseModel):
    start: dt.date | None = None
    end: dt.date | None = None


class Transaction(BaseModel):
    model_config = ConfigDict(extra="allow")

    date: dt.date
    description: str
    amount: Money
    balance: Money | None = None
    page: int
    confidence: float | None = Field(
        default=None, description="0..1 where the row was read by OCR; null for a text layer"
    )


class BankStatement(BaseModel):
    """`extracted_data` for `document_type=bank_statement`."""

    model_config = ConfigDict(extra="allow")

    bank_name: str | None = None
    account_holder: str | None = None
    account_number: str | None = None
    currency: str | None = None
    period: StatementPeriod = Field(default_factory=StatementPeriod)
    opening_balance: Money | None = None
    closing_balance: Money | None = None
    transactions: list[Transaction] = Field(default_factory=list)


class GenericDocument(BaseModel):
    """`extracted_data` for `document_type=generic`."""

    page_count: int
    pages: list[GenericPage]
    metadata: dict[str, str] = Field(default_factory=dict)


class GenericPage(BaseModel):
    page: int
    text: str
    source: str = Field(description="'text' for a PDF text layer, 'ocr' when read from pixels")


class ProcessingResult(BaseModel):
    """The object `GET /job/{id}/result` and `docproc process` return."""

    document_type: str
    filename: str
    extracted_data: dict[str, Any]
    reports: dict[str, Any] = Field(default_factory=dict)


GenericDocument.model_rebuild()
