"""Which web pages may open which WebSocket (the browser's ``Origin`` header).

A browser sends the session cookie with every WebSocket handshake, whatever
page opened it, so a staff socket must refuse every page but our own
(cross-site WebSocket hijacking). Origins are compared exactly: scheme, host
and port, as the browser serialises them (``https://nidaa.example``,
``http://127.0.0.1:8000``).

- **Staff sockets** (``/ws/agent/`` and every route but the citizen's) accept
  ``STAFF_ORIGINS`` when it is set, and otherwise the site's own origins.
  A handshake without ``Origin`` is refused: browsers always send one.
- **The citizen's socket** (``/ws/chat/``) accepts the site's own origins,
  ``WIDGET_ORIGINS`` (outside sites that embed the widget) and clients that
  send no ``Origin`` at all (the mobile app; a page cannot omit it).

The site's own origins are those Django's CSRF check trusts for a form post:
the request's own ``scheme://Host`` (the Host being one of ``ALLOWED_HOSTS``;
the scheme ``https`` for ``wss`` or a trusted TLS proxy's header), every exact
entry of ``CSRF_TRUSTED_ORIGINS``, and the origin of ``NIDAA_PUBLIC_URL``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

CITIZEN_PATHS = ("/ws/chat/",)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port; None if not an origin."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _exact(origins: Iterable[str]) -> set[str]:
    return {found for origin in origins if "*" not in origin if (found := normalise(origin))}


def configured_site_origins() -> set[str]:
    """The site's own origins as configured (the request's own origin is added per socket)."""
    return _exact([*settings.CSRF_TRUSTED_ORIGINS, settings.NIDAA_PUBLIC_URL])


def staff_origins() -> set[str] | None:
    """``STAFF_ORIGINS`` as a set, or None when unset (then: the site's own origins)."""
    return _exact(settings.STAFF_ORIGINS) or None


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin1")
    return None


def request_origin(scope: dict[str, Any]) -> str | None:
    """The origin this handshake was addressed to, if its Host is one of ours."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    # wss also behind a trusted TLS proxy that said so (helpdesk/proxies.py).
    secure = scope.get("scheme") == "wss"
    return normalise(f"{'https' if secure else 'http'}://{host}")


def origin_allowed(scope: dict[str, Any]) -> bool:
    raw = _header(scope, b"origin")
    citizen = scope.get("path", "") in CITIZEN_PATHS
    if raw is None:
        return citizen  # the mobile app; every browser sends an Origin
    origin = normalise(raw)
    if origin is None:
        return False
    if not citizen and (allowed := staff_origins()) is not None:
        return origin in allowed
    own = configured_site_origins()
    if (this_site := request_origin(scope)) is not None:
        own.add(this_site)
    if citizen:
        own |= _exact(settings.WIDGET_ORIGINS)
    return origin in own


class OriginValidator:
    """ASGI middleware: a WebSocket from an origin the route does not accept is refused (403)."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            await WebsocketDenier()(scope, receive, send)
            return
        await self.application(scope, receive, send)
