"""Accepting a document: validate cheaply, store it, write the job record, queue the task.

Everything that can reject a request runs before anything is written, so a rejected request
leaves nothing behind. The upload and the record go to Redis in one round trip; the broker
message carries only the job id (which is also the upload's storage key and the Celery task id).
"""

from __future__ import annotations

import re
import threading
import uuid
from pathlib import PurePosixPath
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from docproc.errors import FileTooLarge, StorageUnavailable
from docproc.jobs.celery_app import TASK_NAME
from docproc.jobs.services import Services
from docproc.pipeline.read.pdf import check_page_count, open_pdf
from docproc.pipeline.read.sniff import sniff_media_type
from docproc.pipeline.runner import check_document_type

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# pdfium is not thread-safe; the API checks PDFs from a thread pool.
_PDFIUM_LOCK = threading.Lock()


def display_filename(name: str | None) -> str:
    """The user's filename for display only: last path part, no control characters."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = _CONTROL.sub("", base).strip()[:255]
    return base or "document"


def check_upload(
    data: bytes, *, password: str | None, max_bytes: int, max_pages: int
) -> str:
    """Reject what a worker could never process; returns the sniffed media type."""
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"The file is {len(data)} bytes; the limit is {max_bytes}.", limit=max_bytes
        )
    media_type = sniff_media_type(data[:1024])
    if media_type == "application/pdf":
        with _PDFIUM_LOCK, open_pdf(data, password) as pdf:
            check_page_count(pdf, max_pages)
    return media_type


class Submitter:
    """Turns an accepted upload into a queued job."""

    def __init__(self, services: Services, celery: Celery) -> None:
        self.services = services
        self.celery = celery

    def submit(
        self,
        data: bytes,
        *,
        filename: str | None,
        document_type: str,
        password: str | None = None,
    ) -> dict[str, Any]:
        settings = self.services.settings
        check_document_type(document_type)
        check_upload(
            data,
            password=password,
            max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_pages,
        )
        job_id = uuid.uuid4().hex
        try:
            pipe = self.services.redis.pipeline(transaction=False)
            self.services.uploads.put(job_id, data, pipe)
            record = self.services.store.create(
                pipe,
                job_id,
                filename=display_filename(filename),
                document_type=document_type,
                password=password,
            )
            pipe.execute()
        except RedisError as exc:
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        self._queue(job_id)
        return record

    def _queue(self, job_id: str) -> None:
        try:
            self.celery.send_task(TASK_NAME, args=[job_id], task_id=job_id)
        except (OperationalError, RedisError, OSError) as exc:
            message = f"The job queue did not answer: {exc}"
            self.services.store.fail(
                job_id, error=message, error_type=StorageUnavailable.error_type, message=message
            )
            raise StorageUnavailable(message) from exc
