"""ASGI entry point: HTTP through Django, ``/ws/…`` through Channels.

WebSockets pass the origin check (``helpdesk.origins``: staff sockets only from
the staff origins, the citizen's from the site, the widget's embedding sites
and the mobile app) before reaching a route; the routes that need a signed-in user add the session
authentication themselves. The first connection of any kind starts the
process's distributor engine (``helpdesk.acd``) on Daphne's event loop.
"""

import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaa.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from helpdesk.request_threads import PooledThreadsASGIHandler  # noqa: E402
from nidaa.production import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()  # production only: weak SECRET_KEY, console SMS, the demo logins

# HTTP requests' sync code runs on a few long-lived threads that keep their
# database connection (helpdesk/request_threads.py says why).
django_asgi_app = PooledThreadsASGIHandler(threads=settings.HTTP_REQUEST_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from helpdesk import acd  # noqa: E402
from helpdesk.origins import OriginValidator  # noqa: E402
from helpdesk.proxies import TrustedProxyHeaders  # noqa: E402
from helpdesk.request_limits import BodySizeLimit  # noqa: E402
from nidaa.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": BodySizeLimit(django_asgi_app),
        "websocket": OriginValidator(URLRouter(websocket_urlpatterns)),
    }
)


# Forwarded headers only from our own proxies (helpdesk/proxies.py): before anything reads
# the client's address or scheme.
proxied_router = TrustedProxyHeaders(router)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    acd.engine_start()
    await proxied_router(scope, receive, send)
