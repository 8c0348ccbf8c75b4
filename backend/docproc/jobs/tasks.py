"""The thin adapter between Celery and the pipeline: one task, `process_document(job_id)`.

It loads the upload by its key, calls `docproc.pipeline.run`, reports progress to the job store
and to Celery (custom state `PROCESSING`), and turns domain errors into a failed job. Only
`TransientError` is retried, with backoff. A job delivered more than `DOCPROC_MAX_DELIVERIES`
times (its worker died each time) fails instead of running again.

Redis going away mid-job (a restart) is waited out inside the task: the job goes back to the
queue only once Redis answers again. Celery's own retry would publish the new message at once,
while Redis is still away; that publish fails and Celery drops the message (`Reject`), leaving
the job to the sweeper's timeouts.
"""

from __future__ import annotations

import json
import logging
import os
import time
from functools import lru_cache
from typing import Any, NoReturn

from billiard.einfo import ExceptionInfo
from celery import Task, shared_task, states
from celery.exceptions import Ignore, SoftTimeLimitExceeded, TimeLimitExceeded
from redis.exceptions import RedisError

from docproc.config import get_settings
from docproc.errors import (
    DocprocError,
    JobTimeout,
    StorageUnavailable,
    TransientError,
    WorkerLost,
)
from docproc.jobs.celery_app import TASK_NAME
from docproc.jobs.services import Services, build_services
from docproc.pipeline.read.reader import ReadLimits
from docproc.pipeline.runner import PipelineLimits, run

log = logging.getLogger(__name__)
PROCESSING = "PROCESSING"
REDIS_RETRIES = 8  # Redis outages one job lives through, on top of DOCPROC_MAX_RETRIES
REDIS_OUTAGE_WAIT = 120.0  # seconds a task waits for Redis to answer again before giving up


@lru_cache(maxsize=1)
def worker_services() -> Services:
    return build_services(get_settings())


class DocumentTask(Task):
    """Records failures Celery sees outside the task body (hard time limit, bugs) in the store."""

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo | None,
    ) -> None:
        job_id = args[0] if args else kwargs.get("job_id")
        if not job_id:
            return
        services = worker_services()
        store = services.store
        if store.is_finished(job_id):
            return
        if isinstance(exc, RedisError) and self._requeue(services, job_id, exc):
            return
        if isinstance(exc, TimeLimitExceeded):
            limit = exc.args[0] if exc.args else "?"
            error: DocprocError = JobTimeout(
                f"Processing took longer than the hard limit of {limit} s."
            )
        else:
            error = DocprocError(f"Internal error: {type(exc).__name__}: {exc}")
            error.error_type = "internal_error"  # type: ignore[misc]
        store.fail(job_id, error=error.message, error_type=error.error_type, message=error.message)

    def _requeue(self, services: Services, job_id: str, exc: RedisError) -> bool:
        """The last resort for a Redis error that reached Celery (Redis away for longer than
        the task waits, or gone again between the wait and the requeue): if Redis answers by
        now, the job goes back to the queue (bounded) instead of failing with an internal
        error. While Redis is still away nothing can be recorded; the sweeper restores the job
        later (its heartbeat goes stale)."""
        record = services.store.private_fields(job_id)
        if int(record.get("retries", 0)) >= services.settings.max_retries + REDIS_RETRIES:
            return False
        try:
            services.store.count_retry(job_id, f"Retrying after Redis was unavailable: {exc}")
            self.apply_async(args=[job_id], task_id=job_id, countdown=2)
        except Exception:  # Redis still away: the job ends failed below, with the reason
            log.warning("job %s could not be requeued after a Redis error", job_id)
            return False
        log.info("job %s requeued after a Redis error", job_id)
        return True


class ProgressReporter:
    """The pipeline's progress callback: to the job store and to Celery's result backend."""

    def __init__(self, task: Task, services: Services, job_id: str) -> None:
        self.task = task
        self.store = services.store
        self.job_id = job_id
        self.delay = services.settings.test_page_delay

    def __call__(self, percent: int, message: str) -> None:
        try:
            self.store.progress(self.job_id, percent, message)
            self.task.update_state(
                state=PROCESSING,
                meta={"job_id": self.job_id, "progress": percent, "message": message},
            )
        except RedisError as exc:  # a Redis restart mid-job: retried as a transient error
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        if self.delay and percent < 100:
            time.sleep(self.delay)  # DOCPROC_TEST_PAGE_DELAY: makes jobs slow for tests only


@shared_task(bind=True, base=DocumentTask, name=TASK_NAME)
def process_document(self: Task, job_id: str) -> dict[str, Any]:
    """Process the upload of job `job_id` and store its result."""
    services = worker_services()
    try:
        return _process(self, services, job_id)
    except (RedisError, StorageUnavailable) as exc:
        if not _redis_away(exc):
            raise
        _retry_once_redis_answers(self, services, job_id, exc)  # Redis restarting (issue 7)


