"""The one place where errors become HTTP answers: `{"error", "error_type", ...}` with a status."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException

from docproc.errors import DocprocError, StorageUnavailable


def error_response(error: DocprocError) -> JSONResponse:
    # `headers`: e.g. Retry-After on 429, WWW-Authenticate on 401 (set by security/guard.py).
    headers = getattr(error, "headers", None)
    return JSONResponse(error.to_dict(), status_code=error.http_status, headers=headers)


async def _docproc_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DocprocError)
    return error_response(exc)


async def _redis_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(StorageUnavailable(f"Redis did not answer: {exc}"))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 413:
        limit = request.app.state.services.settings.max_upload_bytes
        body = {
            "error": f"The upload is larger than the limit of {limit} bytes.",
            "error_type": "file_too_large",
            "limit": limit,
        }
    else:
        body = {"error": str(exc.detail), "error_type": f"http_{exc.status_code}"}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "")}
        for err in exc.errors()
    ]
    summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
    return JSONResponse(
        {"error": f"The request is not valid: {summary}", "error_type": "invalid_request",
         "problems": problems},
        status_code=422,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DocprocError, _docproc_error)
    app.add_exception_handler(RedisError, _redis_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
