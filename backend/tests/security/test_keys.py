"""API keys: no key 401, a key sees only its own jobs (404 otherwise), revocation, rate limit."""

from __future__ import annotations

import pytest

from docproc.security.keys import KeyRing, parse_keys
from tests.integration.documents import text_pdf
from tests.security.conftest import ALICE, BOB, client
from tests.stack import Stack, running_stack, start_redis


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
     ("GET", "/job/{id}/events"), ("GET", "/job/{id}/export")],
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
                     f"/job/{job_id}/report"):
            denied = bob.get(path)
            assert denied.status_code == 404, (path, denied.text)
            assert job_id not in denied.text or denied.json()["error_type"] == "job_not_found"
        assert bob.delete(f"/job/{job_id}").status_code == 404
        listing = bob.get("/jobs")
        if listing.status_code == 200:
            assert job_id not in listing.text
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
