"""Monitoring from outside: what Flower reads (Celery's task events and remote control) and the
optional Sentry set-up, on a real worker."""

from __future__ import annotations

import importlib.util
import sys
import threading
from typing import Any

import pytest
from celery import Celery

from docproc.config import Settings
from docproc.observability.sentry import init_sentry
from tests.integration.documents import text_pdf
from tests.security.conftest import ALICE, client
from tests.stack import Stack, wait_until

SENTRY_INSTALLED = importlib.util.find_spec("sentry_sdk") is not None


def test_flower_sees_the_worker_and_each_job_through_celery_events(secured: Stack) -> None:
    """Flower is a consumer of Celery's event stream plus `inspect`: both must show our jobs.
    The worker here also has SENTRY_DSN set, which must not stop it (the extra is optional)."""
    app = Celery(broker=secured.redis_url)
    events: list[dict[str, Any]] = []
    connection = app.connection()
    receiver = app.events.Receiver(connection, handlers={"*": events.append})
    thread = threading.Thread(target=receiver.capture, kwargs={"wakeup": False}, daemon=True)
    thread.start()
    worker = secured.start_worker(concurrency=1, env={"SENTRY_DSN": "http://key@127.0.0.1:9/1"})
    try:
        with client(secured, ALICE) as http:
            job_id = secured.submit(http, text_pdf(1))
            secured.wait_for_status(http, job_id, {"completed"})
        wait_until(lambda: _kinds(events, job_id) >= {"task-received", "task-started",
                                                      "task-succeeded"}, 20,
                   f"the task events of {job_id}")
        received = next(e for e in events if e["type"] == "task-received"
                        and e.get("uuid") == job_id)
        active = app.control.inspect(destination=[worker.hostname()], timeout=5).stats()
        log = worker.output()
    finally:
        receiver.should_stop = True
        secured.stop_workers()
        thread.join(5)
        connection.release()
    assert received["name"] == "docproc.process_document"
    assert any(e["type"] == "worker-online" or e["type"] == "worker-heartbeat" for e in events)
    assert active and worker.hostname() in active, active
    assert ("sentry-sdk is missing" in log) is not SENTRY_INSTALLED, log[-2000:]


def _kinds(events: list[dict[str, Any]], job_id: str) -> set[str]:
    return {e["type"] for e in list(events) if e.get("uuid") == job_id}


def test_sentry_is_off_and_not_imported_without_a_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "sentry_sdk", raising=False)
    assert init_sentry(Settings(sentry_dsn=None), component="api") is False
    assert "sentry_sdk" not in sys.modules


@pytest.mark.skipif(SENTRY_INSTALLED, reason="sentry-sdk is installed here")
def test_sentry_dsn_without_the_extra_warns_instead_of_failing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(sentry_dsn="http://key@127.0.0.1:9/1")  # type: ignore[arg-type]
    assert init_sentry(settings, component="api") is False
    assert "pip install 'docproc[sentry]'" in caplog.text
