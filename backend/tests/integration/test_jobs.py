"""The service end to end: real redis-server, real celery workers, the API over HTTP."""

from __future__ import annotations

import os
import signal
from typing import Any

import httpx
import pytest

from docproc.config import Settings
from docproc.jobs.celery_app import create_celery
from tests.integration.documents import text_pdf
from tests.stack import Stack, wait_until

SLOW = {"DOCPROC_TEST_PAGE_DELAY": "0.3"}


def poll_until_finished(
    stack: Stack, client: httpx.Client, job_id: str, celery_states: list[tuple[str, Any]]
) -> list[dict[str, Any]]:
    """Every status seen until the job ends; Celery's own state of the task alongside."""
    seen: list[dict[str, Any]] = []
    celery = create_celery(Settings(redis_url=stack.redis_url))

    def finished() -> bool:
        seen.append(client.get(f"/job/{job_id}/status").json())
        task = celery.AsyncResult(job_id)
        celery_states.append((task.state, task.info))
        return seen[-1]["status"] in ("completed", "failed")

    wait_until(finished, 60, f"job {job_id} to finish", interval=0.05)
    return seen


def test_answer_comes_before_any_worker_then_progress_rises_to_the_result(stack: Stack) -> None:
    with stack.http() as client:
        before = stack.queue_length()
        job_id = stack.submit(client, text_pdf(4), document_type="generic")
        queued = client.get(f"/job/{job_id}/status").json()
        assert queued["status"] == "queued" and queued["state"] == "PENDING"
        assert queued["progress"] == 0 and queued["filename"] == "doc.pdf"
        assert stack.queue_length() == before + 1

        stack.start_worker(env=SLOW)
        celery_states: list[tuple[str, Any]] = []
        seen = poll_until_finished(stack, client, job_id, celery_states)

    processing = [s for s in seen if s["status"] == "processing"]
    assert processing, "never saw the job processing"
    assert all(s["state"] == "PROCESSING" for s in processing)
    assert any("page 2 of 4" in s["message"] for s in processing)
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress), f"progress went backwards: {progress}"
    # Celery's result backend carries the custom state too, with progress and message.
    custom = [info for state, info in celery_states if state == "PROCESSING"]
    assert custom and all({"progress", "message"} <= set(info) for info in custom), celery_states
    final = seen[-1]
    assert final["status"] == "completed" and final["state"] == "SUCCESS", final
    assert final["progress"] == 100 and final["attempts"] == 1
    assert final["result"]["extracted_data"]["page_count"] == 4
    with stack.http() as client:
        result = client.get(f"/job/{job_id}/result")
    assert result.status_code == 200
    assert result.json() == final["result"]
    assert result.json()["extracted_data"]["pages"][2]["text"].splitlines()[0] == "Page 3 of 4"

    # Our record answers even when Celery's result has expired.
    stack.redis.client().delete(f"celery-task-meta-{job_id}")
    with stack.http() as client:
        assert client.get(f"/job/{job_id}/status").json()["status"] == "completed"


def test_unknown_id_is_404_and_unfinished_result_is_409(stack: Stack) -> None:
    with stack.http() as client:
        for path in ("status", "result"):
            missing = client.get(f"/job/0123456789abcdef0123456789abcdef/{path}")
            assert missing.status_code == 404
            assert missing.json()["error_type"] == "job_not_found"
        job_id = stack.submit(client, text_pdf(1))
        early = client.get(f"/job/{job_id}/result")
    assert early.status_code == 409
    assert early.json()["job_id"] == job_id and early.json()["status"] == "queued"


def _job_keys(stack: Stack) -> int:
    """Job records and uploads (other docproc keys, such as metrics, change on their own)."""
    client = stack.redis.client()
    return sum(
        1 for pattern in ("docproc:job:*", "docproc:upload:*") for _ in client.scan_iter(pattern)
    )


