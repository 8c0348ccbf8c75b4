"""Submission against a real Redis: a write Redis refuses leaves no Idempotency-Key behind.

The API's client runs as a Redis ACL user that may not HSET (the job record's command), so the
job's write fails as a misconfigured or failing Redis would make it fail. Before the fix the
claimed key kept naming a job that did not exist and every retry was a 409 until it expired.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from redis import Redis

from docproc.config import Settings
from docproc.errors import StorageUnavailable
from docproc.jobs.celery_app import create_celery
from docproc.jobs.services import build_services
from docproc.jobs.submit import Submitter
from docproc.security.admission import Admission
from docproc.security.keys import ApiKey
from tests.integration.documents import text_pdf
from tests.stack import RedisServer

USER, PASSWORD = "docproc-submitter", "submitter-password"
DB = 7  # no worker consumes this database's queue
OWNER = ApiKey(id="owner0000000001", name="alice")


@pytest.fixture()
def admin(redis_server: RedisServer) -> Iterator[Redis]:
    client = Redis(port=redis_server.port, db=DB)
    client.flushdb()
    # Everything but HSET: the job record cannot be written.
    client.execute_command("ACL", "SETUSER", USER, "reset", "on", f">{PASSWORD}", "~*", "&*",
                           "+@all", "-hset")
    yield client
    client.execute_command("ACL", "DELUSER", USER)
    client.flushdb()


def submitter(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Submitter:
    url = f"redis://{USER}:{PASSWORD}@127.0.0.1:{redis_server.port}/{DB}"
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        monkeypatch.setenv(name, url)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    return Submitter(build_services(settings), create_celery(settings))


def submit(sub: Submitter, path: str, idempotency_key: str) -> dict[str, Any]:
    if path == "claim_then_write":
        return sub.submit(text_pdf(1), filename="a.pdf", document_type="generic",
                          owner=OWNER.id, idempotency_key=idempotency_key)
    submission = sub.prepare(text_pdf(1), filename="a.pdf", document_type="generic",
                             owner=OWNER.id)

    async def one_call() -> dict[str, Any]:
        try:
            return await sub.submit_async(submission, Admission(OWNER), idempotency_key)
        finally:
            await sub.aclose()

    return asyncio.run(one_call())


@pytest.mark.parametrize("path", ["one_script_call", "claim_then_write"])
def test_a_refused_job_write_gives_the_idempotency_key_back(
    redis_server: RedisServer, admin: Redis, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    sub = submitter(redis_server, monkeypatch)
    assert sub.one_round_trip
    key = f"order-{uuid.uuid4().hex}"
    with pytest.raises(StorageUnavailable):
        submit(sub, path, key)
    assert not list(admin.scan_iter("docproc:idempotency:*"))
    assert not list(admin.scan_iter("docproc:job:*"))
    assert admin.llen("celery") == 0

    admin.execute_command("ACL", "SETUSER", USER, "+hset")  # Redis writes again
    record = submit(sub, path, key)
    again = submit(sub, path, key)
    assert again["job_id"] == record["job_id"]
    assert admin.hget(f"docproc:job:{record['job_id']}", "owner") == OWNER.id.encode()
    assert admin.llen("celery") == 1  # queued once, for the job the key names
