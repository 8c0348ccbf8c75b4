"""SIGKILL whole workers (main process and pool) again and again during a burst of jobs.

Counted at the end: every accepted job completed, each with exactly the result the in-process
pipeline gives for its document. Jobs of a killed worker come back through Celery's requeue or
the sweeper (heartbeats older than DOCPROC_HEARTBEAT_TIMEOUT) — never stuck in `processing`.
"""

from __future__ import annotations

import os
import random
import signal
import time

from docproc.pipeline.runner import run
from tests.chaos.conftest import FAST_SWEEP
from tests.integration.documents import text_pdf
from tests.stack import Stack, wait_until

# 30 keeps `make test` short; bench/chaos.sh runs the same test with 100.
BURST = int(os.environ.get("DOCPROC_CHAOS_BURST", "30"))
KILLS = int(os.environ.get("DOCPROC_CHAOS_KILLS", "5"))
WORKER_ENV = {**FAST_SWEEP, "DOCPROC_TEST_PAGE_DELAY": "0.15", "DOCPROC_MAX_DELIVERIES": "10"}


def test_killing_workers_loses_no_job_and_changes_no_result(stack: Stack) -> None:
    rng = random.Random(7)
    documents = {n: text_pdf(3, label=f"Job {n} page") for n in range(BURST)}
    workers = [stack.start_worker(concurrency=1, env=WORKER_ENV) for _ in range(2)]
    with stack.http() as client:
        jobs = {stack.submit(client, pdf, "generic"): n for n, pdf in documents.items()}
        kills = 0
        while kills < KILLS and not _all_finished(stack, jobs):
            time.sleep(rng.uniform(1.0, 2.0))
            victim = workers.pop(rng.randrange(len(workers)))
            victim.stop(signal.SIGKILL)  # the whole process group: main process and pool
            kills += 1
            workers.append(stack.start_worker(concurrency=1, env=WORKER_ENV))
        wait_until(lambda: _all_finished(stack, jobs), 60 + 6 * BURST,
                   "every job of the burst to end")
        finals = {job_id: client.get(f"/job/{job_id}/status").json() for job_id in jobs}
    assert kills >= 2, "the burst ended before the workers could be killed"
    failed = {j: f for j, f in finals.items() if f["status"] != "completed"}
    assert not failed, failed
    for job_id, final in finals.items():
        expected = run(documents[jobs[job_id]], "generic").extracted_data
        assert final["result"]["extracted_data"]["pages"] == expected["pages"], job_id
    assert any(f["attempts"] > 1 for f in finals.values()), "no job was ever redelivered"


def _all_finished(stack: Stack, jobs: dict[str, int]) -> bool:
    client = stack.redis.client()
    pipe = client.pipeline(transaction=False)
    for job_id in jobs:
        pipe.hget(f"docproc:job:{job_id}", "status")
    return all(s in (b"completed", b"failed") for s in pipe.execute())
