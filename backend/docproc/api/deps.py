"""Shared route dependencies as `Annotated` aliases.

They are `async def` although they only read `app.state`: FastAPI runs a plain `def` dependency
in the thread pool, a hop that costs more than the lookup.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from docproc.jobs.services import Services
from docproc.jobs.store import JobStore
from docproc.jobs.submit import Submitter
from docproc.security.guard import caller_of
from docproc.security.keys import ApiKey


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_services(request: Request) -> Services:
    return _services(request)


async def get_store(request: Request) -> JobStore:
    return _services(request).store


async def get_submitter(request: Request) -> Submitter:
    submitter: Submitter = request.app.state.submitter
    return submitter


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[JobStore, Depends(get_store)]
SubmitterDep = Annotated[Submitter, Depends(get_submitter)]
# The caller that the app-wide `authorize` dependency found: whose jobs a route may show.
CallerDep = Annotated[ApiKey, Depends(caller_of)]
