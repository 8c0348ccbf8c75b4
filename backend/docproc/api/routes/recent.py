"""`GET /jobs`: the caller's jobs, newest first, a page at a time (for the web page's list).

Reads the JobStore's creation-time index (`docproc:jobs`, a sorted set); records that have
expired drop out of the list. Only the caller's own jobs are listed when API keys are in use
(other keys' jobs are skipped, reading further down the index as needed).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from docproc.api.deps import CallerDep, StoreDep
from docproc.api.schemas import JobStatusBody
from docproc.jobs.store import INDEX_KEY, JobStore
from docproc.security.keys import ANONYMOUS

router = APIRouter(tags=["jobs"])

MAX_PAGE = 100
# Paging reads the index from the top, so very deep pages are refused rather than slow.
MAX_OFFSET = 5000
# With API keys on, how many index entries a listing reads at most to find the caller's jobs.
MAX_SCAN = 20000


class JobsPage(BaseModel):
    """One page of `GET /jobs` (documentation only: the route returns the records as stored)."""

    jobs: list[JobStatusBody]
    limit: int
    offset: int
    has_more: bool
    next_offset: int | None


@router.get("/jobs", response_model=None, responses={200: {"model": JobsPage}})
def list_jobs(
    store: StoreDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Jobs newest first: `jobs` (status objects without results), `has_more`, `next_offset`."""
    owner = None if caller.id == ANONYMOUS else caller.id
    window = _newest(store, offset + limit + 1, owner)
    page = window[offset : offset + limit]
    has_more = len(window) > offset + limit
    return {
        "jobs": page,
        "limit": limit,
        "offset": offset,
        "has_more": has_more,
        "next_offset": offset + limit if has_more else None,
    }


def _newest(store: JobStore, wanted: int, owner: str | None) -> list[dict[str, Any]]:
    """The newest `wanted` jobs (of `owner`): other keys' jobs are skipped, so read further."""
    scan = wanted
    total = int(store.redis.zcard(INDEX_KEY))
    while True:
        found = store.recent(limit=scan, owner=owner)
        if len(found) >= wanted or scan >= total or scan >= MAX_SCAN:
            return found[:wanted]
        scan *= 4
