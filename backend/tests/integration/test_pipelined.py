"""The connection submissions share (`jobs/pipelined.py`), against a real Redis."""

from __future__ import annotations

import asyncio

import hiredis
import pytest
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import ConnectionError, ResponseError

from docproc.jobs.pipelined import PipelinedConnection
from tests.stack import RedisServer


def test_concurrent_calls_each_get_their_own_reply(redis_server: RedisServer) -> None:
    async def run() -> list[object]:
        redis = AsyncRedis.from_url(redis_server.url)
        shared = PipelinedConnection(redis)
        try:
            calls = [shared.call(hiredis.pack_command(("ECHO", f"call-{n}"))) for n in range(200)]
            calls.append(shared.call(hiredis.pack_command(("NO-SUCH-COMMAND",))))
            return await asyncio.gather(*calls, return_exceptions=True)
        finally:
            await redis.aclose()

    replies = asyncio.run(run())
    assert replies[:200] == [f"call-{n}".encode() for n in range(200)]
    assert isinstance(replies[200], ResponseError)  # an error reply goes to its caller only


def test_a_dropped_connection_fails_its_callers_then_reconnects(redis_server: RedisServer) -> None:
    admin = Redis.from_url(redis_server.url)

    async def run() -> tuple[object, bytes]:
        redis = AsyncRedis.from_url(redis_server.url)
        shared = PipelinedConnection(redis)
        try:
            await shared.call(hiredis.pack_command(("CLIENT", "SETNAME", "shared-under-test")))
            # BLPOP holds the reply back while the server drops the connection.
            blocked = asyncio.ensure_future(shared.call(hiredis.pack_command(
                ("BLPOP", "docproc:test:never", 5))))
            await asyncio.sleep(0.2)
            admin.client_kill_filter(_type=None, skipme=True, laddr=None,
                                     _id=_client_id(admin, "shared-under-test"))
            failed = await asyncio.gather(blocked, return_exceptions=True)
            return failed[0], await shared.call(hiredis.pack_command(("PING",)))
        finally:
            await redis.aclose()

    failed, answer = asyncio.run(run())
    assert isinstance(failed, ConnectionError)
    assert answer == b"PONG"


def _client_id(admin: Redis, name: str) -> str:
    for client in admin.client_list():
        if client.get("name") == name:
            return str(client["id"])
    pytest.fail(f"no client named {name}")


def test_an_idle_connection_the_server_closed_is_replaced_before_the_next_call(
    redis_server: RedisServer,
) -> None:
    """After a Redis restart the first submission must not fail on the old, dead socket."""
    admin = Redis.from_url(redis_server.url)

    async def run() -> object:
        redis = AsyncRedis.from_url(redis_server.url)
        shared = PipelinedConnection(redis)
        try:
            await shared.call(hiredis.pack_command(("CLIENT", "SETNAME", "shared-idle")))
            admin.client_kill_filter(_type=None, skipme=True, laddr=None,
                                     _id=_client_id(admin, "shared-idle"))
            await asyncio.sleep(0.2)  # the close reaches the client while nothing is in flight
            return await shared.call(hiredis.pack_command(("PING",)))
        finally:
            await redis.aclose()

    assert asyncio.run(run()) == b"PONG"
