"""JSON export: the result object exactly as the API returns it."""

from __future__ import annotations

from docproc.models import ProcessingResult
from docproc.pipeline.export.export import Export


def export_json(result: ProcessingResult) -> Export:
    return Export(result.model_dump_json(indent=2).encode(), "application/json", "json")
