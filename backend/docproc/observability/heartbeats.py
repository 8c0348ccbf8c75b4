"""Heartbeats: each worker says it is alive, and each running job says its process is alive.

- `docproc:workers` (sorted set, worker name -> last beat): written every
  `DOCPROC_HEARTBEAT_INTERVAL` seconds by a thread in each worker's main process; `/ready` counts
  the fresh ones.
- `docproc:running` (sorted set, job id -> last beat): written by a thread in the pool process
  that runs the job, from the moment the task starts until it ends. A job whose beat is older
  than `DOCPROC_HEARTBEAT_TIMEOUT` lost its process; `sweeper.py` deals with it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError

from docproc.observability.metrics import RUNNING_KEY, WORKERS_KEY

log = logging.getLogger(__name__)


class Beater:
    """A daemon thread calling `beat()` every `interval` seconds until stopped."""

    def __init__(self, name: str, interval: float, beat: Callable[[], None]) -> None:
        self.interval = interval
        self.beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
            except RedisError as exc:  # Redis restarting: keep beating, it comes back
                log.warning("heartbeat failed: %s", exc)
            except Exception:
                log.exception("heartbeat step failed")
            self._stop.wait(self.interval)


class JobHeartbeats:
    """The running jobs of one pool process and the thread that keeps their beats fresh."""

    def __init__(self, redis: Redis, interval: float) -> None:
        self.redis = redis
        self.jobs: set[str] = set()
        self._lock = threading.Lock()
        self._beater = Beater("docproc-job-heartbeat", interval, self._beat)
        self._beater.start()

    def begin(self, job_id: str) -> None:
        with self._lock:
            self.jobs.add(job_id)
        self.redis.zadd(RUNNING_KEY, {job_id: time.time()})

    def end(self, job_id: str) -> None:
        with self._lock:
            self.jobs.discard(job_id)
        self.redis.zrem(RUNNING_KEY, job_id)

    def _beat(self) -> None:
        with self._lock:
            jobs = list(self.jobs)
        if jobs:
            now = time.time()
            self.redis.zadd(RUNNING_KEY, dict.fromkeys(jobs, now))


def worker_beat(redis: Redis, worker: str) -> None:
    redis.zadd(WORKERS_KEY, {worker: time.time()})


def live_workers(redis: Redis, timeout: float) -> set[str]:
    """Names of workers whose heartbeat is younger than `timeout` seconds."""
    names = redis.zrangebyscore(WORKERS_KEY, time.time() - timeout, "+inf")
    return {n.decode() for n in names}  # type: ignore[union-attr]


def forget_worker(redis: Redis, worker: str) -> None:
    redis.zrem(WORKERS_KEY, worker)
