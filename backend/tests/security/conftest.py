"""A stack with API keys on (alice, bob), webhooks signed, and one worker for the module."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.stack import Stack, running_stack, start_redis

ALICE, BOB = "alice-secret-key-0001", "bob-secret-key-0002"
WEBHOOK_SECRET = "webhook-test-secret"
SECURED_ENV = {
    "DOCPROC_API_KEYS": f"alice:{ALICE},bob:{BOB}",
    "DOCPROC_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "DOCPROC_HEARTBEAT_INTERVAL": "0.5",
}


@pytest.fixture(scope="session")
def secured() -> Iterator[Stack]:
    """Its own redis-server, so its worker never takes another area's jobs."""
    redis = start_redis()
    try:
        with running_stack(redis, SECURED_ENV) as stack:
            yield stack
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def secured_worker(secured: Stack) -> Iterator[Stack]:
    secured.start_worker(concurrency=1)
    yield secured
    secured.stop_workers()


def client(stack: Stack, key: str | None) -> httpx.Client:
    headers = {"X-API-Key": key} if key else {}
    return httpx.Client(base_url=stack.api_url, timeout=30, headers=headers)
