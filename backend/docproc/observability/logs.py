"""Structured JSON logs carrying the `job_id` of the job being worked on.

What never goes into a log: document text, account numbers, passwords and API keys. Code logs
ids, counts, timings and error types only; as a last guard, the formatter masks any run of eight
or more digits (an account or card number) and any `X-API-Key`/`password` value that slips in.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "docproc_job_id", default=None
)

_LONG_NUMBER = re.compile(r"(?<![\w.])\d(?:[ -]?\d){7,}(?![\w.])")
_SECRET = re.compile(
    r"(?i)(x-api-key|api_key|password|authorization)([\"']?\s*[:=]\s*[\"']?)[^\s,\"'}]+"
)
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def redact(text: str) -> str:
    """Mask long digit runs and secret-looking assignments."""
    return _SECRET.sub(r"\1\2[redacted]", _LONG_NUMBER.sub("[redacted]", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, job_id and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        _drop_task_result(record)
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        job_id = getattr(record, "job_id", None) or current_job_id.get()
        if job_id:
            entry["job_id"] = job_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


def _drop_task_result(record: logging.LogRecord) -> None:
    """Celery logs a task's return value ("succeeded in 0.3s: {...}"): ours is the document's
    data, so it is replaced before formatting (the result lives in the job store)."""
    if record.name == "celery.app.trace":
        if isinstance(record.args, dict) and "return_value" in record.args:
            record.args = {**record.args, "return_value": "<result not logged>"}
        if hasattr(record, "data"):
            record.data = "<not logged>"


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route the root logger through one handler in the chosen format (idempotent)."""
    root = logging.getLogger()
    handler = logging.StreamHandler()
    text = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    handler.setFormatter(JsonFormatter() if fmt == "json" else text)
    for existing in list(root.handlers):
        if getattr(existing, "_docproc", False):
            root.removeHandler(existing)
    handler._docproc = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())


@contextmanager
def job_context(job_id: str) -> Iterator[None]:
    """Every log line inside carries `job_id`."""
    token = current_job_id.set(job_id)
    try:
        yield
    finally:
        current_job_id.reset(token)
