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
