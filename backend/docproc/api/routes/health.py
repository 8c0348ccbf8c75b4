"""`GET /health`: is Redis answering, how long is the queue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from docproc.api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(services: ServicesDep) -> dict[str, Any]:
    redis = services.redis
    redis.ping()
    return {"status": "ok", "redis": "ok", "queue_length": redis.llen("celery")}
