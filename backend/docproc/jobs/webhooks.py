"""Webhooks: `callback_url` on `POST /process` receives the job's final status object.

The body is the status object as JSON (no result: fetch it from `/job/{id}/result`). It is
signed with HMAC-SHA256 under `DOCPROC_WEBHOOK_SECRET`:

    X-Docproc-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">

A receiver recomputes the HMAC over the timestamp, a dot and the raw body, compares in constant
time, and refuses old timestamps (replays); `verify()` below is that check. Delivery is its own
Celery task, retried with exponential backoff on a network error or a non-2xx answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from celery import Task, shared_task

from docproc.errors import InvalidCallbackUrl

log = logging.getLogger(__name__)

WEBHOOK_TASK = "docproc.send_webhook"
SIGNATURE_HEADER = "X-Docproc-Signature"
MAX_URL_LENGTH = 2048


def check_callback_url(url: str, *, secret_configured: bool) -> str:
    """An absolute http(s) URL with a host, or `InvalidCallbackUrl`."""
    parts = urlsplit(url.strip())
    if len(url) > MAX_URL_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidCallbackUrl(
            "callback_url must be an absolute http:// or https:// URL.", callback_url=url[:200]
        )
    if not secret_configured:
        raise InvalidCallbackUrl(
            "callback_url needs DOCPROC_WEBHOOK_SECRET to be set on the server (to sign calls)."
        )
    return url.strip()


def sign(secret: bytes, body: bytes, timestamp: int | None = None) -> str:
    """The signature header value for `body`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: bytes, body: bytes, header: str, *, tolerance: int = 300) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected, fields.get("v1", ""))


@shared_task(bind=True, name=WEBHOOK_TASK, acks_late=True, max_retries=None)
def send_webhook(self: Task, job_id: str) -> str:
    """POST the final status of `job_id` to its callback URL, retrying with backoff."""
    from docproc.jobs.tasks import worker_services
    from docproc.observability.metrics import count_event

    services = worker_services()
    settings, store = services.settings, services.store
    url = str(store.private_fields(job_id).get("callback_url") or "")
    record = store.get(job_id)
    if not url or record is None or settings.webhook_secret is None:
        return "skipped"
    body = json.dumps(_without_private(record), sort_keys=True).encode()
    secret = settings.webhook_secret.get_secret_value().encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)}
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=settings.webhook_timeout)
        outcome = "delivered" if response.is_success else f"http_{response.status_code}"
    except httpx.HTTPError as exc:
        outcome = type(exc).__name__
    if outcome == "delivered":
        count_event(services.redis, "webhook", "delivered")
        return outcome
    retries = self.request.retries
    if retries >= settings.webhook_max_retries:
        count_event(services.redis, "webhook", "gave_up")
        log.warning("webhook gave up after %d tries: %s", retries + 1, outcome,
                    extra={"job_id": job_id})
        return "gave_up"
    count_event(services.redis, "webhook", "retried")
    raise self.retry(countdown=min(300, 2 ** (retries + 1)))


def _without_private(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("owner", "callback_url")}
