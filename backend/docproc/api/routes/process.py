"""`POST /process`: accept a document and queue it, in one Redis call (the hot path).

The route reads its multipart form itself (`api/multipart.py`) instead of through FastAPI's
`File`/`Form` parameters, and is included without the app-wide `authorize` dependency: the
submission's single Redis call confirms the API key and counts the rate limit (`Guard.admission`,
`Submitter.submit_async`). The OpenAPI schema still documents the form and the header
(`openapi_extra`), so the docs and the schemathesis fuzz test cover the route as before.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import orjson
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from docproc.api.multipart import FILE_FIELD, read_form
from docproc.api.schemas import Accepted, ErrorBody
from docproc.errors import InputError, MissingFile
from docproc.jobs.submit import Submitter
from docproc.security.guard import Guard

router = APIRouter(tags=["jobs"])

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200
ACCEPTED_MESSAGE = "Document processing started. Use /job/{job_id}/status to check progress."

_FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        FILE_FIELD: {"type": "string", "format": "binary",
                     "description": "the document (PDF or image)"},
        "document_type": {"type": "string", "default": "bank_statement",
                          "description": "`bank_statement` or `generic`"},
        "password": {"type": "string", "description": "for an encrypted PDF"},
        "callback_url": {"type": "string",
                         "description": "http(s) URL that gets the final status, signed"},
    },
}
_OPENAPI: dict[str, Any] = {
    "parameters": [{
        "name": IDEMPOTENCY_HEADER, "in": "header", "required": False,
        "schema": {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY},
        "description": "a repeated request with the same key returns the same job",
    }],
    "requestBody": {"content": {"multipart/form-data": {"schema": _FORM_SCHEMA}}},
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 409, 413, 415, 422, 429, 503)
}


@router.post("/process", status_code=202, response_model=Accepted, responses=_ERRORS,
             openapi_extra=_OPENAPI)
async def process(request: Request) -> Response:
    """Accept a document and queue it; answers before any processing."""
    guard: Guard = request.app.state.guard
    submitter: Submitter = request.app.state.submitter
    admission = guard.admission(request)  # no I/O: a missing key is 401 before the body is read
    try:
        form = await read_form(request.headers.get("content-type"), request.stream())
        idempotency_key = _idempotency_key(request)
        if form.file is None:
            raise MissingFile("No file: send the document as the multipart form field `file`.")
        submission = await submitter.prepare_async(
            form.file,
            filename=form.filename,
            document_type=form.text("document_type") or "bank_statement",
            password=form.text("password"),
            owner=admission.caller.id,
            callback_url=form.text("callback_url"),
        )
    except (InputError, RequestValidationError):
        await guard(request)  # a caller Redis refuses gets its 401/429 first, as on any route
        raise
    if submitter.one_round_trip:
        record = await submitter.submit_async(submission, admission, idempotency_key)
    else:
        await guard(request)
        record = await anyio.to_thread.run_sync(
            submitter.store_and_queue, submission, idempotency_key
        )
    body = {"job_id": record["job_id"], "status": record["status"],
            "filename": record["filename"], "message": ACCEPTED_MESSAGE}
    return Response(orjson.dumps(body), status_code=202, media_type="application/json")


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
        raise RequestValidationError([{
            "loc": ("header", IDEMPOTENCY_HEADER), "type": "string_too_long",
            "msg": f"String should have at most {MAX_IDEMPOTENCY_KEY} characters",
        }])
    return key or None
