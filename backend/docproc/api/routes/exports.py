"""`GET /job/{id}/export?format=...` and `GET /job/{id}/report`: a finished result as a file."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response

from docproc.api.deps import StoreDep
from docproc.api.schemas import ErrorBody, JobStatusBody
from docproc.errors import JobNotFound
from docproc.jobs.store import JobStatus, JobStore
from docproc.models import ProcessingResult
from docproc.pipeline.export import FORMATS, Export, export_result

router = APIRouter(tags=["exports"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody},
    409: {"model": JobStatusBody, "description": "the job has not completed"},
    422: {"model": ErrorBody, "description": "unknown format, or not one for this document type"},
}


def _finished_result(store: JobStore, job_id: str) -> ProcessingResult | JSONResponse:
    """The job's result, or the 409 answer (the status object) while it is not completed."""
    record = store.get(job_id) if len(job_id) <= 64 else None
    if record is None:
        raise JobNotFound(f"No job with id {job_id!r}.", job_id=job_id[:64])
    stored = store.result_json(job_id) if record["status"] == JobStatus.COMPLETED else None
    if stored is None:
        return JSONResponse(record, status_code=409)
    return ProcessingResult.model_validate_json(stored)


def _disposition(kind: str, result: ProcessingResult, exported: Export) -> str:
    stem = PurePath(result.filename).stem or "result"
    name = exported.filename(stem)
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@router.get("/job/{job_id}/export", responses=_ERRORS)
def export_job(
    job_id: str,
    store: StoreDep,
    export_format: Annotated[str, Query(alias="format", description=" | ".join(FORMATS))] = "json",
) -> Response:
    """The result as a file to download: json, csv, xlsx, ofx or html."""
    result = _finished_result(store, job_id)
    if isinstance(result, JSONResponse):
        return result
    exported = export_result(result, export_format)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": _disposition("attachment", result, exported)},
    )


@router.get("/job/{job_id}/report", response_class=HTMLResponse, responses=_ERRORS)
def job_report(job_id: str, store: StoreDep) -> Response:
    """The standalone HTML report (charts inline, works offline)."""
    result = _finished_result(store, job_id)
    if isinstance(result, JSONResponse):
        return result
    exported = export_result(result, "html")
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": _disposition("inline", result, exported)},
    )
