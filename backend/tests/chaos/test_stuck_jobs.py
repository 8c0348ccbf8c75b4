"""A job whose whole worker vanished mid-run comes back through the heartbeat sweeper, long before
Redis's visibility timeout could return it: never `processing` forever.

The visibility timeout is set to an hour here, so only the sweeper (heartbeat older than
DOCPROC_HEARTBEAT_TIMEOUT, 3 s) can bring the job back within the test's wait.
"""

from __future__ import annotations

import signal

from tests.chaos.conftest import FAST_SWEEP
from tests.integration.documents import text_pdf
from tests.stack import Stack

WORKER_ENV = {**FAST_SWEEP, "DOCPROC_TEST_PAGE_DELAY": "0.5",
              "DOCPROC_BROKER_VISIBILITY_TIMEOUT": "3600"}


def test_job_of_a_vanished_worker_is_requeued_by_the_sweeper(stack: Stack) -> None:
    first = stack.start_worker(concurrency=1, env=WORKER_ENV)
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(6))  # 3 s: still running when killed
        stack.wait_for_status(client, job_id, {"processing"})
        first.stop(signal.SIGKILL)  # main process and pool: nobody acks, rejects or beats
        orphaned = client.get(f"/job/{job_id}/status").json()
        assert orphaned["status"] == "processing" and stack.queue_length() == 0
        second = stack.start_worker(concurrency=1, env=WORKER_ENV)
        final = stack.wait_for_status(client, job_id, {"completed", "failed"}, timeout=60)
    assert final["status"] == "completed" and final["attempts"] == 2, final
    assert final["worker"].split("@")[0] == second.name.split("@")[0], final
    assert stack.redis.client().hget("docproc:metrics", "event:job_redelivered:worker_lost")
    assert any(job_id in line and "worker lost" in line for line in second.output().splitlines())
