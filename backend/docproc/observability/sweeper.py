"""The sweeper: a job whose worker vanished goes back to the queue within bounded time.

Celery already requeues the job of a pool process that dies while its worker lives
(`acks_late` + `reject_on_worker_lost`). When the whole worker vanishes (SIGKILL, a lost host),
its messages stay in kombu's `unacked` hash until the visibility timeout, which must lie above
the hard time limit (minutes). The sweeper runs in every worker's heartbeat thread (one at a time,
under a Redis lock) and looks at the few unacked messages:

- a job marked `processing` whose heartbeat is older than `DOCPROC_HEARTBEAT_TIMEOUT`: its
  process is gone, so the message is restored to the queue (kombu's own `restore_by_tag`) and
  the record says so; the task itself fails a job delivered more than `DOCPROC_MAX_DELIVERIES`;
- a job never started although delivered longer than twice the timeout ago: its worker died
  between taking the message and starting it; restored the same way;
- a job already finished: the worker died between finishing and acknowledging; the stale message
  is dropped;
- a job `queued` whose message is nowhere (lost between BRPOP and kombu's unacked record when
  Redis crashed): sent again once two passes in a row found it so. One pass reads the unacked
  messages, the queue and the records one after the other; a worker taking the job's message
  between those reads makes it look lost for that pass only, and sending it then would run the
  job twice.

A restored job runs again from its stored upload; the task skips a job that is already finished,
so nothing runs twice to a different result.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from celery import Celery

from docproc.jobs.celery_app import TASK_NAME as JOB_TASK
from docproc.jobs.store import FINISHED, JOB_KEY, JobStatus, recent_job_ids
from docproc.observability.metrics import RUNNING_KEY, count_event

log = logging.getLogger(__name__)

LOCK_KEY = "docproc:sweeper-lock"
# Mark a job queued again only if its beat is still stale (a new delivery may have just begun).
_REQUEUE_IF_STALE = """
local beat = redis.call('ZSCORE', KEYS[2], ARGV[1])
if beat and tonumber(beat) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'status') ~= 'processing' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'queued', 'state', 'PENDING', 'message', ARGV[3])
return 1
"""
LOST_MESSAGE = "The worker processing this job was lost; it is queued again."
LOST_MESSAGE_QUEUE = "Its queue message was lost (a Redis restart?); it is queued again."
QUEUE = "celery"
RECENT_JOBS = 500
UNACKED, UNACKED_INDEX = "unacked", "unacked_index"


def message_job_id(payload: bytes) -> tuple[str | None, float | None]:
    """The job id (task id) and ETA timestamp of a stored unacked kombu message."""
    try:
        message = json.loads(payload)[0]
        headers = message.get("headers") or {}
        task_id = headers.get("id")
        eta = headers.get("eta")
        eta_ts = None
        if eta:
            from datetime import datetime

            eta_ts = datetime.fromisoformat(eta).timestamp()
        return task_id, eta_ts
    except (ValueError, KeyError, TypeError, IndexError):
        return None, None


class Sweeper:
    def __init__(self, redis: Any, celery: Celery, *, timeout: float, worker: str) -> None:
        self.redis = redis
        self.celery = celery
        self.timeout = timeout
        self.worker = worker
        # Jobs the last pass found lost: sent again when this pass finds them lost too.
        self._seen_lost: set[str] = set()

    def sweep(self) -> list[str]:
        """One pass (skipped when another worker holds the lock); returns the jobs acted on."""
        if not self.redis.set(LOCK_KEY, self.worker, nx=True, ex=max(1, int(self.timeout / 3))):
            return []
        now = time.time()
        unacked: dict[bytes, bytes] = self.redis.hgetall(UNACKED)
        if not unacked:
            self._release_stale_records(now, set())
            return self._republish_lost(now, set())
        delivered = dict(self.redis.zrange(UNACKED_INDEX, 0, -1, withscores=True))
        beats = dict(self.redis.zrange(RUNNING_KEY, 0, -1, withscores=True))
        acted, held = [], set()
        for tag, payload in unacked.items():
            job_id, eta = message_job_id(payload)
            if job_id is None:
                continue
            held.add(job_id)
            action = self._decide(job_id, now, delivered.get(tag, now), beats, eta)
            if action is not None:
                self._apply(action, tag, job_id)
                acted.append(job_id)
        self._release_stale_records(now, held)
        return acted + self._republish_lost(now, held)

    def _republish_lost(self, now: float, held: set[str]) -> list[str]:
        """Queued jobs whose message exists nowhere, in this pass and the one before: sent again.

        Redis hands a message to a worker (BRPOP) before kombu records it as unacknowledged; a
        Redis crash between the two loses it. Such a job is `queued` with no message in the
        queue and none unacknowledged. Checked only while the queue is empty (then "not in the
        queue" costs nothing to know), for recent jobs queued longer than twice the timeout.
        """
        if self.redis.llen(QUEUE):
            self._seen_lost.clear()
            return []
        recent = recent_job_ids(self.redis, RECENT_JOBS)
        pipe = self.redis.pipeline(transaction=False)
        for job_id in recent:
            pipe.hmget(JOB_KEY.format(job_id), "status", "created_at")
        looks_lost = {
            job_id
            for job_id, (status, created) in zip(recent, pipe.execute(), strict=True)
            if status == b"queued" and created and float(created) < now - 2 * self.timeout
            and job_id not in held
        }
        lost = sorted(looks_lost & self._seen_lost)
        self._seen_lost = looks_lost - set(lost)
        for job_id in lost:
            self.celery.send_task(JOB_TASK, args=[job_id], task_id=job_id)
            self.redis.hset(JOB_KEY.format(job_id), "message", LOST_MESSAGE_QUEUE)
            count_event(self.redis, "job_redelivered", "message_lost")
            log.warning("queue message lost (Redis restart?): job queued again",
                        extra={"job_id": job_id})
        return lost

    def _decide(
        self, job_id: str, now: float, delivered_at: float, beats: dict[bytes, float],
        eta: float | None,
    ) -> str | None:
        status = self.redis.hget(JOB_KEY.format(job_id), "status")
        if status is None:
            return None  # not a job of ours (e.g. a webhook delivery)
        if eta is not None and eta > now - self.timeout:
            return None
        beat = beats.get(job_id.encode())
        last_sign = max(delivered_at, beat or 0.0)
        if status.decode() in FINISHED:
            return "drop" if now - last_sign > self.timeout else None
        if status.decode() == JobStatus.PROCESSING and beat is not None:
            return "restore" if now - last_sign > self.timeout else None
        return "restore" if now - last_sign > 2 * self.timeout else None

    def _apply(self, action: str, tag: bytes, job_id: str) -> None:
        if action == "drop":
            pipe = self.redis.pipeline(transaction=True)
            pipe.zrem(UNACKED_INDEX, tag).hdel(UNACKED, tag)
            pipe.execute()
            log.info("dropped the stale message of a finished job", extra={"job_id": job_id})
            return
        self._requeue_record(job_id, time.time() - self.timeout)
        with self.celery.connection_for_write() as connection:
            connection.default_channel.qos.restore_by_tag(tag.decode())
        count_event(self.redis, "job_redelivered", "worker_lost")
        log.warning("worker lost: job put back in the queue", extra={"job_id": job_id})

    def _requeue_record(self, job_id: str, stale_before: float) -> bool:
        script = self.redis.register_script(_REQUEUE_IF_STALE)
        return bool(
            script(keys=[JOB_KEY.format(job_id), RUNNING_KEY],
                   args=[job_id, stale_before, LOST_MESSAGE])
        )

    def _release_stale_records(self, now: float, held: set[str]) -> None:
        """Stale beats of jobs whose message is back in the queue: say so on the record."""
        stale = self.redis.zrangebyscore(RUNNING_KEY, "-inf", now - self.timeout)
        for raw in stale:
            if raw.decode() not in held:
                self._requeue_record(raw.decode(), now - self.timeout)
