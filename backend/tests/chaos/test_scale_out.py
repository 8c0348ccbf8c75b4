"""Scale out: a worker in its own network namespace (own address, no shared filesystem) takes
jobs from the same Redis, alone and beside a worker on the host."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis

from tests.chaos.conftest import start_persistent_redis
from tests.integration.documents import text_pdf
from tests.stack import BACKEND, CELERY, RedisServer, free_port, running_stack, wait_until

SUBNET = f"10.{200 + os.getpid() % 50}.{os.getpid() % 250}"
PASSWORD = "scale-out-test-password"


@dataclass
class PasswordRedis(RedisServer):
    """A Redis reachable from another host: it listens beyond loopback, so it has a password."""

    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"redis://:{PASSWORD}@{self.host}:{self.port}/0"

    def client(self) -> Redis:
        return Redis.from_url(self.url)


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True)


@pytest.fixture()
def namespace() -> Iterator[str]:
    """A network namespace joined to the host by a veth pair: host .1, namespace .2."""
    name, host_if, ns_if = f"dp{os.getpid()}", f"dpa{os.getpid()}", f"dpb{os.getpid()}"
    if shutil.which("ip") is None or _ip("netns", "add", name).returncode != 0:
        pytest.skip("`ip netns add` is not permitted here (needs root / CAP_NET_ADMIN)")
    try:
        steps = [
            ("link", "add", host_if, "type", "veth", "peer", "name", ns_if),
            ("link", "set", ns_if, "netns", name),
            ("addr", "add", f"{SUBNET}.1/24", "dev", host_if),
            ("link", "set", host_if, "up"),
            ("netns", "exec", name, "ip", "addr", "add", f"{SUBNET}.2/24", "dev", ns_if),
            ("netns", "exec", name, "ip", "link", "set", ns_if, "up"),
            ("netns", "exec", name, "ip", "link", "set", "lo", "up"),
        ]
        for step in steps:
            done = _ip(*step)
            if done.returncode != 0:
                pytest.skip(f"network namespace setup refused: ip {' '.join(step)}: {done.stderr}")
        yield name
    finally:
        _ip("link", "del", host_if)
        _ip("netns", "del", name)


@pytest.fixture()
def shared_redis() -> Iterator[RedisServer]:
    directory = Path(tempfile.mkdtemp(prefix="docproc-scale-redis-"))
    started = start_persistent_redis(
        free_port(), directory, bind=f"127.0.0.1 {SUBNET}.1", extra=("--requirepass", PASSWORD)
    )
    server = PasswordRedis(started.port, started.process, directory)
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


def test_a_worker_on_another_host_takes_jobs_from_the_same_redis(
    namespace: str, shared_redis: RedisServer
) -> None:
    remote_url = f"redis://:{PASSWORD}@{SUBNET}.1:{shared_redis.port}/0"
    with running_stack(shared_redis) as stack, stack.http() as client:
        # The remote worker: other address, Redis reached over the veth, its own scratch dir.
        env = {**stack.env, "REDIS_URL": remote_url, "CELERY_BROKER_URL": remote_url,
               "CELERY_RESULT_BACKEND": remote_url, "DOCPROC_STORAGE_BACKEND": "redis",
               "DOCPROC_STORAGE_DIR": tempfile.mkdtemp(prefix="docproc-remote-"),
               "DOCPROC_TEST_PAGE_DELAY": "0.05"}
        log = stack.logs / "remote-worker.log"
        with log.open("wb") as out:
            remote = subprocess.Popen(
                ["ip", "netns", "exec", namespace, str(CELERY), "-A", "celery_app", "worker",
                 "-n", "remote@%h", "--concurrency=1", "--without-gossip", "--without-mingle",
                 "--loglevel=info"],
                cwd=BACKEND, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(lambda: "ready." in log.read_text(errors="replace")
                       or remote.poll() is not None, 60, "the remote worker")
            assert remote.poll() is None, log.read_text(errors="replace")
            alone = [stack.submit(client, text_pdf(2)) for _ in range(4)]
            finals = [stack.wait_for_status(client, j, {"completed", "failed"}) for j in alone]
            assert {f["status"] for f in finals} == {"completed"}, finals
            assert {f["worker"].split("@")[0] for f in finals} == {"remote"}
            stack.start_worker(concurrency=1, env={"DOCPROC_TEST_PAGE_DELAY": "0.3"})
            both = [stack.submit(client, text_pdf(3)) for _ in range(8)]
            finals = [stack.wait_for_status(client, j, {"completed", "failed"}) for j in both]
            assert {f["status"] for f in finals} == {"completed"}
            assert len({f["worker"].split("@")[0] for f in finals}) == 2, finals
        finally:
            remote.terminate()
            remote.wait(20)
