"""Prometheus metrics shared by the API and every worker, kept as counters in Redis.

Workers run in other processes and on other hosts, so they do not keep metrics in memory: each
job's figures go to the Redis hash `docproc:metrics` (HINCRBY, one pipeline per job) and the API's
`/metrics` turns that hash, the queue length and the heartbeats into Prometheus families on each
scrape. Histograms are stored as per-bucket counts plus `_sum` and `_count`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from redis import Redis

METRICS_KEY = "docproc:metrics"
WORKERS_KEY = "docproc:workers"
RUNNING_KEY = "docproc:running"

HISTOGRAMS: Mapping[str, tuple[str, tuple[float, ...]]] = {
    "processing": (
        "Seconds a worker spent on a job, from start to finish",
        (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
    ),
    "queue_wait": (
        "Seconds a job waited in the queue before a worker started it",
        (0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800),
    ),
}


def _bucket_index(bounds: tuple[float, ...], value: float) -> int:
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds)


def observe(pipe: Any, histogram: str, value: float) -> None:
    """Queue one observation of `histogram` on a Redis pipeline."""
    bounds = HISTOGRAMS[histogram][1]
    pipe.hincrby(METRICS_KEY, f"{histogram}:b{_bucket_index(bounds, value)}", 1)
    pipe.hincrbyfloat(METRICS_KEY, f"{histogram}:sum", value)
    pipe.hincrby(METRICS_KEY, f"{histogram}:count", 1)


def count_submitted(pipe: Any) -> None:
    """Queue the count of one accepted job (on the submission's own pipeline)."""
    pipe.hincrby(METRICS_KEY, "submitted", 1)


def record_started(redis: Redis, record: Mapping[str, Any]) -> None:
    """A delivery began: observe how long the job waited (first delivery only)."""
    created, started = record.get("created_at"), record.get("started_at")
    if record.get("attempts") != 1 or not isinstance(created, float):
        return
    pipe = redis.pipeline(transaction=False)
    observe(pipe, "queue_wait", max(0.0, (started or time.time()) - created))
    pipe.execute()


def record_finished(redis: Redis, record: Mapping[str, Any], *, pages: int = 0) -> None:
    """A job ended: count it by outcome and error type, its pages and its processing time."""
    pipe = redis.pipeline(transaction=False)
    status = str(record.get("status", "unknown"))
    pipe.hincrby(METRICS_KEY, f"finished:{status}", 1)
    if status == "failed":
        pipe.hincrby(METRICS_KEY, f"failure:{record.get('error_type') or 'unknown'}", 1)
    if pages:
        pipe.hincrby(METRICS_KEY, "pages", pages)
    started, finished = record.get("started_at"), record.get("finished_at")
    if isinstance(started, float) and isinstance(finished, float):
        observe(pipe, "processing", max(0.0, finished - started))
    pipe.execute()


def count_event(redis: Redis, name: str, label: str) -> None:
    """Count an event with one label value, e.g. webhook deliveries by outcome."""
    redis.hincrby(METRICS_KEY, f"event:{name}:{label}", 1)


class RedisCollector(Collector):
    """Builds the metric families from Redis on each scrape of `/metrics`."""

    def __init__(self, redis: Redis, *, queues: tuple[str, ...], heartbeat_timeout: float) -> None:
        self.redis = redis
        self.queues = queues
        self.heartbeat_timeout = heartbeat_timeout

    def collect(self) -> Iterator[Metric]:
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(METRICS_KEY)
        for queue in self.queues:
            pipe.llen(queue)
        pipe.zcount(WORKERS_KEY, now - self.heartbeat_timeout, "+inf")
        pipe.zcard(RUNNING_KEY)
        raw, *depths, workers, running = pipe.execute()
        values = {k.decode(): float(v) for k, v in raw.items()}
        yield from _counters(values)
        yield from _histograms(values)
        depth = GaugeMetricFamily("docproc_queue_depth", "Messages waiting", labels=["queue"])
        for queue, size in zip(self.queues, depths, strict=True):
            depth.add_metric([queue], size)
        yield depth
        jobs = GaugeMetricFamily("docproc_jobs", "Jobs in each unfinished state", labels=["state"])
        jobs.add_metric(["queued"], sum(depths))
        jobs.add_metric(["processing"], running)
        yield jobs
        yield GaugeMetricFamily("docproc_workers_alive", "Workers with a fresh heartbeat", workers)


def _counters(values: Mapping[str, float]) -> Iterator[Metric]:
    yield CounterMetricFamily(
        "docproc_jobs_submitted", "Jobs accepted by POST /process", values.get("submitted", 0)
    )
    finished = CounterMetricFamily("docproc_jobs_finished", "Jobs ended", labels=["status"])
    failures = CounterMetricFamily(
        "docproc_job_failures", "Failed jobs by error type", labels=["error_type"]
    )
    events = CounterMetricFamily("docproc_events", "Counted events", labels=["event", "label"])
    for field, value in sorted(values.items()):
        kind, _, rest = field.partition(":")
        if kind == "finished":
            finished.add_metric([rest], value)
        elif kind == "failure":
            failures.add_metric([rest], value)
        elif kind == "event":
            events.add_metric(rest.split(":", 1), value)
    yield finished
    yield failures
    yield events
    yield CounterMetricFamily(
        "docproc_pages_processed", "Pages read by workers", values.get("pages", 0)
    )


def _histograms(values: Mapping[str, float]) -> Iterator[Metric]:
    for name, (documentation, bounds) in HISTOGRAMS.items():
        cumulative, buckets = 0.0, []
        for index, bound in enumerate((*bounds, float("inf"))):
            cumulative += values.get(f"{name}:b{index}", 0)
            buckets.append(("+Inf" if bound == float("inf") else str(bound), cumulative))
        yield HistogramMetricFamily(
            f"docproc_job_{name}_seconds",
            documentation,
            buckets=buckets,
            sum_value=values.get(f"{name}:sum", 0),
        )
