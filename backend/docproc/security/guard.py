"""The FastAPI dependency that authenticates a request and applies the rate limit.

One Redis round trip per request (async, so the event loop never waits on a socket): the key
lookup, its revocation and the rate-limit counter travel in one pipeline. The limit is a fixed
window of `DOCPROC_RATE_LIMIT_WINDOW` seconds allowing `DOCPROC_RATE_LIMIT` requests per key
(per client address when no keys are configured); 0 turns it off.

`POST /process` does not take this extra round trip: `Guard.admission` (no I/O) says who the
caller claims to be and what Redis must confirm, and the submission's own single Redis call
checks the key and counts the request before it writes anything (`docproc/jobs/submit.py`).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from docproc.config import Settings
from docproc.errors import JobNotFound
from docproc.jobs.store import JOB_KEY
from docproc.security.admission import Admission, unauthorized
from docproc.security.keys import ANONYMOUS, ApiKey, KeyRing, digest, key_id, parse_keys

RATE_KEY = "docproc:rate:{}:{}"
API_KEY_HEADER = "X-API-Key"
OPEN_PATHS = frozenset({"/health"})
_ANONYMOUS = ApiKey(id=ANONYMOUS, name=ANONYMOUS)


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

    def admission(self, request: Request) -> Admission:
        """Who the caller claims to be; 401 at once when a key is required and none was sent."""
        window = int(time.time() // self.rate_window)
        if not self.keyring.required:
            client = request.client.host if request.client else "unknown"
            rate_key = RATE_KEY.format(f"ip:{client}", window) if self.rate_limit else None
            return Admission(_ANONYMOUS, rate_key=rate_key, rate_limit=self.rate_limit,
                             rate_window=self.rate_window)
        presented = request.headers.get(API_KEY_HEADER)
        if not presented:
            raise unauthorized("An API key is required: send it in the X-API-Key header.")
        key_digest = digest(presented)
        configured = self.keyring.configured.get(key_digest)
        return Admission(
            ApiKey(id=key_id(key_digest), name=configured or key_id(key_digest)),
            key_digest=key_digest,
            key_configured=configured is not None,
            rate_key=RATE_KEY.format(key_digest[:16], window) if self.rate_limit else None,
            rate_limit=self.rate_limit,
            rate_window=self.rate_window,
        )

    async def __call__(self, request: Request) -> ApiKey:
        """Authenticate, count against the rate limit, and hide other keys' jobs (404)."""
        if request.url.path in OPEN_PATHS:
            return _ANONYMOUS
        admission = self.admission(request)
        pipe = self.redis.pipeline(transaction=False)
        job_id = str(request.path_params.get("job_id", ""))
        if admission.key_digest is None:
            await self._count(admission, pipe)
            caller = admission.caller
        else:
            self.keyring.lookup_commands(request.headers[API_KEY_HEADER], pipe)
            if job_id:
                pipe.hget(JOB_KEY.format(job_id), "owner")
            answers = await self._count(admission, pipe)
            resolved = self.keyring.resolve(admission.key_digest, answers[0], answers[1])
            if resolved is None:
                raise unauthorized()
            caller = resolved
            owner = answers[2] if job_id else None
            if owner is not None and owner != caller.id.encode():
                raise JobNotFound(f"No job with id {job_id!r}.", job_id=job_id[:64])
        request.state.caller = caller
        return caller

    async def _count(self, admission: Admission, pipe: Any) -> list[Any]:
        """Run `pipe` with the rate-limit counter appended; raise 429 over the limit."""
        if admission.rate_key is None and not len(pipe):
            return []
        if admission.rate_key is not None:
            pipe.incr(admission.rate_key)
            pipe.expire(admission.rate_key, self.rate_window + 1)
        answers: list[Any] = await pipe.execute()
        if admission.rate_key is not None:
            count = answers[-2]
            del answers[-2:]
            if isinstance(count, int) and count > self.rate_limit:
                raise admission.rate_limited()
        return answers


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
    caller: ApiKey = getattr(request.state, "caller", _ANONYMOUS)
    return caller
