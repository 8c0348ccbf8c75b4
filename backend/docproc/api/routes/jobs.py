"""`POST /process`, `GET /job/{id}/status`, `GET /job/{id}/result`, `DELETE /job/{id}`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, UploadFile
from fastapi.responses import JSONResponse, Response

from docproc.api.deps import CallerDep, SettingsDep, StoreDep, SubmitterDep
from docproc.api.schemas import Accepted, ErrorBody, JobStatusBody
from docproc.errors import JobNotFound, MissingFile
from docproc.jobs.store import JobStatus, JobStore

router = APIRouter(tags=["jobs"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 404, 413, 415, 422, 503)
}


@router.post("/process", status_code=202, response_model=Accepted, responses=_ERRORS)
async def process(
    submitter: SubmitterDep,
    settings: SettingsDep,
    caller: CallerDep,
    file: Annotated[UploadFile | None, File(description="the document (PDF or image)")] = None,
    document_type: Annotated[str, Form()] = "bank_statement",
    password: Annotated[str | None, Form(description="for an encrypted PDF")] = None,
    callback_url: Annotated[
        str | None, Form(description="http(s) URL that gets the final status, signed")
    ] = None,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", max_length=200)
    ] = None,
) -> Response:
    """Accept a document and queue it; answers before any processing."""
    if file is None:
        raise MissingFile("No file: send the document as the multipart form field `file`.")
    # The body limit already stopped larger bodies while streaming; +1 catches the edge.
    data = await file.read(settings.max_upload_bytes + 1)
    record = await submitter.submit_async(
        data,
        filename=file.filename,
        document_type=document_type,
        password=password or None,
        owner=caller.id,
        callback_url=callback_url or None,
        idempotency_key=idempotency_key or None,
    )
    # A Response skips re-validating the dict through `Accepted` (the hot path; same body).
    return JSONResponse(
        {
            "job_id": record["job_id"],
            "status": record["status"],
            "filename": record["filename"],
            "message": "Document processing started. Use /job/{job_id}/status to check progress.",
        },
        status_code=202,
    )


@router.get("/job/{job_id}/status", response_model=JobStatusBody, responses=_ERRORS)
def job_status(job_id: str, store: StoreDep) -> Response:
    """The job's status; includes `result` once completed."""
    record = _record(store, job_id)
    if record["status"] == JobStatus.COMPLETED:
        result = store.result_json(job_id)
        if result is not None:
            # The stored JSON goes out as it is: no parse and re-serialise of a large result.
            head = json.dumps(record).encode()[:-1]
            return Response(head + b', "result": ' + result + b"}", media_type="application/json")
    return JSONResponse(record)


@router.get("/job/{job_id}/result", responses={**_ERRORS, 409: {"model": JobStatusBody}})
def job_result(job_id: str, store: StoreDep) -> Response:
    """The result object once completed; 409 with the status object before that."""
    record = _record(store, job_id)
    result = store.result_json(job_id) if record["status"] == JobStatus.COMPLETED else None
    if result is None:
        return JSONResponse(record, status_code=409)
    return Response(result, media_type="application/json")


@router.delete("/job/{job_id}", responses=_ERRORS)
def delete_job(job_id: str, store: StoreDep, submitter: SubmitterDep) -> dict[str, Any]:
    """Cancel a queued or running job (revoke) and delete its upload and result at once."""
    record = _record(store, job_id)
    running = record["status"] == JobStatus.PROCESSING
    if record["status"] not in (JobStatus.COMPLETED, JobStatus.FAILED):
        submitter.celery.control.revoke(job_id, terminate=running)
    store.delete(job_id)
    submitter.services.uploads.delete(job_id)
    return {"job_id": job_id, "deleted": True, "status_before": record["status"]}


def _record(store: JobStore, job_id: str) -> dict[str, Any]:
    record = store.get(job_id) if len(job_id) <= 64 else None
    if record is None:
        raise JobNotFound(f"No job with id {job_id!r}.", job_id=job_id[:64])
    return record
