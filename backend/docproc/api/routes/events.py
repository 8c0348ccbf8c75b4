"""`GET /job/{id}/events`: a job's status objects as server-sent events until the job ends.

The stream follows the job's Redis pub/sub channel (`docproc:job-events:{id}`, published by the
JobStore on every change), so a waiting page costs one idle subscription, not a poll loop. The
first event is the current record; later events are the record with each change merged in. The
record is re-read every few seconds as well, so a message lost between the first read and the
subscription (or a worker that died without publishing) still shows up. The stream ends after
the event that carries `completed` or `failed`; the result itself is fetched from `/result`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import StreamingResponse
from redis.asyncio import Redis as AsyncRedis

from docproc.api.deps import StoreDep
from docproc.api.schemas import ErrorBody
from docproc.errors import JobNotFound
from docproc.jobs.store import EVENTS_CHANNEL, FINISHED, JobStore


@asynccontextmanager
async def _close_events_redis(app: FastAPI) -> AsyncIterator[None]:
    """Merged into the app's lifespan by `include_router`: closes the client made on first use."""
    yield
    client = getattr(app.state, "events_redis", None)
    if client is not None:
        await client.aclose()


router = APIRouter(tags=["jobs"], lifespan=_close_events_redis)

# How often the record is re-read while no message arrives; also the keep-alive period.
RECHECK_SECONDS = 5.0
# Browsers reconnect on their own after a dropped stream; this is the delay they use (ms).
RECONNECT_MS = 2000


@router.get(
    "/job/{job_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, 404: {"model": ErrorBody}},
)
async def job_events(job_id: str, request: Request, store: StoreDep) -> StreamingResponse:
    """Server-sent events: the job's status object on every change, until it ends."""
    record = await _read(store, job_id) if len(job_id) <= 64 else None
    if record is None:
        raise JobNotFound(f"No job with id {job_id!r}.", job_id=job_id[:64])
    return StreamingResponse(
        _status_events(_events_redis(request), store, job_id, record),
        media_type="text/event-stream",
        # No proxy buffering (nginx), no caching: each event must reach the page at once.
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _events_redis(request: Request) -> AsyncRedis:
    """One asyncio Redis client per app, made on first use (pub/sub needs the async client)."""
    state = request.app.state
    if getattr(state, "events_redis", None) is None:
        state.events_redis = AsyncRedis.from_url(state.settings.redis_url)
    client: AsyncRedis = state.events_redis
    return client


async def _status_events(
    redis: AsyncRedis, store: JobStore, job_id: str, record: dict[str, Any]
) -> AsyncIterator[str]:
    yield f"retry: {RECONNECT_MS}\n\n"
    if record["status"] in FINISHED:
        yield _event(record)
        return
    pubsub = redis.pubsub()
    await pubsub.subscribe(EVENTS_CHANNEL.format(job_id))
    try:
        # Read again after subscribing: a change made in between is not lost.
        record = await _read(store, job_id) or record
        yield _event(record)
        while record["status"] not in FINISHED:
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=RECHECK_SECONDS
            )
            if message is not None:
                record = {**record, **json.loads(message["data"])}
            else:
                fresh = await _read(store, job_id)
                if fresh is None:  # deleted while watched
                    return
                if fresh == record:
                    yield ": keep-alive\n\n"
                    continue
                record = fresh
            yield _event(record)
    finally:
        await pubsub.aclose()


async def _read(store: JobStore, job_id: str) -> dict[str, Any] | None:
    """The record, read off the event loop (the store's client is the blocking one)."""
    return await asyncio.to_thread(store.get, job_id)


def _event(record: dict[str, Any]) -> str:
    return f"data: {json.dumps(record)}\n\n"
