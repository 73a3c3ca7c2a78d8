"""Staff sockets opened the way a browser opens them: through the project's ASGI
application, with the session cookie of a real sign-in and an ``Origin``."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from nidaa.asgi import application

SITE = "http://127.0.0.1:8000"  # NIDAA_PUBLIC_URL's default: the site's own origin


def signed_in_cookie(user: Any) -> str:
    """The ``sessionid`` of a real sign-in (a Client session, as the login page makes)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def staff_socket(
    user: Any = None,
    *,
    origin: str | None = SITE,
    host: str = "127.0.0.1:8000",
    path: str = "/ws/agent/",
    cookie: str | None = None,
) -> WebsocketCommunicator:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie is None and user is not None:
        cookie = await sync_to_async(signed_in_cookie)(user)
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["client"] = ("127.0.0.1", 50000)
    return communicator


async def opened(communicator: WebsocketCommunicator) -> bool:
    """Accepted at the handshake and not closed straight after (4403 for the wrong role)."""
    connected, _code = await communicator.connect()
    if not connected:
        return False
    return await communicator.receive_nothing(timeout=0.5)
