"""`run()`: the one entry point of the pipeline for the CLI, the worker and the tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docproc.errors import UnknownDocumentType
from docproc.models import GenericDocument, GenericPage, ProcessingResult
from docproc.pipeline.read.document import Document, ProgressCallback, no_progress
from docproc.pipeline.read.reader import ReadLimits, read_document


@dataclass(frozen=True, slots=True)
class PipelineLimits:
    read: ReadLimits = field(default_factory=ReadLimits)


Extractor = Callable[[Document], tuple[dict[str, Any], dict[str, Any]]]
"""Turns a read document into (`extracted_data`, `reports`)."""


def extract_generic(document: Document) -> tuple[dict[str, Any], dict[str, Any]]:
    data = GenericDocument(
        page_count=len(document.pages),
        pages=[GenericPage(page=p.number, text=p.text, source=p.source) for p in document.pages],
        metadata=document.metadata,
    )
    return data.model_dump(mode="json"), {}


def extract_bank_statement(document: Document) -> tuple[dict[str, Any], dict[str, Any]]:
    from docproc.pipeline.reports import build_reports
    from docproc.pipeline.statements import extract_statement

    statement = extract_statement(document)
    return statement.model_dump(mode="json"), build_reports(statement)


DOCUMENT_TYPES: Mapping[str, Extractor] = {
    "bank_statement": extract_bank_statement,
    "generic": extract_generic,
}


def check_document_type(document_type: str) -> str:
    if document_type not in DOCUMENT_TYPES:
        raise UnknownDocumentType(
            f"Unknown document_type {document_type!r}.", known=sorted(DOCUMENT_TYPES)
        )
    return document_type


def run(
    data: bytes,
    document_type: str = "bank_statement",
    *,
    filename: str = "document",
    password: str | None = None,
    limits: PipelineLimits | None = None,
    progress: ProgressCallback = no_progress,
) -> ProcessingResult:
    """Read `data`, extract what `document_type` asks for, and build its reports."""
    extractor = DOCUMENT_TYPES[check_document_type(document_type)]
    limits = limits or PipelineLimits()
    document = read_document(data, password=password, limits=limits.read, progress=progress)
    progress(85, "Extracting data")
    extracted, reports = extractor(document)
    progress(100, "Done")
    return ProcessingResult(
        document_type=document_type, filename=filename, extracted_data=extracted, reports=reports
    )
