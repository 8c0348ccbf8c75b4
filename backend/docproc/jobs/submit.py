"""Accepting a document: validate cheaply, store it, write the job record, queue the task.

Everything that can reject a request runs before anything is written, so a rejected request
leaves nothing behind. The upload and the record go to Redis in one round trip; the broker
message carries only the job id (which is also the upload's storage key and the Celery task id).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from pathlib import PurePosixPath
from typing import Any

import anyio.to_thread
from celery import Celery
from kombu.exceptions import OperationalError
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from docproc.errors import FileTooLarge, IdempotencyConflict, StorageUnavailable
from docproc.jobs.celery_app import TASK_NAME
from docproc.jobs.publish import TaskPublisher
from docproc.jobs.services import Services
from docproc.jobs.store import as_text
from docproc.jobs.webhooks import check_callback_url
from docproc.observability.metrics import count_submitted
from docproc.pipeline.read.pdf import check_page_count, open_pdf
from docproc.pipeline.read.sniff import sniff_media_type
from docproc.pipeline.runner import check_document_type

# Above this size the PDF check runs in a thread instead of on the event loop.
INLINE_CHECK_BYTES = 512 * 1024
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
        settings = services.settings
        self.publisher = TaskPublisher(celery)
        self.async_redis = AsyncRedis.from_url(settings.redis_url)
        # The message can share the record's MULTI/EXEC only when the broker is that same Redis.
        self.one_round_trip = settings.broker_url == settings.redis_url and (
            settings.broker_url.startswith(("redis://", "rediss://", "unix://"))
        )

    async def submit_async(
        self,
        data: bytes,
        *,
        filename: str | None,
        document_type: str,
        password: str | None = None,
        owner: str = "anonymous",
        callback_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """`submit` for the event loop: store, record and queue in one Redis round trip."""
        call = functools.partial(
            self.submit, data, filename=filename, document_type=document_type,
            password=password, owner=owner, callback_url=callback_url,
            idempotency_key=idempotency_key,
        )
        if not self.one_round_trip or idempotency_key:
            return await anyio.to_thread.run_sync(call)
        private = self._validate(document_type, owner, callback_url)
        if len(data) > INLINE_CHECK_BYTES:  # a large PDF is opened off the event loop
            await anyio.to_thread.run_sync(functools.partial(self._check, data, password))
        else:
            self._check(data, password)
        job_id = uuid.uuid4().hex
        pipe = self.async_redis.pipeline(transaction=True)
        record = self._write(pipe, job_id, data, filename, document_type, password, private)
        for name, args in self.publisher.commands(TASK_NAME, [job_id], job_id):
            getattr(pipe, name)(*args)
        try:
            await pipe.execute()
        except RedisError as exc:
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        return record

    def _validate(self, document_type: str, owner: str, callback_url: str | None) -> dict[str, str]:
        """Check the request's fields; returns the record's private fields."""
        check_document_type(document_type)
        private = {"owner": owner}
        if callback_url:
            private["callback_url"] = check_callback_url(
                callback_url, secret_configured=self.services.settings.webhook_secret is not None
            )
        return private

    def _check(self, data: bytes, password: str | None) -> None:
        settings = self.services.settings
        check_upload(
            data, password=password, max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_pages,
        )

    def _write(
        self, pipe: Any, job_id: str, data: bytes, filename: str | None, document_type: str,
        password: str | None, private: dict[str, str],
    ) -> dict[str, Any]:
        """Queue the upload, the record and the submission count on `pipe`."""
        self.services.uploads.put(job_id, data, pipe)
        record = self.services.store.create(
            pipe, job_id, filename=display_filename(filename), document_type=document_type,
            password=password, private=private,
        )
        count_submitted(pipe)
        return record

    def submit(
        self,
        data: bytes,
        *,
        filename: str | None,
        document_type: str,
        password: str | None = None,
        owner: str = "anonymous",
        callback_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        private = self._validate(document_type, owner, callback_url)
        self._check(data, password)
        job_id = uuid.uuid4().hex
        if idempotency_key:
            earlier = self._claim(idempotency_key, owner, job_id)
            if earlier is not None:
                return earlier
        try:
            pipe = self.services.redis.pipeline(transaction=False)
            record = self._write(pipe, job_id, data, filename, document_type, password, private)
            pipe.execute()
        except RedisError as exc:
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        self._queue(job_id)
        return record

    def _claim(self, idempotency_key: str, owner: str, job_id: str) -> dict[str, Any] | None:
        """Reserve `Idempotency-Key` for `job_id`; the earlier job when it was used before."""
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
        key = f"docproc:idempotency:{owner}:{digest}"
        ttl = self.services.settings.result_ttl
        if self.services.redis.set(key, job_id, nx=True, ex=ttl):
            return None
        earlier = self.services.redis.get(key)
        record = self.services.store.get(as_text(earlier)) if earlier else None
        if record is None:
            raise IdempotencyConflict(
                "A request with this Idempotency-Key is still being accepted; retry shortly."
            )
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
