"""Exports of a `ProcessingResult`: json, csv, xlsx, ofx and a standalone html report.

Each exporter takes the result and returns an `Export` (bytes, media type, file extension).
`export_result(result, format)` picks one; unknown formats, or formats that make no sense for the
document type, raise `UnsupportedExport`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from docproc.errors import UnsupportedExport
from docproc.models import ProcessingResult
from docproc.pipeline.export.csvfile import export_csv
from docproc.pipeline.export.export import Export
from docproc.pipeline.export.html_report import export_html
from docproc.pipeline.export.jsonfile import export_json
from docproc.pipeline.export.ofx import export_ofx
from docproc.pipeline.export.xlsx import export_xlsx

Exporter = Callable[[ProcessingResult], Export]

EXPORTERS: Mapping[str, Exporter] = {
    "json": export_json,
    "csv": export_csv,
    "xlsx": export_xlsx,
    "ofx": export_ofx,
    "html": export_html,
}
FORMATS = tuple(EXPORTERS)

__all__ = ["EXPORTERS", "FORMATS", "Export", "export_result"]


def export_result(result: ProcessingResult, export_format: str) -> Export:
    """`result` in `export_format` (one of `FORMATS`)."""
    exporter = EXPORTERS.get(export_format.lower())
    if exporter is None:
        raise UnsupportedExport(f"Unknown export format {export_format!r}.", known=list(FORMATS))
    return exporter(result)
