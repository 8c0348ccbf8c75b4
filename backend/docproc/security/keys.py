"""API keys, stored only as hashes, in memory (from `DOCPROC_API_KEYS`) and in Redis.

`DOCPROC_API_KEYS="alice:secret1,bob:secret2"` names each key. A key is never kept in clear: its
SHA-256 digest identifies it, and the first 16 hex digits of that digest are the key's *id*, which
job records carry as their owner. Keys added with `docproc keys add` live in the Redis hash
`docproc:api-keys` (digest -> name); `docproc keys revoke NAME` puts the key's id in the set
`docproc:api-keys:revoked`. The API and every worker read both on each request, so adding or
revoking a key needs no restart.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from redis import Redis

KEYS_HASH = "docproc:api-keys"
REVOKED_SET = "docproc:api-keys:revoked"
ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An authenticated caller: the key's id (owner of its jobs) and its name."""

    id: str
    name: str


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id(key_digest: str) -> str:
    return key_digest[:16]


def parse_keys(spec: str) -> dict[str, str]:
    """`name:key,name2:key2` -> {digest: name}; a bare `key` is named after its id."""
    keys: dict[str, str] = {}
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        name, sep, key = item.partition(":")
        if not sep:
            name, key = "", name
        if len(key) < 8:
            raise ValueError("DOCPROC_API_KEYS: every key needs at least 8 characters")
        key_digest = digest(key)
        keys[key_digest] = name or key_id(key_digest)
    return keys


class KeyRing:
    """The known keys: configured ones (hashed, in memory) plus those added in Redis."""

    def __init__(self, redis: Redis, configured: dict[str, str], *, required: bool) -> None:
        self.redis = redis
        self.configured = configured
        self.required = required or bool(configured)

    def lookup_commands(self, presented: str, pipe: Any) -> str:
        """Queue the Redis reads that authenticate `presented` on `pipe`; returns its digest."""
        key_digest = digest(presented)
        pipe.hget(KEYS_HASH, key_digest)
        pipe.sismember(REVOKED_SET, key_id(key_digest))
        return key_digest

    def resolve(self, key_digest: str, stored: bytes | None, revoked: Any) -> ApiKey | None:
        """The caller for a digest, given the answers of `lookup_commands`; None if refused."""
        if revoked:
            return None
        name = self.configured.get(key_digest)
        if name is None and stored is not None:
            name = json.loads(stored)["name"]
        if name is None:
            return None
        return ApiKey(id=key_id(key_digest), name=name)

    # -- administration (CLI) --------------------------------------------------------------

    def add(self, name: str, key: str | None = None) -> str:
        """Store a new key under `name` (generated when not given); returns the key in clear."""
        key = key or secrets.token_urlsafe(32)
        key_digest = digest(key)
        record = json.dumps({"name": name, "created_at": time.time()})
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(KEYS_HASH, key_digest, record)
        pipe.srem(REVOKED_SET, key_id(key_digest))
        pipe.execute()
        return key

    def revoke(self, name_or_id: str) -> list[str]:
        """Revoke every key with this name or id; returns the ids revoked."""
        ids = [entry["id"] for entry in self.list() if name_or_id in (entry["name"], entry["id"])]
        if ids:
            self.redis.sadd(REVOKED_SET, *ids)
        return ids

    def list(self) -> list[dict[str, Any]]:
        """Every known key (never the key itself): id, name, source, revoked."""
        revoked = {v.decode() for v in self.redis.smembers(REVOKED_SET)}  # type: ignore[union-attr]
        entries: list[dict[str, Any]] = [
            {"id": key_id(d), "name": n, "source": "DOCPROC_API_KEYS"}
            for d, n in self.configured.items()
        ]
        stored: dict[bytes, bytes] = self.redis.hgetall(KEYS_HASH)  # type: ignore[assignment]
        for raw_digest, raw in stored.items():
            name = json.loads(raw)["name"]
            entries.append({"id": key_id(raw_digest.decode()), "name": name, "source": "redis"})
        for entry in entries:
            entry["revoked"] = entry["id"] in revoked
        return entries
