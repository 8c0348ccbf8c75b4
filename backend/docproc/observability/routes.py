"""`/health` (the process answers), `/ready` (Redis answers, a worker is alive), `/metrics`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from redis.exceptions import RedisError

from docproc.observability.heartbeats import live_workers
from docproc.observability.metrics import RedisCollector

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the API process answers (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "not ready"}})
def ready(request: Request) -> JSONResponse:
    """Readiness: Redis answers and at least one worker's heartbeat is fresh."""
    services = request.app.state.services
    settings = services.settings
    body: dict[str, Any] = {"redis": "ok"}
    try:
        services.redis.ping()
        workers = sorted(live_workers(services.redis, settings.heartbeat_timeout))
    except RedisError as exc:
        return JSONResponse({"status": "not ready", "redis": f"error: {exc}"}, status_code=503)
    body.update(workers=workers, status="ready" if workers else "not ready")
    if not workers:
        body["reason"] = "no worker has sent a heartbeat recently"
    return JSONResponse(body, status_code=200 if workers else 503)


@router.get("/metrics", response_class=Response)
def prometheus_metrics(request: Request) -> Response:
    """Prometheus text format, built from the counters workers keep in Redis."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def metrics_registry(redis: Any, *, heartbeat_timeout: float) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    collector = RedisCollector(redis, queues=("celery",), heartbeat_timeout=heartbeat_timeout)
    registry.register(collector)
    return registry
