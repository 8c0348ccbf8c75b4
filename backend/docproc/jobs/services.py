"""The Redis-backed pieces a process needs (API or worker), built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from docproc.config import Settings
from docproc.jobs.store import JobStore
from docproc.jobs.uploads import UploadStorage, upload_storage


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    redis: Redis
    store: JobStore
    uploads: UploadStorage


def connect_redis(url: str) -> Redis:
    """A client with its own connection pool; redis-py pools are thread- and fork-safe."""
    return Redis.from_url(url, socket_keepalive=True, health_check_interval=30)


def build_services(settings: Settings) -> Services:
    redis = connect_redis(settings.redis_url)
    store = JobStore(
        redis,
        result_ttl=settings.result_ttl,
        record_ttl=settings.upload_ttl_seconds + settings.result_ttl,
    )
    return Services(settings, redis, store, upload_storage(settings, redis))
