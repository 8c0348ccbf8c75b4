"""The sweeper's 'message lost' path against a real Redis: a queued job whose message is nowhere
is sent again, but only once two passes in a row found it so (a worker taking the message between
a pass's reads makes it look lost for that one pass)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
from celery import Celery
from redis import Redis

from docproc.jobs.store import JOB_KEY, JobStore
from docproc.observability.sweeper import LOCK_KEY, QUEUE, UNACKED, Sweeper
from tests.stack import RedisServer

TIMEOUT = 3.0


@pytest.fixture()
def redis(redis_server: RedisServer) -> Iterator[Redis]:
    client = Redis.from_url(redis_server.url.rsplit("/", 1)[0] + "/7")
    client.flushdb()
    yield client
    client.flushdb()


def sweeper(redis: Redis) -> Sweeper:
    url = f"redis://127.0.0.1:{redis.connection_pool.connection_kwargs['port']}/7"
    return Sweeper(redis, Celery("sweeper-test", broker=url), timeout=TIMEOUT, worker="t@h")


def queued_long_ago(redis: Redis) -> str:
    job_id = uuid.uuid4().hex
    pipe = redis.pipeline()
    JobStore(redis, result_ttl=600, record_ttl=1200).create(
        pipe, job_id, filename="a.pdf", document_type="generic"
    )
    pipe.execute()
    redis.hset(JOB_KEY.format(job_id), "created_at", time.time() - 10 * TIMEOUT)
    return job_id


def sweep(redis: Redis, sweeper: Sweeper) -> list[str]:
    redis.delete(LOCK_KEY)  # passes come one heartbeat apart; here one after the other
    return sweeper.sweep()


def queued_ids(redis: Redis) -> list[str]:
    return [json.loads(m)["headers"]["id"] for m in redis.lrange(QUEUE, 0, -1)]


def test_a_lost_message_is_sent_again_on_the_second_pass(redis: Redis) -> None:
    job_id = queued_long_ago(redis)
    passes = sweeper(redis)
    assert sweep(redis, passes) == []
    assert queued_ids(redis) == []
    assert sweep(redis, passes) == [job_id]
    assert queued_ids(redis) == [job_id]
    redis.delete(QUEUE)  # a worker took it: in flight, then unacknowledged
    redis.hset(UNACKED, "tag-1", json.dumps([{"headers": {"id": job_id}}, "", QUEUE]))
    assert sweep(redis, passes) == [] and sweep(redis, passes) == []
    assert queued_ids(redis) == []


def test_a_message_seen_in_flight_by_one_pass_is_not_sent_twice(redis: Redis) -> None:
    job_id = queued_long_ago(redis)
    passes = sweeper(redis)
    assert sweep(redis, passes) == []  # the worker's BRPOP lies between this pass's reads
    redis.hset(UNACKED, "tag-1", json.dumps([{"headers": {"id": job_id}}, "", QUEUE]))
    assert sweep(redis, passes) == []
    redis.hset(JOB_KEY.format(job_id), "status", "processing")
    redis.delete(UNACKED)
    assert sweep(redis, passes) == []
    assert queued_ids(redis) == []
