"""The ASGI scope of an HTTP request, for tests that drive an ASGI application directly."""

from __future__ import annotations

from typing import Any


def http_scope(
    path: str,
    *,
    method: str = "GET",
    headers: list[tuple[bytes, bytes]] | None = None,
    client: tuple[str, int] = ("127.0.0.1", 40000),
    host: bytes = b"testserver",
) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host), *(headers or [])],
        "client": client,
        "server": ("testserver", 80),
    }


def signed_in_session(user: Any) -> Any:
    """The session the session middleware would put in a staff socket's scope (each agent
    frame checks that it is still valid: helpdesk/staff_sessions.py)."""
    from django.test import Client

    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client.session
