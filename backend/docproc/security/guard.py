"""The FastAPI dependency that authenticates a request and applies the rate limit.

One Redis round trip per request (async, so the event loop never waits on a socket): the key
lookup, its revocation and the rate-limit counter travel in one pipeline. The limit is a fixed
window of `DOCPROC_RATE_LIMIT_WINDOW` seconds allowing `DOCPROC_RATE_LIMIT` requests per key
(per client address when no keys are configured); 0 turns it off.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from docproc.config import Settings
from docproc.errors import JobNotFound, RateLimited, Unauthorized
from docproc.jobs.store import JOB_KEY
from docproc.security.keys import ANONYMOUS, ApiKey, KeyRing, parse_keys

RATE_KEY = "docproc:rate:{}:{}"
API_KEY_HEADER = "X-API-Key"
OPEN_PATHS = frozenset({"/health"})


class Guard:
    """Callable dependency: returns the caller's `ApiKey` or raises 401/429."""

    def __init__(
        self, keyring: KeyRing, redis: AsyncRedis, *, rate_limit: int, rate_window: int
    ) -> None:
        self.keyring = keyring
        self.redis = redis
        self.rate_limit = rate_limit
        self.rate_window = rate_window

    @property
    def required(self) -> bool:
        return self.keyring.required

    async def __call__(self, request: Request) -> ApiKey:
        """Authenticate, count against the rate limit, and hide other keys' jobs (404)."""
        if request.url.path in OPEN_PATHS:
            return ApiKey(id=ANONYMOUS, name=ANONYMOUS)
        pipe = self.redis.pipeline(transaction=False)
        job_id = str(request.path_params.get("job_id", ""))
        if not self.keyring.required:
            client = request.client.host if request.client else "unknown"
            await self._count(f"ip:{client}", pipe)
            caller = ApiKey(id=ANONYMOUS, name=ANONYMOUS)
        else:
            presented = request.headers.get(API_KEY_HEADER)
            if not presented:
                raise _unauthorized("An API key is required: send it in the X-API-Key header.")
            key_digest = self.keyring.lookup_commands(presented, pipe)
            if job_id:
                pipe.hget(JOB_KEY.format(job_id), "owner")
            answers = await self._count(key_digest[:16], pipe)
            resolved = self.keyring.resolve(key_digest, answers[0], answers[1])
            if resolved is None:
                raise _unauthorized("The API key is not valid or has been revoked.")
            caller = resolved
            owner = answers[2] if job_id else None
            if owner is not None and owner != caller.id.encode():
                raise JobNotFound(f"No job with id {job_id!r}.", job_id=job_id[:64])
        request.state.caller = caller
        return caller

    async def _count(self, who: str, pipe: Any) -> list[Any]:
        """Run `pipe` with the rate-limit counter appended; raise 429 over the limit."""
        if not self.rate_limit and not len(pipe):
            return []
        window = int(time.time() // self.rate_window)
        if self.rate_limit:
            key = RATE_KEY.format(who, window)
            pipe.incr(key)
            pipe.expire(key, self.rate_window + 1)
        answers: list[Any] = await pipe.execute()
        if self.rate_limit:
            count = answers[-2]
            del answers[-2:]
            if isinstance(count, int) and count > self.rate_limit:
                retry = self.rate_window - int(time.time()) % self.rate_window
                limited = RateLimited(
                    f"Rate limit of {self.rate_limit} requests per {self.rate_window} s "
                    "exceeded; retry later.",
                    retry_after=retry,
                )
                limited.headers = {"Retry-After": str(retry)}  # type: ignore[attr-defined]
                raise limited
        return answers


def _unauthorized(message: str) -> Unauthorized:
    error = Unauthorized(message)
    error.headers = {"WWW-Authenticate": "ApiKey"}  # type: ignore[attr-defined]
    return error


def build_guard(settings: Settings, redis: Redis) -> Guard:
    """The guard for `settings`: keys from `DOCPROC_API_KEYS` plus those added in Redis."""
    spec = settings.api_keys.get_secret_value() if settings.api_keys else ""
    keyring = KeyRing(redis, parse_keys(spec), required=settings.require_api_key)
    return Guard(
        keyring,
        AsyncRedis.from_url(settings.redis_url),
        rate_limit=settings.rate_limit,
        rate_window=settings.rate_limit_window,
    )


async def authorize(request: Request) -> ApiKey:
    """The app-wide dependency: `create_app` passes it to `FastAPI(dependencies=[...])`."""
    guard: Guard = request.app.state.guard
    return await guard(request)


async def caller_of(request: Request) -> ApiKey:
    """The caller `authorize` found (anonymous when keys are off)."""
    caller: ApiKey = getattr(request.state, "caller", ApiKey(id=ANONYMOUS, name=ANONYMOUS))
    return caller
