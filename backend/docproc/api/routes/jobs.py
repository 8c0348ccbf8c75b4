"""`GET /job/{id}/status`, `/job/{id}/result`, `DELETE /job/{id}` (`POST /process`: process.py)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from docproc.api.deps import StoreDep, SubmitterDep
from docproc.api.schemas import ErrorBody, JobStatusBody
from docproc.errors import JobNotFound
from docproc.jobs.store import JobStatus, JobStore

router = APIRouter(tags=["jobs"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 404, 413, 415, 422, 503)
}


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
