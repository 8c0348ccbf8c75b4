"""Workers yield the CPU to the API (`jobs/priority.py`), read back from the kernel of a real
worker: the pool process that runs documents is in SCHED_IDLE, the main process (heartbeats,
the sweeper, the broker connection) keeps its normal policy, and jobs still complete."""

from __future__ import annotations

import os

from tests.integration.documents import text_pdf
from tests.stack import Stack


def _worker_after_a_job(stack: Stack, worker_env: dict[str, str]) -> tuple[int, int]:
    """The main and pool process ids of a worker that has completed a job (so the pool
    process has surely been through its start-up)."""
    worker = stack.start_worker(env=worker_env)
    with stack.http() as client:
        job_id = stack.submit(client, text_pdf(1))
        status = stack.wait_for_status(client, job_id, {"completed", "failed"})
    assert status["status"] == "completed", status
    (child,) = worker.child_pids()
    return worker.process.pid, child


def test_pool_process_runs_in_sched_idle_and_the_main_process_does_not(stack: Stack) -> None:
    main, child = _worker_after_a_job(stack, {})
    assert os.sched_getscheduler(child) == os.SCHED_IDLE
    assert os.sched_getscheduler(main) == os.SCHED_OTHER


def test_the_setting_off_leaves_the_pool_process_at_normal_priority(stack: Stack) -> None:
    _, child = _worker_after_a_job(stack, {"DOCPROC_WORKER_IDLE_PRIORITY": "false"})
    assert os.sched_getscheduler(child) == os.SCHED_OTHER
