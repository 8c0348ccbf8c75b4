"""The job store against a real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from docproc.jobs.store import JobStore
from tests.stack import RedisServer


@pytest.fixture()
def store(redis_server: RedisServer) -> Iterator[JobStore]:
    yield JobStore(redis_server.client(), result_ttl=600, record_ttl=1200)


def new_job(store: JobStore, password: str | None = None) -> str:
    job_id = uuid.uuid4().hex
    pipe = store.redis.pipeline()
    store.create(pipe, job_id, filename="a.pdf", document_type="generic", password=password)
    pipe.execute()
    return job_id


def test_record_life_cycle(store: JobStore) -> None:
    job_id = new_job(store, password="s3cret")
    queued = store.get(job_id)
    assert queued is not None and queued["status"] == "queued" and "password" not in queued
    assert store.private_fields(job_id)["password"] == "s3cret"
    started = store.start(job_id, worker="w@h", pid=42)
    assert started["attempts"] == 1 and started["status"] == "processing"
    store.progress(job_id, 150, "Reading page 1 of 1")
    assert store.get(job_id)["progress"] == 100  # type: ignore[index]
    store.complete(job_id, b'{"ok": true}')
    done = store.get(job_id)
    assert done is not None and done["status"] == "completed" and done["state"] == "SUCCESS"
    assert store.result_json(job_id) == b'{"ok": true}'
    assert "password" not in store.private_fields(job_id)
    assert 0 < store.redis.ttl(f"docproc:job:{job_id}") <= 600
    assert 0 < store.redis.ttl(f"docproc:result:{job_id}") <= 600


def test_unknown_id_has_no_record(store: JobStore) -> None:
    assert store.get(uuid.uuid4().hex) is None


def test_a_deleted_job_does_not_come_back_through_late_worker_updates(store: JobStore) -> None:
    job_id = new_job(store)
    store.start(job_id, worker="w@h", pid=42)
    store.delete(job_id)
    store.progress(job_id, 50, "Reading page 2 of 4")
    store.complete(job_id, b"{}")
    store.fail(job_id, error="x", error_type="x", message="x")
    assert store.get(job_id) is None
    assert store.result_json(job_id) is None


def test_the_first_finish_stands(store: JobStore) -> None:
    """Two deliveries of one job can run at once (kombu restores a lost connection's messages
    while their tasks still run): the later one cannot overwrite, relabel or reopen the job."""
    job_id = new_job(store)
    assert store.start(job_id, worker="w1@h", pid=1) is not None
    assert store.start(job_id, worker="w2@h", pid=2) is not None  # the duplicate delivery
    assert store.complete(job_id, b'{"first": true}')
    assert not store.fail(job_id, error="gone", error_type="upload_missing", message="gone")
    assert not store.complete(job_id, b'{"second": true}')
    store.progress(job_id, 50, "OCR page 1 of 2")
    store.count_retry(job_id, "Retrying after Redis was unavailable.")
    assert store.start(job_id, worker="w3@h", pid=3) is None
    done = store.get(job_id)
    assert done is not None
    assert (done["status"], done["message"], done["progress"], done["attempts"]) == (
        "completed", "Completed", 100, 2)
    assert store.result_json(job_id) == b'{"first": true}'
    assert int(store.private_fields(job_id).get("retries", 0)) == 0


def test_a_failed_job_is_not_completed_later(store: JobStore) -> None:
    job_id = new_job(store)
    store.start(job_id, worker="w@h", pid=1)
    assert store.fail(job_id, error="timeout", error_type="job_timeout", message="timeout")
    assert not store.complete(job_id, b"{}")
    failed = store.get(job_id)
    assert failed is not None and failed["status"] == "failed"
    assert store.result_json(job_id) is None
