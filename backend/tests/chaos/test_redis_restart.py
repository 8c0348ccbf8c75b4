"""Redis killed and restarted during a burst (append-only, fsync always): nothing is lost.

Every job the API accepted (202) before, during or after the restart completes with its
document's result; the worker and the API reconnect by themselves.
"""

from __future__ import annotations

import httpx

from docproc.pipeline.runner import run
from tests.chaos.conftest import FAST_SWEEP, restart
from tests.integration.documents import text_pdf
from tests.stack import RedisServer, running_stack, wait_until

WORKER_ENV = {**FAST_SWEEP, "DOCPROC_TEST_PAGE_DELAY": "0.1"}


def submit(client: httpx.Client, pdf: bytes) -> str | None:
    """The job id, or None when the API refused because Redis was down (never a lost 202)."""
    try:
        response = client.post("/process", files={"file": ("d.pdf", pdf, "application/pdf")},
                               data={"document_type": "generic"})
    except httpx.HTTPError:
        return None
    if response.status_code == 202:
        return str(response.json()["job_id"])
    assert response.status_code == 503, response.text
    return None


def test_redis_restart_during_a_burst_loses_nothing(persistent_redis: RedisServer) -> None:
    documents = [text_pdf(2, label=f"Doc {n} page") for n in range(24)]
    accepted: dict[str, int] = {}
    with running_stack(persistent_redis) as stack, stack.http() as client:
        stack.start_worker(concurrency=2, env=WORKER_ENV)
        for n in range(12):
            if job_id := submit(client, documents[n]):
                accepted[job_id] = n
        wait_until(lambda: _count(stack.redis.client(), accepted, b"completed") >= 2, 60,
                   "the first jobs to complete")
        restarted = restart(persistent_redis)
        for n in range(12, 24):
            if job_id := submit(client, documents[n]):
                accepted[job_id] = n
        assert len(accepted) >= 20, f"only {len(accepted)} of 24 accepted"
        try:
            wait_until(lambda: _count(restarted.client(), accepted, b"completed", b"failed")
                       == len(accepted), 120, "every accepted job to end")
        except AssertionError:
            states = [client.get(f"/job/{j}/status").json() for j in accepted]
            stuck = [(s["status"], s["message"]) for s in states if s["status"] != "completed"]
            raise AssertionError(stuck, stack.workers[0].output()[-6000:]) from None
        finals = {j: client.get(f"/job/{j}/status").json() for j in accepted}
        output = stack.workers[0].output()
    failed = [f for f in finals.values() if f["status"] != "completed"]
    assert not failed, ([(f["job_id"], f["error_type"], f["error"], f["attempts"]) for f in failed],
                        output[-12000:])
    for job_id, final in finals.items():
        expected = run(documents[accepted[job_id]], "generic").extracted_data["pages"]
        assert final["result"]["extracted_data"]["pages"] == expected


def _count(client: object, jobs: dict[str, int], *statuses: bytes) -> int:
    pipe = client.pipeline(transaction=False)  # type: ignore[attr-defined]
    for job_id in jobs:
        pipe.hget(f"docproc:job:{job_id}", "status")
    try:
        return sum(s in statuses for s in pipe.execute())
    except Exception:
        return -1