def _process(task: Task, services: Services, job_id: str) -> dict[str, Any]:
    settings, store = services.settings, services.store
    record = store.start(job_id, worker=task.request.hostname or "", pid=os.getpid())
    if record is None:
        # A second delivery of a finished job (its worker died before acknowledging, or the
        # message was restored after a lost connection) or a job deleted meanwhile: running
        # it again could only change a result already given.
        log.info("job %s is finished or deleted; this delivery is skipped", job_id)
        return {"job_id": job_id, "skipped": True}
    deliveries = record.get("attempts", 1) - record.get("retries", 0)
    if deliveries > settings.max_deliveries:
        _fail(
            task,
            services,
            job_id,
            WorkerLost(
                f"The document kept killing its worker ({deliveries - 1} deliveries ended with "
                "the worker process lost); it will not be tried again."
            ),
        )
    try:
        data = services.uploads.get(job_id)
        result = run(
            data,
            record["document_type"],
            filename=record.get("filename", "document"),
            password=record.get("password") or None,
            limits=PipelineLimits(
                read=ReadLimits(settings.max_pages, settings.max_image_pixels)
            ),
            progress=ProgressReporter(task, services, job_id),
        )
    except TransientError as exc:
        if _redis_away(exc):
            raise  # waited out by the caller
        retries = task.request.retries
        if retries >= settings.max_retries:
            _fail(task, services, job_id, exc)
        store.count_retry(job_id, f"Retrying after a transient error: {exc.message}")
        raise task.retry(exc=exc, countdown=2 ** (retries + 1), max_retries=None) from exc
    except SoftTimeLimitExceeded:
        _fail(
            task,
            services,
            job_id,
            JobTimeout(f"Processing took longer than {settings.task_soft_time_limit} s."),
        )
    except DocprocError as exc:
        _fail(task, services, job_id, exc)
    payload = result.model_dump_json().encode()
    if not store.complete(job_id, payload):
        log.info("job %s was finished by another delivery; this result is not stored", job_id)
    if not settings.keep_uploads:
        services.uploads.delete(job_id)
    body: dict[str, Any] = json.loads(payload)  # the same JSON for Celery's result backend
    return body


def _retry_once_redis_answers(
    task: Task, services: Services, job_id: str, exc: Exception
) -> NoReturn:
    """Wait (bounded) until Redis answers, then send the job back to the queue; a job that
    already lived through `REDIS_RETRIES` outages fails. Redis still away after
    `REDIS_OUTAGE_WAIT`: the error goes on to Celery, and the sweeper restores the job once
    Redis is back (its heartbeat has gone stale)."""
    if not _redis_answers_within(services, REDIS_OUTAGE_WAIT):
        raise exc
    retries = task.request.retries
    if retries >= services.settings.max_retries + REDIS_RETRIES:
        _fail(task, services, job_id, StorageUnavailable(f"Redis kept failing: {exc}"))
    log.warning("job %s goes back to the queue after a Redis error: %s", job_id, exc)
    services.store.count_retry(job_id, "Retrying after Redis was unavailable.")
    raise task.retry(exc=exc, countdown=1, max_retries=None) from exc


def _redis_away(exc: Exception) -> bool:
    """A Redis error, or our storage error caused by one (an upload directory's is not)."""
    return isinstance(exc, RedisError) or isinstance(exc.__cause__, RedisError)


def _redis_answers_within(services: Services, seconds: float) -> bool:
    deadline, pause = time.monotonic() + seconds, 0.1
    while True:
        try:
            return bool(services.redis.ping())
        except RedisError:
            if time.monotonic() + pause > deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def _fail(task: Task, services: Services, job_id: str, error: DocprocError) -> None:
    """End the job as failed, in our store and in Celery's, without a traceback in the log."""
    if not services.store.fail(
        job_id, error=error.message, error_type=error.error_type, message=error.message
    ):
        # Another delivery finished it first (this one may have lost the race for the upload
        # that delivery deleted): its outcome stands, in our store and in Celery's.
        log.info("job %s was finished by another delivery; %s: %s is not recorded",
                 job_id, error.error_type, error.message)
        raise Ignore()
    log.info("job %s failed: %s: %s", job_id, error.error_type, error.message)
    if not services.settings.keep_uploads:
        services.uploads.delete(job_id)
    task.update_state(
        state=states.FAILURE,
        meta={
            "exc_type": type(error).__name__,
            "exc_message": [error.message],
            "exc_module": type(error).__module__,
            "error_type": error.error_type,
        },
    )
    raise Ignore()
