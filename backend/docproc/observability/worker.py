"""What every worker does besides its tasks, hooked in through Celery signals.

- main process: Sentry when `SENTRY_DSN` is set, a heartbeat thread (`docproc:workers`) that
  also runs the sweeper;
- pool process: an address-space limit, job heartbeats while a job runs, `job_id` in every log
  line, the job's metrics (queue wait, processing time, pages, failures by type) and its webhook
  when it ends.

`install_worker_hooks()` is called once where the Celery app is built; in the API process the
worker signals never fire.
"""

from __future__ import annotations

import contextvars
import logging
import resource
import time
from functools import lru_cache
from typing import Any

from celery import Celery, signals

from docproc.jobs import priority
from docproc.jobs.store import FINISHED, JOB_KEY
from docproc.observability import metrics
from docproc.observability.heartbeats import Beater, JobHeartbeats, forget_worker, worker_beat
from docproc.observability.logs import configure_logging, current_job_id
from docproc.observability.sweeper import Sweeper

log = logging.getLogger(__name__)
JOB_TASK = "docproc.process_document"
_started: dict[str, float] = {}
_tokens: dict[str, contextvars.Token[str | None]] = {}
_main: dict[str, Any] = {}


@lru_cache(maxsize=1)
def _job_heartbeats() -> JobHeartbeats:
    from docproc.jobs.tasks import worker_services

    services = worker_services()
    return JobHeartbeats(services.redis, services.settings.heartbeat_interval)


def _on_setup_logging(loglevel: Any = None, **_: Any) -> None:
    from docproc.config import get_settings

    settings = get_settings()
    level = logging.getLevelName(loglevel) if isinstance(loglevel, int) else settings.log_level
    configure_logging(str(level), settings.log_format)


def _on_worker_init(**_: Any) -> None:
    """Sentry's Celery integration, set up in the main process before the pool forks."""
    from docproc.config import get_settings
    from docproc.observability.sentry import init_sentry

    init_sentry(get_settings(), component="worker")


def _on_worker_process_init(**_: Any) -> None:
    """The pool process runs in SCHED_IDLE (DOCPROC_WORKER_IDLE_PRIORITY: the API and Redis
    come first). Its address space is capped (DOCPROC_WORKER_MEMORY_LIMIT): a document that
    expands without bound (a PDF stream bomb) makes the allocation fail in this process — which
    dies and is replaced, its job failing as `worker_lost` — instead of swapping the host."""
    from docproc.config import get_settings

    settings = get_settings()
    if settings.worker_idle_priority:
        priority.run_when_idle()
    limit = settings.worker_memory_limit * 1024 * 1024
    if limit:
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _on_worker_ready(sender: Any = None, **_: Any) -> None:
    from docproc.jobs.tasks import worker_services

    services = worker_services()
    settings = services.settings
    hostname = str(getattr(sender, "hostname", "worker"))
    app: Celery = sender.app
    sweeper = Sweeper(services.redis, app, timeout=settings.heartbeat_timeout, worker=hostname)

    def beat() -> None:
        worker_beat(services.redis, hostname)
        sweeper.sweep()

    beater = Beater("docproc-worker-heartbeat", settings.heartbeat_interval, beat)
    beater.start()
    _main.update(beater=beater, hostname=hostname)


def _on_worker_shutdown(**_: Any) -> None:
    beater = _main.pop("beater", None)
    if beater is None:
        return
    beater.stop()
    from docproc.jobs.tasks import worker_services

    forget_worker(worker_services().redis, _main["hostname"])


def _on_task_prerun(task_id: str = "", task: Any = None, args: Any = (), **_: Any) -> None:
    if getattr(task, "name", None) != JOB_TASK or not args:
        return
    job_id = str(args[0])
    _tokens[job_id] = current_job_id.set(job_id)
    _started[job_id] = time.time()
    heartbeats = _job_heartbeats()
    heartbeats.begin(job_id)
    created, attempts = heartbeats.redis.hmget(JOB_KEY.format(job_id), "created_at", "attempts")
    if created is not None and attempts in (b"0", None):
        pipe = heartbeats.redis.pipeline(transaction=False)
        metrics.observe(pipe, "queue_wait", max(0.0, time.time() - float(created)))
        pipe.execute()


def _on_task_postrun(task: Any = None, args: Any = (), retval: Any = None, **_: Any) -> None:
    if getattr(task, "name", None) != JOB_TASK or not args:
        return
    job_id = str(args[0])
    heartbeats = _job_heartbeats()
    heartbeats.end(job_id)
    began = _started.pop(job_id, time.time())
    token = _tokens.pop(job_id, None)
    if token is not None:
        current_job_id.reset(token)
    from docproc.jobs.tasks import worker_services

    store = worker_services().store
    record = store.private_fields(job_id)
    # Count the job only when this run ended it (a skipped duplicate delivery does not).
    if record.get("status") not in FINISHED or record.get("finished_at", 0) < began:
        return
    metrics.record_finished(store.redis, record, pages=_pages(retval))
    if record.get("callback_url"):
        task.app.send_task("docproc.send_webhook", args=[job_id])


def _pages(retval: Any) -> int:
    if not isinstance(retval, dict):
        return 0
    data = retval.get("extracted_data") or {}
    if isinstance(data.get("page_count"), int):
        return int(data["page_count"])
    pages = [t.get("page") for t in data.get("transactions") or [] if isinstance(t, dict)]
    return max((p for p in pages if isinstance(p, int)), default=0)


def install_worker_hooks() -> None:
    """Connect the signal handlers (idempotent: Celery keeps one connection per receiver)."""
    signals.setup_logging.connect(_on_setup_logging, weak=False)
    signals.worker_init.connect(_on_worker_init, weak=False)
    signals.worker_process_init.connect(_on_worker_process_init, weak=False)
    signals.worker_ready.connect(_on_worker_ready, weak=False)
    signals.worker_shutdown.connect(_on_worker_shutdown, weak=False)
    signals.task_prerun.connect(_on_task_prerun, weak=False)
    signals.task_postrun.connect(_on_task_postrun, weak=False)
