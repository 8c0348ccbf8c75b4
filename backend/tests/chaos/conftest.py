"""Chaos helpers: a persistent redis-server that can be killed and restarted on its own port."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.exceptions import AuthenticationError, ResponseError

from tests.stack import RedisServer, free_port, wait_until

# What docs/operations.md asks of a production Redis: every write on disk before the reply,
# and never an evicted key (an evicted upload or message would be a lost job).
PERSISTENT = ["--appendonly", "yes", "--appendfsync", "always", "--save", "",
              "--maxmemory-policy", "noeviction"]
FAST_SWEEP = {"DOCPROC_HEARTBEAT_INTERVAL": "0.5", "DOCPROC_HEARTBEAT_TIMEOUT": "3"}


def start_persistent_redis(
    port: int, directory: Path, bind: str = "127.0.0.1", extra: tuple[str, ...] = ()
) -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", *bind.split(), "--dir", str(directory),
         *PERSISTENT, *extra],
        stdout=subprocess.DEVNULL,
    )
    server = RedisServer(port, process, directory)
    client = server.client()
    try:
        wait_until(lambda: _pings(client), 20, "persistent redis-server to answer")
    except AssertionError:
        process.kill()  # never leave a server behind when the test cannot use it
        process.wait(10)
        raise
    return server


def _pings(client: object) -> bool:
    try:
        return bool(client.ping())  # type: ignore[attr-defined]
    except (ResponseError, AuthenticationError):  # NOAUTH: up, asking for its password
        return True
    except Exception:
        return False


def restart(server: RedisServer, bind: str = "127.0.0.1") -> RedisServer:
    """SIGKILL the server (no shutdown save) and start it again on the same port and data."""
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    server.process = start_persistent_redis(server.port, server.directory, bind).process
    return server


@pytest.fixture()
def persistent_redis() -> Iterator[RedisServer]:
    directory = Path(tempfile.mkdtemp(prefix="docproc-chaos-redis-"))
    server = start_persistent_redis(free_port(), directory)
    try:
        yield server
    finally:
        if server.process.poll() is None:  # `restart` swaps the process in place
            server.process.terminate()
            server.process.wait(10)
        shutil.rmtree(directory, ignore_errors=True)
