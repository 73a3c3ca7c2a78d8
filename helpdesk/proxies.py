"""Forwarded headers are believed only from the proxies we run (ASGI layer).

Behind nginx every connection comes from the proxy, which says who the client
is in ``X-Forwarded-For`` and whether it spoke TLS in ``X-Forwarded-Proto``.
Anyone else can send those headers too: believed from everyone (Daphne's
``--proxy-headers``), one client rotating ``X-Forwarded-For`` escapes every
per-address limit. So, for a connection from an address in
``NIDAA_TRUSTED_PROXIES`` (addresses or networks), the client is the nearest
address in ``X-Forwarded-For`` that is not itself a trusted proxy, and the
scheme follows ``X-Forwarded-Proto``; for any other connection both headers are
dropped before Django or a consumer sees them. Run Daphne without
``--proxy-headers``.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"forwarded")


@lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted(address: str) -> bool:
    networks = _networks(tuple(settings.NIDAA_TRUSTED_PROXIES))
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    values = [bytes(value).decode("latin1") for key, value in headers if key == name]
    return ",".join(values)


def forwarded_client(peer: str, forwarded_for: str) -> str:
    """The client: from the right, the first hop that is not a trusted proxy."""
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # garbage in the chain: the proxy we trust is all we know
        if not trusted(hop):
            return hop
    return peer


class TrustedProxyHeaders:
    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.application(scope, receive, send)
            return
        client = scope.get("client") or ("", 0)
        headers = list(scope.get("headers", []))
        scope = dict(scope)
        if trusted(str(client[0])):
            scope["nidaa_trusted_proxy"] = True
            address = forwarded_client(str(client[0]), _header(headers, b"x-forwarded-for"))
            scope["client"] = (address, client[1])
            proto = _header(headers, b"x-forwarded-proto").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                secure = proto == "https"
                if scope["type"] == "websocket":
                    scope["scheme"] = "wss" if secure else "ws"
                else:
                    scope["scheme"] = proto
        else:
            scope["headers"] = [(k, v) for k, v in headers if k not in _FORWARDED]
        await self.application(scope, receive, send)
