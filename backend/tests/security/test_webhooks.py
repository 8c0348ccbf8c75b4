"""Webhooks through a real worker: signed final status, retried with backoff, checkable with the
README's receiver snippet; a private target that passed the submit check is refused at delivery.

This stack's API allows private targets (the receiver here is on loopback); each worker says for
itself whether it does (DOCPROC_WEBHOOK_ALLOW_PRIVATE), which is what the delivery check reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest

from docproc.jobs.webhooks import SIGNATURE_HEADER, verify
from tests.integration.documents import text_pdf
from tests.security.conftest import ALICE, SECURED_ENV, WEBHOOK_SECRET, client
from tests.security.receiver import receiving
from tests.stack import BACKEND, Stack, running_stack, start_redis, wait_until

ALLOW = "DOCPROC_WEBHOOK_ALLOW_PRIVATE"
DOCS = (BACKEND.parent / "README.md", BACKEND.parent / "docs" / "operations.md")


@pytest.fixture(scope="module")
def hooks() -> Iterator[Stack]:
    redis = start_redis()
    try:
        with running_stack(redis, {**SECURED_ENV, ALLOW: "true"}) as stack:
            yield stack
    finally:
        redis.stop()


def submit(stack: Stack, callback_url: str) -> str:
    with client(stack, ALICE) as http:
        return stack.submit(http, text_pdf(1), callback_url=callback_url)


def webhook_events(stack: Stack) -> dict[str, int]:
    with client(stack, ALICE) as http:
        text = http.get("/metrics").text
    found = re.findall(r'docproc_events_total\{event="webhook",label="(\w+)"\} (\S+)', text)
    return {label: int(float(value)) for label, value in found}


def documented_verifiers() -> list[Callable[[bytes, bytes, str], bool]]:
    """Every receiver snippet the docs show (```python blocks defining `verify`), run as is."""
    verifiers = []
    for doc in DOCS:
        for block in re.findall(r"```python\n(.*?)```", doc.read_text(), re.S):
            if "def verify(" in block:
                namespace: dict[str, object] = {}
                exec(block, namespace)  # the reader's copy-paste
                verifiers.append(namespace["verify"])
    assert len(verifiers) == len(DOCS), "a doc lost its receiver snippet"
    return verifiers  # type: ignore[return-value]


def test_webhook_delivers_the_final_status_signed_and_retries(hooks: Stack) -> None:
    hooks.start_worker(concurrency=1, env={ALLOW: "true"})
    try:
        with receiving((503, {}), (200, {})) as receiver:  # the first try is refused
            job_id = submit(hooks, receiver.url())
            wait_until(lambda: len(receiver.calls) >= 2, 60, "the webhook to be retried")
        log = "\n".join(w.output() for w in hooks.workers)
    finally:
        hooks.stop_workers()
    body, signature = receiver.calls[-1].body, receiver.calls[-1].headers[SIGNATURE_HEADER]
    assert verify(WEBHOOK_SECRET.encode(), body, signature)
    assert not verify(b"another secret", body, signature)
    for documented in documented_verifiers():
        assert documented(WEBHOOK_SECRET.encode(), body, signature)
        assert not documented(WEBHOOK_SECRET.encode(), body.replace(b"completed", b"failed"),
                              signature)
    status = json.loads(body)
    assert status["job_id"] == job_id and status["status"] == "completed"
    assert "callback_url" not in status and "owner" not in status
    assert webhook_events(hooks) == {"retried": 1, "delivered": 1}
    lines = [json.loads(x) for x in log.splitlines() if x.startswith("{")]
    assert any(line.get("job_id") == job_id for line in lines), log[-2000:]
    assert ALICE not in log and "Page 1 of 1" not in log


def test_a_private_target_is_refused_at_delivery_once_and_for_good(hooks: Stack) -> None:
    """The API let these through (allowed there); the worker does not allow private targets:
    `localhost` is refused after its DNS lookup, the literal address as such; nothing is sent,
    nothing retried, the reason is logged with the job id."""
    before = webhook_events(hooks)
    worker = hooks.start_worker(concurrency=1, env={ALLOW: "false"})
    try:
        with receiving((200, {})) as receiver:
            jobs = [submit(hooks, receiver.url(host)) for host in ("localhost", "127.0.0.1")]
            wait_until(lambda: webhook_events(hooks).get("refused", 0)
                       - before.get("refused", 0) >= 2, 60, "both webhooks to be refused")
            with client(hooks, ALICE) as http:
                finals = [hooks.wait_for_status(http, j, {"completed", "failed"}) for j in jobs]
        log = worker.output()
    finally:
        hooks.stop_workers()
    assert receiver.calls == []
    assert [f["status"] for f in finals] == ["completed", "completed"]  # the job itself is fine
    after = webhook_events(hooks)
    assert after.get("retried", 0) == before.get("retried", 0), after
    refusals = [json.loads(x) for x in log.splitlines() if "no more tries" in x]
    assert {r.get("job_id") for r in refusals} == set(jobs), log[-3000:]
    assert any("'localhost' resolves to 127.0.0.1, a loopback address" in r["message"]
               for r in refusals), refusals

