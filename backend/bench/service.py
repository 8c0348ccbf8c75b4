"""The service path: time to the 202, submit-to-result for a small job, redelivery after a kill.

Starts a real redis-server, the API (uvicorn) and Celery workers on free ports (`tests/stack.py`)
and measures with one client, so the figures are latencies, not throughput (`bench/load.py` has
that). `python -m bench service`.
"""

from __future__ import annotations

import os
import signal
import statistics
import time
from functools import partial

import httpx

from tests.integration.documents import text_pdf
from tests.stack import Stack, running_stack, start_redis, wait_until

ACCEPTS = 300
ROUND_TRIPS = 20
KILLS = 3


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_to_accept(stack: Stack, client: httpx.Client) -> list[float]:
    """Seconds from sending POST /process to its 202 (no worker running: nothing competes)."""
    pdf, times = text_pdf(1), []
    for _ in range(ACCEPTS):
        started = time.perf_counter()
        stack.submit(client, pdf)
        times.append(time.perf_counter() - started)
    return times


def submit_to_result(stack: Stack, client: httpx.Client) -> list[float]:
    """Seconds from POST /process to a completed status, one-page PDF, an idle worker."""
    pdf, times = text_pdf(1), []
    for _ in range(ROUND_TRIPS):
        started = time.perf_counter()
        job_id = stack.submit(client, pdf)
        stack.wait_for_status(client, job_id, {"completed", "failed"})
        times.append(time.perf_counter() - started)
    return times


def redelivery_after_kill(stack: Stack, client: httpx.Client) -> list[float]:
    """Seconds from SIGKILL of the pool process running a job to the job's next delivery."""
    worker = stack.start_worker(env={"DOCPROC_TEST_PAGE_DELAY": "0.2"})
    times = []
    for _ in range(KILLS):
        job_id = stack.submit(client, text_pdf(4))
        wait_until(partial(_progressing, client, job_id, 1), 30, "the job to start")
        (child,) = worker.child_pids()
        killed = time.perf_counter()
        os.kill(child, signal.SIGKILL)
        wait_until(partial(_progressing, client, job_id, 2), 30, "the redelivery", 0.01)
        times.append(time.perf_counter() - killed)
        stack.wait_for_status(client, job_id, {"completed", "failed"})
    return times


def _progressing(client: httpx.Client, job_id: str, attempt: int) -> bool:
    status = client.get(f"/job/{job_id}/status").json()
    return bool(status["attempts"] == attempt and status["status"] == "processing")


def main() -> None:
    redis = start_redis()
    try:
        with running_stack(redis) as stack, stack.http() as client:
            stack.submit(client, text_pdf(1))  # warm up the API
            accept = time_to_accept(stack, client)
            stack.redis.client().delete("celery")
            stack.start_worker()
            round_trip = submit_to_result(stack, client)
            stack.stop_workers()
            redelivery = redelivery_after_kill(stack, client)
    finally:
        redis.stop()
    ms = 1000
    print(f"POST /process to 202, one client: median {statistics.median(accept) * ms:.1f} ms, "
          f"p99 {_percentile(accept, 0.99) * ms:.1f} ms ({ACCEPTS} requests)")
    print(f"submit to completed, 1-page PDF, idle worker: median "
          f"{statistics.median(round_trip) * ms:.0f} ms, max {max(round_trip) * ms:.0f} ms "
          f"(status polled every 50 ms)")
    # Celery's prefork pool looks for dead processes every 5 s, unless their pipe says so first.
    print(f"SIGKILL of the job's worker process to its redelivery: "
          f"{', '.join(f'{t * ms:.0f}' for t in redelivery)} ms")


if __name__ == "__main__":
    main()
