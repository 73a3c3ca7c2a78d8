"""ASGI application of the baseline Channels project: one route, ``/ws/relay/``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.baselines.channels_relay.settings")

import django

django.setup()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from bench.baselines.channels_relay.consumers import RelayConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/relay/", RelayConsumer.as_asgi())])}
)
