"""Where an upload waits for its worker: the broker message carries only its key.

`redis` (default) keeps the bytes in Redis under `docproc:upload:{key}` for
`DOCPROC_UPLOAD_TTL_SECONDS`, so a worker on another machine needs nothing but the Redis URL.
`directory` writes `DOCPROC_STORAGE_DIR/{key}` for a volume every worker mounts. The key is
always our job id, never anything from the user's filename.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError

from docproc.config import Settings
from docproc.errors import StorageUnavailable, UploadMissing

UPLOAD_KEY = "docproc:upload:{}"
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class UploadStorage(Protocol):
    def put(self, key: str, data: bytes, pipe: Pipeline | None = None) -> None:
        """Store `data`; with `pipe`, queue the write on it for the caller to execute."""

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class RedisUploads:
    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    def put(self, key: str, data: bytes, pipe: Pipeline | None = None) -> None:
        target = pipe if pipe is not None else self.redis
        target.set(UPLOAD_KEY.format(_checked(key)), data, ex=self.ttl_seconds)

    def get(self, key: str) -> bytes:
        try:
            data = self.redis.get(UPLOAD_KEY.format(_checked(key)))
        except RedisError as exc:
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        if not isinstance(data, bytes):
            raise UploadMissing("The uploaded document is no longer stored; submit it again.")
        return data

    def delete(self, key: str) -> None:
        self.redis.delete(UPLOAD_KEY.format(_checked(key)))


class DirectoryUploads:
    """Uploads as files in a directory shared by the API and every worker."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def put(self, key: str, data: bytes, pipe: Pipeline | None = None) -> None:
        # Written before the job record and the task, so a worker never finds half a file.
        target = self.directory / _checked(key)
        fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return (self.directory / _checked(key)).read_bytes()
        except FileNotFoundError as exc:
            raise UploadMissing("The uploaded document is no longer stored.") from exc
        except OSError as exc:
            raise StorageUnavailable(f"The upload directory cannot be read: {exc}") from exc

    def delete(self, key: str) -> None:
        (self.directory / _checked(key)).unlink(missing_ok=True)


def upload_storage(settings: Settings, redis: Redis) -> UploadStorage:
    if settings.storage_backend == "directory":
        return DirectoryUploads(settings.storage_dir)
    return RedisUploads(redis, settings.upload_ttl_seconds)


def _checked(key: str) -> str:
    if not _SAFE_KEY.match(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key
