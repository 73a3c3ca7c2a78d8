"""ASGI entry point: HTTP through Django, ``/ws/…`` through Channels.

WebSockets pass the origin check (the Origin header must match ALLOWED_HOSTS)
and the session authentication middleware before reaching a consumer.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from helpdesk.request_threads import PooledThreadsASGIHandler  # noqa: E402

# HTTP requests' sync code runs on a few long-lived threads that keep their
# database connection (helpdesk/request_threads.py says why).
django_asgi_app = PooledThreadsASGIHandler(threads=settings.HTTP_REQUEST_THREADS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from helpdesk.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
