"""Where the service may send requests of its own (webhooks): public addresses only.

A `callback_url` is chosen by the caller, so without a check it would let anyone make the
workers POST into their own network (SSRF): Redis, cloud metadata at 169.254.169.254, admin
pages on localhost. A target is refused when its address is loopback, private (RFC 1918),
shared (carrier-grade NAT), link-local, unique-local IPv6, multicast, unspecified or otherwise
not globally routable; IPv4 addresses wrapped in IPv6 (mapped, 6to4, NAT64) are judged by the
IPv4 address inside.

The check runs twice: at submit time on a literal address or a `localhost` name (no DNS lookup
on the API's event loop), and at delivery time on every address the name resolves to. The
delivery then connects to the address that was checked (see `webhooks.deliver`), so a name that
resolves differently a second time (DNS rebinding) cannot move it. `DOCPROC_WEBHOOK_ALLOW_PRIVATE`
lets on-premises operators and tests allow private targets; multicast and unspecified addresses
stay refused even then.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Any

from docproc.errors import InvalidCallbackUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Sequence[tuple[Any, ...]]]

_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCALHOST_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
ALLOW_SETTING = "DOCPROC_WEBHOOK_ALLOW_PRIVATE"


def address_problem(address: IPAddress, *, allow_private: bool) -> str | None:
    """What makes `address` unfit for a webhook ("a loopback address" …), or None when fit."""
    address = _unwrapped(address)
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if allow_private or (address.is_global and not address.is_reserved):
        return None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services live)"
    if any(address in net for net in _RFC1918):
        return "a private (RFC 1918) address"
    if address in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if address in _UNIQUE_LOCAL:
        return "a unique-local IPv6 address"
    return "a reserved or non-public address"


def literal_address(host: str) -> IPAddress | None:
    """The address when `host` is written as one, in any form `getaddrinfo` would accept too
    (`127.1`, `2130706433`, `0x7f.0.0.1` are all 127.0.0.1)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def check_host(host: str, *, allow_private: bool) -> None:
    """Submit-time check of a URL's host, without DNS: a literal address or a localhost name."""
    address = literal_address(host)
    name = host.lower().rstrip(".")
    if address is None and (name in _LOCALHOST_NAMES or name.endswith(".localhost")):
        address = ipaddress.ip_address("127.0.0.1")
    problem = address and address_problem(address, allow_private=allow_private)
    if address and problem:
        raise InvalidCallbackUrl(_refusal(f"host {host!r} is {problem}", address, allow_private))


def resolve_checked(
    host: str, port: int, *, allow_private: bool, resolve: Resolver = socket.getaddrinfo
) -> IPAddress:
    """Resolve `host` once and check every address it has; the first one, to connect to.

    A name with any refused address is refused as a whole: which address a client would pick
    is not ours to predict. `socket.gaierror` (the name does not resolve) is left to the caller.
    """
    answers = resolve(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(ipaddress.ip_address(a[4][0].split("%")[0]) for a in answers))
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    for address in addresses:
        problem = address_problem(address, allow_private=allow_private)
        if problem:
            raise InvalidCallbackUrl(
                _refusal(f"host {host!r} resolves to {address}, {problem}", address, allow_private)
            )
    return addresses[0]


def _unwrapped(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), else the address itself."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return inner
    return address


def _refusal(problem: str, address: IPAddress, allow_private: bool) -> str:
    if allow_private or address_problem(address, allow_private=True):
        return f"callback_url {problem}, which cannot receive a webhook."
    return (f"callback_url {problem}; webhooks are only sent to public addresses "
            f"({ALLOW_SETTING}=true allows private networks).")
