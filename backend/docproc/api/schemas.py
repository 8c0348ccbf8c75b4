"""Shapes of the job API's answers (for the OpenAPI page; handlers return plain dicts)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Accepted(BaseModel):
    job_id: str
    status: str
    filename: str
    message: str


class JobStatusBody(BaseModel):
    job_id: str
    status: str
    state: str
    progress: int
    message: str
    filename: str
    document_type: str
    created_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    attempts: int = 0
    worker: str | None = None
    error: str | None = None
    error_type: str | None = None
    result: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    error: str
    error_type: str
