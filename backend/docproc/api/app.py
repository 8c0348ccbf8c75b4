"""`create_app()`: the API, built from the settings; routers are included with one line each."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from docproc.api.errors import install_error_handlers
from docproc.api.frontend import mount_frontend
from docproc.api.limits import UploadLimit
from docproc.api.routes import events, exports, jobs, process, recent
from docproc.config import Settings, get_settings
from docproc.jobs.celery_app import create_celery
from docproc.jobs.services import build_services
from docproc.jobs.submit import Submitter
from docproc.observability import routes as observability
from docproc.observability.logs import configure_logging
from docproc.observability.sentry import init_sentry
from docproc.security.guard import authorize, build_guard

# Room for the multipart framing and the small form fields around the file.
_FORM_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    services = build_services(settings)
    celery = create_celery(settings)
    configure_logging(settings.log_level, settings.log_format)
    init_sentry(settings, component="api")
    guard = build_guard(settings, services.redis)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything built so far lives as long as the process: keep it out of the garbage
        # collector's full passes (a long pause under load, with Celery and the pipeline loaded).
        gc.collect()
        gc.freeze()
        yield
        services.redis.close()
        await guard.redis.aclose()
        await app.state.submitter.aclose()

    app = FastAPI(
        title="docproc",
        summary="Financial documents in, checked structured data out.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services
    app.state.submitter = Submitter(services, celery)
    app.state.guard = guard
    app.state.metrics_registry = observability.metrics_registry(
        services.redis, heartbeat_timeout=settings.heartbeat_timeout
    )
    app.add_middleware(
        UploadLimit,
        max_body_bytes=settings.max_upload_bytes + _FORM_OVERHEAD,
        max_upload_bytes=settings.max_upload_bytes,
    )
    install_error_handlers(app)
    # POST /process checks the key and the rate limit inside its one Redis call (process.py).
    app.include_router(process.router)
    # API keys, the rate limit and job ownership, for every other route but /health (issue 7).
    guarded = [Depends(authorize)]
    app.include_router(jobs.router, dependencies=guarded)
    app.include_router(observability.router, dependencies=guarded)  # /health, /ready, /metrics
    app.include_router(exports.router, dependencies=guarded)
    app.include_router(events.router, dependencies=guarded)  # GET /job/{id}/events (SSE)
    app.include_router(recent.router, dependencies=guarded)  # GET /jobs
    mount_frontend(app)  # the web page at /, after every API route
    return app
