"""ASGI entry point: HTTP through Django, ``/ws/…`` through Channels.

WebSockets pass the origin check (the Origin header must match ALLOWED_HOSTS)
before reaching a route; the routes that need a signed-in user add the session
authentication themselves. The first connection of any kind starts the
process's distributor engine (``helpdesk.acd``) on Daphne's event loop.
"""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from helpdesk import acd  # noqa: E402
from helpdesk.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    acd.engine_start()
    await router(scope, receive, send)
