"""Data lifecycle and observability: uploads deleted at the end, results with a lifetime,
DELETE cancels, Idempotency-Key, callback_url checks, /ready, /metrics.

Webhook delivery: test_webhooks.py; callback targets (SSRF): test_webhook_targets.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.documents import text_pdf
from tests.security.conftest import ALICE, client
from tests.stack import Stack, wait_until

RESULT_TTL = 900  # not the default (7 days), so the test sees the setting at work
SLOW = {"DOCPROC_TEST_PAGE_DELAY": "0.5", "DOCPROC_HEARTBEAT_INTERVAL": "0.5",
        "DOCPROC_RESULT_TTL": str(RESULT_TTL)}


@pytest.fixture()
def slow_worker(secured: Stack) -> Iterator[Stack]:
    secured.start_worker(concurrency=1, env=SLOW)
    yield secured
    secured.stop_workers()


def post(stack: Stack, pdf: bytes, **extra: Any) -> Any:
    headers = extra.pop("headers", {})
    with client(stack, ALICE) as http:
        return http.post("/process", files={"file": ("s.pdf", pdf, "application/pdf")},
                         data={"document_type": "generic", **extra}, headers=headers)


def test_upload_deleted_at_the_end_result_expires_and_metrics_count_it(slow_worker: Stack) -> None:
    redis = slow_worker.redis.client()
    with client(slow_worker, ALICE) as http:
        assert http.get("/ready").status_code == 200
        job_id = post(slow_worker, text_pdf(1)).json()["job_id"]
        assert redis.exists(f"docproc:upload:{job_id}")
        slow_worker.wait_for_status(http, job_id, {"completed"})
        assert not redis.exists(f"docproc:upload:{job_id}")
        assert 0 < redis.ttl(f"docproc:result:{job_id}") <= RESULT_TTL
        failing = post(slow_worker, text_pdf(1), document_type="bank_statement").json()["job_id"]
        slow_worker.wait_for_status(http, failing, {"completed", "failed"})
        metrics = http.get("/metrics").text
    assert 'docproc_jobs_finished_total{status="completed"}' in metrics
    assert "docproc_job_processing_seconds_count" in metrics
    assert "docproc_job_queue_wait_seconds_bucket" in metrics
    assert "docproc_pages_processed_total" in metrics and "docproc_workers_alive 1.0" in metrics
    assert 'docproc_queue_depth{queue="celery"}' in metrics


def metric(text: str, sample: str) -> float:
    """The value of one sample line of Prometheus text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.split()[-1])
    return 0.0


def test_metrics_show_jobs_by_state_and_failures_by_error_type(secured: Stack) -> None:
    """A queued job is counted as queued; one whose upload vanished before a worker took it
    fails as `upload_missing`, counted under that error type."""
    redis = secured.redis.client()
    with client(secured, ALICE) as http:
        failures_before = metric(http.get("/metrics").text,
                                 'docproc_job_failures_total{error_type="upload_missing"}')
        job_id = post(secured, text_pdf(1)).json()["job_id"]
        waiting = http.get("/metrics").text
        assert metric(waiting, 'docproc_jobs{state="queued"}') >= 1
        assert metric(waiting, 'docproc_queue_depth{queue="celery"}') >= 1
        assert 'docproc_jobs{state="processing"}' in waiting
        assert redis.delete(f"docproc:upload:{job_id}") == 1
        secured.start_worker(concurrency=1)
        try:
            final = secured.wait_for_status(http, job_id, {"completed", "failed"})
            # The worker counts the job right after it ends (task_postrun): wait for that.
            after = wait_until(lambda: (text := http.get("/metrics").text) and metric(
                text, 'docproc_job_failures_total{error_type="upload_missing"}'
            ) > failures_before and text, 30, "the failure to be counted")
        finally:
            secured.stop_workers()
    assert final["status"] == "failed" and final["error_type"] == "upload_missing", final
    assert metric(after, 'docproc_job_failures_total{error_type="upload_missing"}') == (
        failures_before + 1
    )
    assert metric(after, 'docproc_jobs_finished_total{status="failed"}') >= 1


