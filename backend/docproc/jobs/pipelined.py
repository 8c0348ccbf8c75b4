"""One Redis connection that concurrent requests share, their commands pipelined.

Each call writes its (already packed) command at once and waits for its reply; one reader task
takes the replies in order, as Redis sends them, and hands each to its caller. With eight
clients there are usually several commands in flight, so the per-command work of a pooled call
(take a connection, drain, wait, give it back) is done once for all of them, and the event loop
wakes once per batch of replies. The connection itself (connect, AUTH and SELECT from the URL,
TLS, the hiredis reply parser, disconnect on errors) is redis-py's.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ConnectionError, RedisError, ResponseError


class PipelinedConnection:
    """`await call(packed_command)` -> the reply; a Redis error reply is raised to its caller.

    `redis` should have no socket timeout: redis-py would then run every write in a task of its
    own (`wait_for`). The reader waits at most `reply_timeout` seconds for the next reply while
    commands are in flight; past that the connection is dropped and every caller fails."""

    def __init__(self, redis: Redis, *, reply_timeout: float = 5.0) -> None:
        self.redis = redis
        self.pool = redis.connection_pool
        self.reply_timeout = reply_timeout
        self._connection: AbstractConnection | None = None
        self._waiting: deque[asyncio.Future[Any]] = deque()
        self._reader: asyncio.Task[None] | None = None
        self._connecting = asyncio.Lock()

    async def call(self, command: bytes) -> Any:
        connection = await self._connected()
        reply: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        # Queued in the order of the writes, which is the order of the replies: callers write in
        # the order they queue (redis-py writes before it first awaits, or in a task it starts).
        self._waiting.append(reply)
        try:
            await connection.send_packed_command(command, check_health=False)
        except Exception as error:  # the connection broke: no queued reply will come
            self._fail_waiting(error)
        else:
            if self._reader is None:
                self._reader = asyncio.create_task(self._read(connection))
        return await reply

    async def aclose(self) -> None:
        await self.redis.aclose()

    async def _connected(self) -> AbstractConnection:
        connection = self._connection
        if (
            connection is not None
            and connection.is_connected
            and (self._waiting or not await self._closed_while_idle(connection))
        ):
            return connection
        async with self._connecting:  # one caller (re)connects, the others wait for it
            if self._connection is None:
                self._connection = await self.pool.get_connection()  # kept: it is shared
            if not self._connection.is_connected:
                await self._connection.connect()
            return self._connection

    @staticmethod
    async def _closed_while_idle(connection: AbstractConnection) -> bool:
        """Nothing is in flight, yet the socket is readable (or at its end): the server closed
        it, e.g. a Redis restart. Dropped here, so the next caller does not fail on it (redis-py's
        pool makes the same check when it hands out a connection)."""
        try:
            stale = await connection.can_read()
        except ConnectionError:  # redis-py already disconnected it
            return True
        if stale:
            await connection.disconnect()
        return stale

    async def _read(self, connection: AbstractConnection) -> None:
        try:
            while self._waiting:
                try:
                    reply = await connection.read_response(timeout=self.reply_timeout)
                except ResponseError as error:
                    reply = error
                waiter = self._waiting.popleft()
                if isinstance(reply, Exception):
                    waiter.set_exception(reply)
                else:
                    waiter.set_result(reply)
        except BaseException as error:
            # The connection is gone (redis-py disconnected it): every caller waiting fails.
            self._fail_waiting(error)
            if not isinstance(error, Exception):
                raise
        finally:
            self._reader = None

    def _fail_waiting(self, error: BaseException) -> None:
        if not isinstance(error, RedisError):  # e.g. a write racing the disconnect
            error = ConnectionError(f"Redis connection lost: {error!r}")
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_exception(error)
