"""Our own job records in Redis: what the API answers from, whatever Celery's result backend keeps.

One hash per job, `docproc:job:{id}`, written at submission (status `queued`) and updated by the
worker: status, state, progress, message, filename, document_type, created_at, started_at,
finished_at, attempts, error, error_type (plus worker/pid of the current delivery). The finished
result sits beside it as JSON in `docproc:result:{id}` for `DOCPROC_RESULT_TTL` seconds. Every
change is also published on `docproc:job-events:{id}` (the status object as JSON) for live pages,
and ids are indexed by creation time in the sorted set `docproc:jobs` for listings.

An id that was never issued has no hash, so the API answers 404, never a guessed PENDING.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from redis import Redis
from redis.client import Pipeline

JOB_KEY = "docproc:job:{}"
RESULT_KEY = "docproc:result:{}"
EVENTS_CHANNEL = "docproc:job-events:{}"
INDEX_KEY = "docproc:jobs"

_INT_FIELDS = ("progress", "attempts", "retries", "pid")
_FLOAT_FIELDS = ("created_at", "started_at", "finished_at")
# Kept for the worker (and the owner check of `security/guard.py`), never shown.
_PRIVATE_FIELDS = ("password", "retries", "pid", "owner", "callback_url")


# A job deleted meanwhile (DELETE /job/{id}) must not come back through a late worker update,
# and a finished job stays as its first finish left it: two deliveries of one job can run at
# once (kombu restores the messages of a connection lost in a Redis restart while their tasks
# still run), and the later one must not reopen, relabel or overwrite what the first finished.
# These scripts write only while the record exists and the job is open.
_OPEN = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'completed' or status == 'failed' then return nil end
"""
_START_IF_OPEN = _OPEN + """
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], unpack(ARGV))
return redis.call('HGETALL', KEYS[1])
"""
_PROGRESS_IF_OPEN = _OPEN + """
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
"""
_RETRY_IF_OPEN = _OPEN + """
redis.call('HINCRBY', KEYS[1], 'retries', 1)
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
"""
_FINISH_IF_OPEN = _OPEN + """
if ARGV[1] ~= '' then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2]) end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('HDEL', KEYS[1], 'password')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return redis.call('HGETALL', KEYS[1])
"""


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


CELERY_STATE = {
    JobStatus.QUEUED: "PENDING",
    JobStatus.PROCESSING: "PROCESSING",
    JobStatus.COMPLETED: "SUCCESS",
    JobStatus.FAILED: "FAILURE",
}
FINISHED = frozenset({JobStatus.COMPLETED, JobStatus.FAILED})


