"""Live progress: delay from a worker's progress update to the page's event stream, page weight.

Starts a real redis-server and the API (uvicorn) on free ports, opens `GET /job/{id}/events` and
times each `JobStore.progress()` call until its event arrives. `python -m bench events`.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path

import httpx

from docproc.jobs.store import JobStore
from tests.stack import running_stack, start_redis

UPDATES = 200
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def _follow(url: str, received: dict[int, float]) -> None:
    with httpx.stream("GET", url, timeout=30) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                received.setdefault(int(event.get("progress", 0)), time.perf_counter())
                if event["status"] == "completed":
                    return


def _stream_delays(api_url: str, store: JobStore) -> list[float]:
    pipe = store.redis.pipeline()
    store.create(pipe, "bench-events", filename="bench.pdf", document_type="generic")
    pipe.execute()
    store.start("bench-events", worker="bench", pid=0)
    received: dict[int, float] = {}
    reader = threading.Thread(target=_follow, args=(f"{api_url}/job/bench-events/events", received))
    reader.start()
    time.sleep(1.0)  # the stream is open and subscribed
    sent: dict[int, float] = {}
    for step in range(1, UPDATES + 1):
        percent = 1 + step * 98 // UPDATES  # 1..99, each value sent once at most
        if percent in sent:
            continue
        sent[percent] = time.perf_counter()
        store.progress("bench-events", percent, f"step {step}")
        time.sleep(0.005)
    store.complete("bench-events", b"{}")
    reader.join(30)
    return [(received[p] - t) * 1000 for p, t in sent.items() if p in received]


def main() -> None:
    redis = start_redis()
    try:
        with running_stack(redis) as stack:
            store = JobStore(redis.client(), result_ttl=600, record_ttl=600)
            delays = sorted(_stream_delays(stack.api_url, store))
    finally:
        redis.stop()
    p95 = delays[int(len(delays) * 0.95)]
    print(
        f"progress update -> SSE event: {len(delays)} events, median "
        f"{statistics.median(delays):.2f} ms, p95 {p95:.2f} ms, max {delays[-1]:.2f} ms"
    )
    files = [p for p in FRONTEND.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"web page: {len(files)} files, {size / 1024:.1f} KiB uncompressed, no external requests")


if __name__ == "__main__":
    main()
