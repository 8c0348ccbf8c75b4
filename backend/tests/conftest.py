"""Fixtures shared by every test area that needs running services (see `tests/stack.py`).

- `redis_server`: a real redis-server on a free port for the whole session.
- `docproc_stack`: that Redis plus the API (uvicorn subprocess) for the session.
- `stack`: the same stack for one test; workers the test started are stopped afterwards and the
  queue is emptied. Start workers with `stack.start_worker(concurrency=1, env={...})`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack import RedisServer, Stack, running_stack, start_redis


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = start_redis()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def docproc_stack(redis_server: RedisServer) -> Iterator[Stack]:
    with running_stack(redis_server) as stack:
        yield stack


@pytest.fixture()
def stack(docproc_stack: Stack) -> Iterator[Stack]:
    yield docproc_stack
    docproc_stack.stop_workers()
    docproc_stack.redis.client().delete("celery", "unacked", "unacked_index")