@pytest.mark.parametrize(
    ("files", "data", "status", "error_type"),
    [
        (None, {"document_type": "generic"}, 400, "missing_file"),
        ({"file": ("a.pdf", b"")}, {}, 400, "empty_file"),
        ({"file": ("a.pdf", text_pdf(1))}, {"document_type": "poem"}, 422,
         "unknown_document_type"),
        ({"file": ("statement.pdf", b"Date,Amount\n2025-01-01,1.00\n")}, {}, 415,
         "unsupported_file_type"),
        ({"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))}, {}, 413,
         "file_too_large"),
        ({"file": ("locked.pdf", text_pdf(1, password="s3cret"))}, {}, 422, "password_required"),
        ({"file": ("locked.pdf", text_pdf(1, password="s3cret"))}, {"password": "guess"}, 422,
         "wrong_password"),
        ({"file": ("broken.pdf", b"%PDF-1.7\nthis is not really a pdf")}, {}, 422,
         "malformed_document"),
    ],
    ids=["no-file", "empty", "unknown-type", "not-a-pdf", "too-large", "encrypted-no-password",
         "encrypted-wrong-password", "malformed"],
)
def test_bad_input_gets_its_4xx_and_nothing_is_queued(
    stack: Stack, files: Any, data: dict[str, str], status: int, error_type: str
) -> None:
    queue, keys = stack.queue_length(), _job_keys(stack)
    with stack.http() as client:
        response = client.post("/process", files=files, data=data)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_type"] == error_type and body["error"]
    if error_type == "unknown_document_type":
        assert set(body["known"]) >= {"bank_statement", "generic"}
    assert stack.queue_length() == queue
    assert _job_keys(stack) == keys


def test_encrypted_pdf_with_its_password_is_processed(stack: Stack) -> None:
    stack.start_worker()
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(2, password="s3cret"), password="s3cret")
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "completed", final
    assert final["result"]["extracted_data"]["pages"][1]["text"].splitlines()[0] == "Page 2 of 2"
    assert "password" not in final


def test_worker_killed_mid_job_is_redelivered_and_completes(stack: Stack) -> None:
    worker = stack.start_worker(env=SLOW)
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(6))
        wait_until(lambda: client.get(f"/job/{job_id}/status").json()["progress"] > 0, 30,
                   "the job to make progress")
        (child,) = worker.child_pids()
        os.kill(child, signal.SIGKILL)
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "completed", final
    assert final["attempts"] == 2
    assert final["result"]["extracted_data"]["page_count"] == 6


def test_document_that_kills_its_worker_every_time_ends_failed(stack: Stack) -> None:
    # The test plays the crashing document: it SIGKILLs the pool process at every delivery.
    worker = stack.start_worker(env={**SLOW, "DOCPROC_MAX_DELIVERIES": "2"})
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(6))
        for delivery in (1, 2):
            wait_until(
                lambda d=delivery: _delivery_running(client, job_id, d), 30,
                f"delivery {delivery} to make progress",
            )
            (child,) = worker.child_pids()
            os.kill(child, signal.SIGKILL)
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "failed" and final["state"] == "FAILURE", final
    assert final["error_type"] == "worker_lost"
    assert "killing its worker" in final["message"] and final["error"] == final["message"]
    assert worker.process.poll() is None, "the worker itself survives"


def _delivery_running(client: httpx.Client, job_id: str, delivery: int) -> bool:
    status = client.get(f"/job/{job_id}/status").json()
    return bool(status["attempts"] == delivery and status["progress"] > 0)


def test_job_over_the_soft_time_limit_fails_with_timeout(stack: Stack) -> None:
    stack.start_worker(env={
        **SLOW, "DOCPROC_TASK_SOFT_TIME_LIMIT": "1", "DOCPROC_TASK_TIME_LIMIT": "3",
    })
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(8))
        final = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert final["status"] == "failed", final
    assert final["error_type"] == "timeout" and "1 s" in final["error"]


def test_two_workers_drain_a_burst_in_parallel(stack: Stack) -> None:
    first = stack.start_worker(env={"DOCPROC_TEST_PAGE_DELAY": "0.2"})
    second = stack.start_worker(env={"DOCPROC_TEST_PAGE_DELAY": "0.2"})
    with stack.http() as client:
        jobs = [stack.submit(client, text_pdf(3, label=f"Job {n} page")) for n in range(8)]
        finals = [stack.wait_for_status(client, j, {"completed", "failed"}) for j in jobs]
    assert all(f["status"] == "completed" for f in finals), finals
    assert {f["worker"] for f in finals} == {first.hostname(), second.hostname()}
    for n, final in enumerate(finals):
        first_page = final["result"]["extracted_data"]["pages"][0]["text"]
        assert first_page.splitlines()[0] == f"Job {n} page 1 of 3"


def test_upload_streamed_without_length_is_cut_off_at_the_limit(stack: Stack) -> None:
    boundary = "docproc-test-boundary"
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()

    def chunks() -> Any:
        yield head
        for _ in range(64):  # up to 16 MiB, far over the test limit of 2 MiB
            yield b"0" * (256 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    queue = stack.queue_length()
    with stack.http() as client:
        response = client.post(
            "/process", content=chunks(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    assert response.status_code == 413, response.text
    # Cut off by the streaming limit (the check of a fully read file words it differently).
    assert response.json() == {
        "error": "The upload is larger than the limit of 2097152 bytes.",
        "error_type": "file_too_large",
        "limit": 2097152,
    }
    assert stack.queue_length() == queue
