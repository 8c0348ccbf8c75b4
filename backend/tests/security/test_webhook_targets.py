"""Webhooks never reach the service's own network (SSRF), unless the operator allows it.

Submit time: literal addresses and localhost names. Delivery time: the name resolved once,
every address checked, the request sent to the checked address (no second lookup that DNS
rebinding could answer differently), redirects not followed. Real HTTP(S) servers on loopback;
the name resolution is the part replaced, to play a DNS server that lies.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest

from docproc.errors import InvalidCallbackUrl
from docproc.jobs.webhooks import check_callback_url, deliver
from tests.security.receiver import receiving

REFUSED = {
    "http://127.0.0.1:8000/hook": "loopback",
    "http://127.1/hook": "loopback",
    "http://2130706433/hook": "loopback",  # 127.0.0.1 as one decimal number
    "http://0x7f.0.0.1/hook": "loopback",
    "http://localhost:8000/hook": "loopback",
    "http://api.localhost/hook": "loopback",
    "http://[::1]/hook": "loopback",
    "http://[::ffff:127.0.0.1]/hook": "loopback",
    "http://[2002:7f00:1::]/hook": "loopback",  # 6to4 around 127.0.0.1
    "http://10.1.2.3/hook": "private (RFC 1918)",
    "http://172.16.0.9/hook": "private (RFC 1918)",
    "https://192.168.1.1/hook": "private (RFC 1918)",
    "http://100.64.0.1/hook": "carrier-grade NAT",
    "http://169.254.169.254/latest/meta-data/": "link-local",
    "http://[fe80::1]/hook": "link-local",
    "http://[fd12:3456::1]/hook": "unique-local",
    "http://224.0.0.1/hook": "multicast",
    "http://[ff02::1]/hook": "multicast",
    "http://0.0.0.0:8000/hook": "unspecified",
    "http://[::]/hook": "unspecified",
    "http://240.0.0.1/hook": "reserved",
}


@pytest.mark.parametrize(("url", "kind"), sorted(REFUSED.items()))
def test_non_public_callback_url_is_refused_at_submit_naming_why(url: str, kind: str) -> None:
    with pytest.raises(InvalidCallbackUrl) as refused:
        check_callback_url(url, secret_configured=True, allow_private=False)
    assert (kind in refused.value.message and "public addresses" in refused.value.message) or (
        kind in ("multicast", "unspecified") and "cannot receive" in refused.value.message
    ), refused.value.message
    assert refused.value.http_status == 422


@pytest.mark.parametrize("url", ["https://hooks.example.com/docproc?x=1", "http://8.8.8.8/hook",
                                 "https://[2606:4700:4700::1111]:8443/hook"])
def test_public_callback_urls_pass_the_submit_check(url: str) -> None:
    assert check_callback_url(url, secret_configured=True, allow_private=False) == url


def test_allow_private_lets_on_premises_receivers_through_but_not_nonsense() -> None:
    for url in ("http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://localhost/hook"):
        assert check_callback_url(url, secret_configured=True, allow_private=True) == url
    for url in ("http://0.0.0.0/hook", "http://239.1.1.1/hook"):
        with pytest.raises(InvalidCallbackUrl, match="cannot receive"):
            check_callback_url(url, secret_configured=True, allow_private=True)


class LyingDns:
    """Answers with the next list of addresses each time it is asked (DNS rebinding)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        self.asked.append(host)
        addresses = self.answers[min(len(self.asked), len(self.answers)) - 1]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]


def test_delivery_connects_to_the_checked_address_not_a_second_lookup() -> None:
    """The name is looked up once; a rebinding answer (10.255.255.1) is never used, and the
    receiver sees the original Host header."""
    dns = LyingDns(["127.0.0.1"], ["10.255.255.1"])
    with receiving((200, {})) as receiver:
        url = receiver.url(host="hooks.invalid")  # a name no real DNS answers
        done = deliver(url, b"{}", {}, timeout=5, allow_private=True, resolve=dns)
    assert done.delivered, done
    assert dns.asked == ["hooks.invalid"]
    assert [c.headers["Host"] for c in receiver.calls] == [f"hooks.invalid:{receiver.port}"]


@pytest.mark.parametrize("answer", [["127.0.0.1"], ["93.184.216.34", "127.0.0.1"],
                                    ["169.254.169.254"], ["::ffff:10.0.0.1"]])
def test_a_name_resolving_to_any_private_address_is_refused_before_connecting(
    answer: list[str]
) -> None:
    with receiving((200, {})) as receiver:
        done = deliver(receiver.url(host="evil.example"), b"{}", {}, timeout=5,
                       allow_private=False, resolve=LyingDns(answer))
    assert (done.outcome, done.final) == ("refused", True)
    assert "evil.example" in done.reason and "public addresses" in done.reason
    assert receiver.calls == []


def test_a_redirect_is_not_followed_and_ends_the_delivery() -> None:
    with receiving((200, {})) as inner, receiving((302, {"Location": inner.url()})) as outer:
        done = deliver(outer.url(), b"{}", {}, timeout=5, allow_private=True)
    assert (done.outcome, done.final) == ("redirect", True) and "302" in done.reason
    assert len(outer.calls) == 1 and inner.calls == []


def test_a_name_that_does_not_resolve_is_retried_not_refused() -> None:
    done = deliver("http://no-such-host.invalid/hook", b"{}", {}, timeout=5, allow_private=False)
    assert done.outcome == "dns_error" and not done.final


def test_https_delivery_checks_the_certificate_against_the_name_not_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pinned to 127.0.0.1, the TLS handshake still sends the name (SNI) and verifies the
    certificate for it: a certificate for the name passes, one for another name fails."""
    good, wrong = _certificate(tmp_path, "hooks.test"), _certificate(tmp_path, "other.test")
    for (cert, key), delivered in ((good, True), (wrong, False)):
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        with receiving((200, {}), tls=tls) as receiver:
            done = deliver(receiver.url(host="hooks.test", scheme="https"), b"{}", {},
                           timeout=5, allow_private=True, resolve=LyingDns(["127.0.0.1"]))
        assert done.delivered is delivered, done
        assert len(receiver.calls) == int(delivered)


def _certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` (openssl), its own CA."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key