class JobStore:
    """Job records and results in Redis. Safe to share between threads (redis-py pools)."""

    def __init__(self, redis: Redis, *, result_ttl: int, record_ttl: int) -> None:
        self.redis = redis
        self.result_ttl = result_ttl
        # An unfinished record must outlive its wait in the queue (the upload's lifetime).
        self.record_ttl = record_ttl
        self._start_if_open = redis.register_script(_START_IF_OPEN)
        self._progress_if_open = redis.register_script(_PROGRESS_IF_OPEN)
        self._retry_if_open = redis.register_script(_RETRY_IF_OPEN)
        self._finish_if_open = redis.register_script(_FINISH_IF_OPEN)

    # -- submission -------------------------------------------------------------------------

    def create(
        self,
        pipe: Pipeline,
        job_id: str,
        *,
        filename: str,
        document_type: str,
        password: str | None = None,
        private: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Queue the writes of a new `queued` record on `pipe` (the caller executes it).

        `private` holds fields never shown (the owner key's id, the callback URL)."""
        now = time.time()
        record: dict[str, Any] = {
            "job_id": job_id,
            "status": JobStatus.QUEUED.value,
            "state": CELERY_STATE[JobStatus.QUEUED],
            "progress": 0,
            "message": "Waiting for a worker",
            "filename": filename,
            "document_type": document_type,
            "created_at": now,
            "attempts": 0,
        }
        fields: dict[Any, Any] = dict(record)
        if password:
            fields["password"] = password
        fields.update(private or {})
        key = JOB_KEY.format(job_id)
        pipe.hset(key, mapping=fields)
        pipe.expire(key, self.record_ttl)
        pipe.zadd(INDEX_KEY, {job_id: now})
        pipe.zremrangebyscore(INDEX_KEY, "-inf", now - self.record_ttl)
        return record

    # -- reading ----------------------------------------------------------------------------

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The public status object of a job, or None for an id that was never issued."""
        raw = self.redis.hgetall(JOB_KEY.format(job_id))
        if not raw:
            return None
        return _public(_decode(raw))

    def private_fields(self, job_id: str) -> dict[str, Any]:
        """Everything the worker needs, including the password and retry count."""
        return _decode(self.redis.hgetall(JOB_KEY.format(job_id)))

    def result_json(self, job_id: str) -> bytes | None:
        """The finished result as JSON bytes, exactly as stored."""
        value = self.redis.get(RESULT_KEY.format(job_id))
        return value if isinstance(value, bytes) else None

    def recent(self, limit: int = 50, owner: str | None = None) -> list[dict[str, Any]]:
        """The newest jobs first (records that expired are skipped); only `owner`'s if given."""
        ids = recent_job_ids(self.redis, limit)
        pipe = self.redis.pipeline(transaction=False)
        for job_id in ids:
            pipe.hgetall(JOB_KEY.format(job_id))
        records = [_decode(raw) for raw in pipe.execute() if raw]
        return [_public(r) for r in records if owner is None or r.get("owner") == owner]

    def delete(self, job_id: str) -> None:
        """Forget a job at once: record, result, index entry (its upload is the storage's)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(JOB_KEY.format(job_id), RESULT_KEY.format(job_id))
        pipe.zrem(INDEX_KEY, job_id)
        pipe.execute()

    # -- worker updates ---------------------------------------------------------------------

    def start(self, job_id: str, *, worker: str, pid: int) -> dict[str, Any] | None:
        """Mark a delivery of the job as started; returns the record with `attempts` counted,
        or None when the job is finished or deleted (this delivery has nothing to do)."""
        fields = {
            "status": JobStatus.PROCESSING.value,
            "state": CELERY_STATE[JobStatus.PROCESSING],
            "progress": 0,
            "message": "Started",
            "started_at": time.time(),
            "worker": worker,
            "pid": pid,
        }
        flat = self._start_if_open(keys=[JOB_KEY.format(job_id)], args=_pairs(fields))
        if not flat:
            return None
        record = _from_flat(flat)
        self._publish(job_id, record)
        return record

    def progress(self, job_id: str, percent: int, message: str) -> None:
        fields: dict[str, Any] = {"progress": max(0, min(100, int(percent))), "message": message}
        event = json.dumps({"job_id": job_id, **fields})
        self._progress_if_open(
            keys=[JOB_KEY.format(job_id)],
            args=[EVENTS_CHANNEL.format(job_id), event, *_pairs(fields)],
        )

    def count_retry(self, job_id: str, message: str) -> None:
        """A transient error: the job goes back to the queue (not counted as a lost worker)."""
        fields = {
            "status": JobStatus.QUEUED.value,
            "state": CELERY_STATE[JobStatus.QUEUED],
            "message": message,
        }
        self._retry_if_open(keys=[JOB_KEY.format(job_id)], args=_pairs(fields))

    def complete(self, job_id: str, result_json: bytes) -> bool:
        """Store the result; False when the job had already finished (or was deleted)."""
        return self._finish(
            job_id,
            JobStatus.COMPLETED,
            {"progress": 100, "message": "Completed"},
            result_json=result_json,
        )

    def fail(self, job_id: str, *, error: str, error_type: str, message: str) -> bool:
        """End the job as failed; False when it had already finished (or was deleted)."""
        return self._finish(
            job_id,
            JobStatus.FAILED,
            {"error": error, "error_type": error_type, "message": message},
        )

    def is_finished(self, job_id: str) -> bool:
        status = self.redis.hget(JOB_KEY.format(job_id), "status")
        return status is not None and as_text(status) in FINISHED

    def _finish(
        self,
        job_id: str,
        status: JobStatus,
        fields: Mapping[Any, Any],
        *,
        result_json: bytes | None = None,
    ) -> bool:
        values = {
            **fields,
            "status": status.value,
            "state": CELERY_STATE[status],
            "finished_at": time.time(),
        }
        flat = self._finish_if_open(
            keys=[JOB_KEY.format(job_id), RESULT_KEY.format(job_id)],
            args=[result_json or b"", self.result_ttl, *_pairs(values)],
        )
        if not flat:
            return False
        self._publish(job_id, _from_flat(flat))
        return True

    def _publish(self, job_id: str, record: dict[str, Any]) -> None:
        self.redis.publish(EVENTS_CHANNEL.format(job_id), json.dumps(_public(record)))


def recent_job_ids(redis: Any, limit: int) -> list[str]:
    """Ids of the newest `limit` jobs, newest first (from the creation-time index)."""
    return [as_text(i) for i in redis.zrevrange(INDEX_KEY, 0, limit - 1)]


def as_text(value: Any) -> str:
    """A Redis reply (bytes or not) as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def _pairs(fields: Mapping[str, Any]) -> list[Any]:
    """A mapping as the flat name, value, name, value ... arguments of HSET."""
    return [item for pair in fields.items() for item in pair]


def _from_flat(flat: list[Any]) -> dict[str, Any]:
    """A record from HGETALL's flat reply inside a script."""
    return _decode(dict(zip(flat[::2], flat[1::2], strict=True)))


def _decode(raw: Mapping[Any, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {as_text(k): as_text(v) for k, v in raw.items()}
    for name in _INT_FIELDS:
        if name in record:
            record[name] = int(record[name])
    for name in _FLOAT_FIELDS:
        if name in record:
            record[name] = float(record[name])
    return record


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the API shows it: no secrets, timestamps as ISO 8601 UTC."""
    public = {k: v for k, v in record.items() if k not in _PRIVATE_FIELDS}
    for name in _FLOAT_FIELDS:
        if isinstance(public.get(name), float):
            public[name] = dt.datetime.fromtimestamp(public[name], dt.UTC).isoformat()
    return public
