"""API keys: no key 401, a key sees only its own jobs (404 otherwise), revocation, rate limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docproc.security.keys import KeyRing, parse_keys
from tests.integration.documents import text_pdf
from tests.security.conftest import ALICE, BOB, client
from tests.stack import (
    BACKEND,
    Stack,
    free_port,
    running_stack,
    stack_env,
    start_redis,
    wait_until,
)

DOCPROC = Path(sys.executable).with_name("docproc")


def submit(stack: Stack, key: str, **headers: str) -> str:
    with client(stack, key) as http:
        response = http.post(
            "/process", files={"file": ("a.pdf", text_pdf(1), "application/pdf")},
            data={"document_type": "generic"}, headers=headers,
        )
    assert response.status_code == 202, response.text
    return str(response.json()["job_id"])


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/job/{id}/status"), ("GET", "/job/{id}/result"), ("POST", "/process"),
     ("GET", "/metrics"), ("GET", "/ready"), ("DELETE", "/job/{id}"), ("GET", "/jobs"),
     ("GET", "/job/{id}/events"), ("GET", "/job/{id}/export"), ("GET", "/job/{id}/report")],
)
def test_without_a_key_everything_but_health_is_401(secured: Stack, method: str, path: str) -> None:
    job_id = submit(secured, ALICE)
    with client(secured, None) as anonymous, client(secured, "not-a-key-at-all") as wrong:
        for http in (anonymous, wrong):
            response = http.request(method, path.format(id=job_id))
            assert response.status_code == 401, response.text
            assert response.json()["error_type"] == "unauthorized"
        assert anonymous.get("/health").status_code == 200


def test_one_key_never_reads_exports_or_deletes_another_keys_job(secured_worker: Stack) -> None:
    job_id = submit(secured_worker, ALICE)
    with client(secured_worker, ALICE) as alice, client(secured_worker, BOB) as bob:
        secured_worker.wait_for_status(alice, job_id, {"completed"})
        for path in (f"/job/{job_id}/status", f"/job/{job_id}/result",
                     f"/job/{job_id}/export?format=json", f"/job/{job_id}/export?format=csv",
                     f"/job/{job_id}/export?format=xlsx", f"/job/{job_id}/report",
                     f"/job/{job_id}/events"):
            denied = bob.get(path)
            assert denied.status_code == 404, (path, denied.text)
            assert denied.json()["error_type"] == "job_not_found", (path, denied.text)
            # Alice reaches the job there (csv/xlsx of a generic document: 422, not hers: 404).
            assert alice.get(path).status_code in (200, 422), path
        assert bob.delete(f"/job/{job_id}").status_code == 404
        for listing in (bob.get("/jobs"), bob.get("/jobs", params={"limit": 100, "offset": 0})):
            assert listing.status_code == 200 and job_id not in listing.text
        assert job_id in alice.get("/jobs").text
        # Alice still has everything, and the status object never shows the owner.
        status = alice.get(f"/job/{job_id}/status").json()
        assert status["status"] == "completed" and "owner" not in status
        assert alice.get(f"/job/{job_id}/result").status_code == 200
        assert alice.delete(f"/job/{job_id}").status_code == 200
        assert alice.get(f"/job/{job_id}/status").status_code == 404


def test_a_key_added_then_revoked_in_redis_needs_no_restart(secured: Stack) -> None:
    keyring = KeyRing(secured.redis.client(), parse_keys(secured.env["DOCPROC_API_KEYS"]),
                      required=True)
    carol = keyring.add("carol")
    job_id = submit(secured, carol)
    assert all(carol not in str(v) for v in secured.redis.client().hgetall("docproc:api-keys"))
    assert keyring.revoke("carol")
    with client(secured, carol) as http:
        assert http.get(f"/job/{job_id}/status").status_code == 401
    # A configured key can be revoked the same way.
    keyring.revoke("bob")
    try:
        with client(secured, BOB) as http:
            assert http.get("/metrics").status_code == 401
    finally:
        secured.redis.client().delete("docproc:api-keys:revoked")


def test_rate_limit_per_key_answers_429_with_retry_after() -> None:
    redis = start_redis()
    env = {"DOCPROC_API_KEYS": f"alice:{ALICE},bob:{BOB}", "DOCPROC_RATE_LIMIT": "5",
           "DOCPROC_RATE_LIMIT_WINDOW": "3600"}
    try:
        with running_stack(redis, env) as stack, client(stack, ALICE) as alice:
            codes = [alice.get("/job/none/status").status_code for _ in range(7)]
            assert codes[:5] == [404] * 5 and codes[5:] == [429, 429], codes
            limited = alice.get("/job/none/status")
            assert int(limited.headers["Retry-After"]) > 0
            assert limited.json()["error_type"] == "rate_limited"
            with client(stack, BOB) as bob:  # another key has its own budget
                assert bob.get("/job/none/status").status_code == 404
    finally:
        redis.stop()


def test_keys_cli_adds_lists_and_revokes_without_a_restart(secured: Stack) -> None:
    def keys(*args: str) -> str:
        done = subprocess.run([str(DOCPROC), "keys", *args], cwd=BACKEND, env=secured.env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    dave = keys("add", "dave").strip()
    assert len(dave) >= 32
    job_id = submit(secured, dave)
    listed = keys("list")
    assert any(line.split()[1:2] == ["dave"] and line.endswith("active")
               for line in listed.splitlines()), listed
    assert dave not in listed and ALICE not in listed
    assert "revoked" in keys("revoke", "dave")
    with client(secured, dave) as http:
        assert http.get(f"/job/{job_id}/status").status_code == 401
    with client(secured, ALICE) as http:  # the others are untouched
        assert http.get("/health").status_code == 200 and http.get("/jobs").status_code == 200


def test_without_keys_the_api_listens_on_localhost_only(secured: Stack) -> None:
    """`python run.py` with no DOCPROC_API_KEYS and no DOCPROC_HOST: loopback only."""
    port = free_port()
    env = stack_env(secured.redis_url, {"DOCPROC_PORT": str(port)})
    api = subprocess.Popen([sys.executable, "run.py"], cwd=BACKEND, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: _listening(port) or api.poll() is not None, 60, "run.py to listen")
        assert api.poll() is None
        assert _listening(port) == {"127.0.0.1"}
    finally:
        api.terminate()
        api.wait(10)


def _listening(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return ".".join(str(int(hex_address[i:i + 2], 16)) for i in (6, 4, 2, 0))
    return "ipv6:" + hex_address


def test_the_same_idempotency_key_from_another_key_is_another_job(secured: Stack) -> None:
    """Idempotency keys are per API key: Bob's "order-1" never returns Alice's job."""
    alices = submit(secured, ALICE, **{"Idempotency-Key": "order-shared-1"})
    bobs = submit(secured, BOB, **{"Idempotency-Key": "order-shared-1"})
    assert bobs != alices
    assert submit(secured, BOB, **{"Idempotency-Key": "order-shared-1"}) == bobs
    with client(secured, BOB) as bob:
        assert bob.get(f"/job/{alices}/status").status_code == 404
