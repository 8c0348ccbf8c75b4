"""Webhooks: `callback_url` on `POST /process` receives the job's final status object.

The body is the status object as JSON (no result: fetch it from `/job/{id}/result`). It is
signed with HMAC-SHA256 under `DOCPROC_WEBHOOK_SECRET`:

    X-Docproc-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">

A receiver recomputes the HMAC over the timestamp, a dot and the raw body, compares in constant
time, and refuses old timestamps (replays); `verify()` below is that check. Delivery is its own
Celery task, retried with exponential backoff on a network error or a non-2xx answer.

Only public addresses receive webhooks (`docproc.security.outbound`): a private, loopback or
link-local target is refused at submit (literal addresses) and at delivery, where the name is
resolved once, every address checked, and the connection made to the checked address itself.
A refused address or a redirect (never followed) ends the delivery at once, without retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from celery import Task, shared_task

from docproc.errors import InvalidCallbackUrl
from docproc.security.outbound import Resolver, check_host, resolve_checked

log = logging.getLogger(__name__)

WEBHOOK_TASK = "docproc.send_webhook"
SIGNATURE_HEADER = "X-Docproc-Signature"
MAX_URL_LENGTH = 2048


def check_callback_url(
    url: str, *, secret_configured: bool, allow_private: bool | None = None
) -> str:
    """An absolute http(s) URL whose host is not a non-public address, or `InvalidCallbackUrl`.

    `allow_private` defaults to `DOCPROC_WEBHOOK_ALLOW_PRIVATE`.
    """
    parts = urlsplit(url.strip())
    try:
        httpx.URL(url.strip())  # what delivery will parse, so it cannot fail there
        host, _ = parts.hostname, parts.port  # a bad port is a ValueError here, not at delivery
    except (httpx.InvalidURL, ValueError):
        host = None
    if len(url) > MAX_URL_LENGTH or parts.scheme not in ("http", "https") or not host:
        raise InvalidCallbackUrl(
            "callback_url must be an absolute http:// or https:// URL.", callback_url=url[:200]
        )
    if not secret_configured:
        raise InvalidCallbackUrl(
            "callback_url needs DOCPROC_WEBHOOK_SECRET to be set on the server (to sign calls)."
        )
    if allow_private is None:
        from docproc.config import get_settings

        allow_private = get_settings().webhook_allow_private
    check_host(host, allow_private=allow_private)
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


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one delivery attempt went: `outcome` is a metric label; `final` means no retry."""

    outcome: str
    final: bool = False
    reason: str = ""

    @property
    def delivered(self) -> bool:
        return self.outcome == "delivered"


def deliver(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool,
    resolve: Resolver = socket.getaddrinfo,
) -> Delivery:
    """POST `body` to `url` once, at the address its host resolves to right now, if that is fit.

    The request goes to the checked address itself (the URL's host swapped for it) with the
    original `Host` header and, for https, the original name for SNI and certificate checks:
    nothing resolves the name a second time. Redirects are not followed; the answer's body is
    not read.
    """
    try:
        target = httpx.URL(url)
        host = target.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError):
        return Delivery("invalid_url", final=True, reason="callback_url cannot be parsed")
    try:
        address = resolve_checked(
            host, target.port or (443 if target.scheme == "https" else 80),
            allow_private=allow_private, resolve=resolve,
        )
    except InvalidCallbackUrl as refused:
        return Delivery("refused", final=True, reason=refused.message)
    except OSError as exc:  # gaierror: the name does not resolve (yet)
        return Delivery("dns_error", reason=f"{host!r} does not resolve: {exc}")
    pinned = target.copy_with(host=str(address))
    headers = {**headers, "Host": target.netloc.decode("ascii")}
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as http, http.stream(
            "POST", pinned, content=body, headers=headers, extensions=extensions
        ) as response:
            status = response.status_code
    except httpx.HTTPError as exc:
        return Delivery(type(exc).__name__, reason=str(exc)[:200])
    if 200 <= status < 300:
        return Delivery("delivered")
    if 300 <= status < 400:
        return Delivery("redirect", final=True,
                        reason=f"the receiver answered {status} (a redirect, not followed)")
    return Delivery(f"http_{status}", reason=f"the receiver answered {status}")


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
    attempt = deliver(url, body, headers, timeout=settings.webhook_timeout,
                      allow_private=settings.webhook_allow_private)
    if attempt.delivered:
        count_event(services.redis, "webhook", "delivered")
        return attempt.outcome
    retries = self.request.retries
    if attempt.final or retries >= settings.webhook_max_retries:
        count_event(services.redis, "webhook", attempt.outcome if attempt.final else "gave_up")
        log.warning("webhook not delivered, no more tries (%d made): %s", retries + 1,
                    attempt.reason or attempt.outcome, extra={"job_id": job_id})
        return attempt.outcome if attempt.final else "gave_up"
    count_event(services.redis, "webhook", "retried")
    log.info("webhook try %d failed, retrying: %s", retries + 1, attempt.reason or attempt.outcome,
             extra={"job_id": job_id})
    raise self.retry(countdown=min(300, 2 ** (retries + 1)))


def _without_private(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("owner", "callback_url")}