def test_keep_uploads_setting_keeps_the_upload_after_the_job(secured: Stack) -> None:
    secured.start_worker(concurrency=1, env={"DOCPROC_KEEP_UPLOADS": "true"})
    try:
        with client(secured, ALICE) as http:
            job_id = post(secured, text_pdf(1)).json()["job_id"]
            secured.wait_for_status(http, job_id, {"completed"})
    finally:
        secured.stop_workers()
    upload = f"docproc:upload:{job_id}"
    assert secured.redis.client().exists(upload) and secured.redis.client().ttl(upload) > 0


def test_ready_is_503_without_a_live_worker(secured: Stack) -> None:
    secured.redis.client().delete("docproc:workers")
    with client(secured, ALICE) as http:
        answer = http.get("/ready")
    assert answer.status_code == 503 and "no worker" in answer.json()["reason"]


def test_delete_cancels_a_running_job_and_leaves_nothing(slow_worker: Stack) -> None:
    redis = slow_worker.redis.client()
    with client(slow_worker, ALICE) as http:
        job_id = post(slow_worker, text_pdf(8)).json()["job_id"]
        slow_worker.wait_for_status(http, job_id, {"processing"})
        deleted = http.delete(f"/job/{job_id}")
        assert deleted.status_code == 200 and deleted.json()["status_before"] == "processing"
        time.sleep(1.5)  # a job that was not really stopped would write its record again
        assert http.get(f"/job/{job_id}/status").status_code == 404
        assert http.get(f"/job/{job_id}/result").status_code == 404
    assert not redis.exists(f"docproc:upload:{job_id}", f"docproc:result:{job_id}")


def test_delete_of_a_queued_job_means_it_never_runs(secured: Stack) -> None:
    with client(secured, ALICE) as http:
        job_id = post(secured, text_pdf(1)).json()["job_id"]
        assert http.delete(f"/job/{job_id}").status_code == 200
        secured.start_worker(concurrency=1)
        try:
            wait_until(lambda: secured.queue_length() == 0, 30, "the queue to drain")
            time.sleep(0.5)
            assert http.get(f"/job/{job_id}/status").status_code == 404
        finally:
            secured.stop_workers()


def test_idempotency_key_returns_the_same_job(secured: Stack) -> None:
    first = post(secured, text_pdf(1), headers={"Idempotency-Key": "order-42"})
    again = post(secured, text_pdf(1), headers={"Idempotency-Key": "order-42"})
    other = post(secured, text_pdf(1), headers={"Idempotency-Key": "order-43"})
    assert first.status_code == again.status_code == 202
    assert first.json()["job_id"] == again.json()["job_id"] != other.json()["job_id"]


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "not a url",
                                 "javascript:alert(1)", "http://"])
def test_callback_url_that_is_not_http_is_422(secured: Stack, url: str) -> None:
    answer = post(secured, text_pdf(1), callback_url=url)
    assert answer.status_code == 422 and answer.json()["error_type"] == "invalid_callback_url"


@pytest.mark.parametrize(("url", "kind"), [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://127.0.0.1:6379/", "loopback"),
    ("http://localhost/hook", "loopback"),
    ("http://[fd00::1]/hook", "unique-local"),
    ("http://10.0.0.8/hook", "private"),
])
def test_callback_url_into_a_private_network_is_422_naming_why(
    secured: Stack, url: str, kind: str
) -> None:
    """The secured stack keeps the default (DOCPROC_WEBHOOK_ALLOW_PRIVATE unset): refused."""
    answer = post(secured, text_pdf(1), callback_url=url)
    body = answer.json()
    assert answer.status_code == 422 and body["error_type"] == "invalid_callback_url", body
    assert kind in body["error"] and "DOCPROC_WEBHOOK_ALLOW_PRIVATE" in body["error"], body
