"""The Celery application, configured from the one Settings object.

Reliability settings and why:
- `acks_late` + `reject_on_worker_lost`: a task is acknowledged only when it ends, so a worker
  killed mid-job gives its message back; `tasks.py` counts deliveries and fails a document that
  keeps killing its worker (`DOCPROC_MAX_DELIVERIES`).
- soft and hard time limits; the broker's visibility timeout lies above the hard limit so Redis
  never hands a still-running task to a second worker.
- prefetch 1: a long document never holds other jobs hostage in one worker's buffer.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from celery import Celery

from docproc.config import Settings

TASK_NAME = "docproc.process_document"


def use_psycopg2_for_postgresql() -> None:
    """`postgresql://` through psycopg2 (pinned), where SQLAlchemy 2.1 would pick psycopg 3.

    Celery reads `CELERY_RESULT_BACKEND` from the environment itself, so the guide's
    `db+postgresql://...` is kept as written and the driver is chosen here instead.
    """
    if importlib.util.find_spec("psycopg") is None:
        from sqlalchemy.dialects import registry

        registry.register(
            "postgresql", "sqlalchemy.dialects.postgresql.psycopg2", "PGDialect_psycopg2"
        )


def celery_config(settings: Settings) -> dict[str, Any]:
    transport = {"visibility_timeout": settings.visibility_timeout}
    return {
        "broker_url": settings.broker_url,
        "result_backend": settings.result_backend,
        "broker_transport_options": transport,
        "result_backend_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_soft_time_limit": settings.task_soft_time_limit,
        "task_time_limit": settings.task_time_limit,
        "task_track_started": True,
        "result_expires": settings.result_ttl,
        "result_extended": True,
        "worker_prefetch_multiplier": settings.worker_prefetch_multiplier,
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child,
        "worker_max_memory_per_child": settings.worker_max_memory_per_child,
        "worker_send_task_events": True,
        # A running job goes on when the broker connection drops (a Redis restart) instead of
        # being cancelled and started over; a second delivery of its restored message is
        # harmless (the job store keeps the first finish). Celery 6 turns this on by default.
        "worker_cancel_long_running_tasks_on_connection_loss": False,
    }


def create_celery(settings: Settings) -> Celery:
    """A Celery app for `settings`; the worker's includes the task module."""
    if settings.result_backend.startswith("db+postgres") or os.environ.get(
        "CELERY_RESULT_BACKEND", ""
    ).startswith("db+postgres"):
        use_psycopg2_for_postgresql()
    from docproc.observability.worker import install_worker_hooks

    install_worker_hooks()  # heartbeats, sweeper, job metrics, webhooks, JSON logs (issue 7)
    app = Celery("docproc", include=["docproc.jobs.tasks", "docproc.jobs.webhooks"])
    app.conf.update(celery_config(settings))
    return app
