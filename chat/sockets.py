"""The base of Nidaa's WebSocket consumers: nothing on the database thread unless asked.

Channels 4.3 closes stale database connections on the database thread before
every handler it dispatches — each client frame and each channel-layer event
— and again after a disconnect: one thread hop per event for every socket,
queued behind the real database work (a chat message delivered to a console
waited for the group commit in progress). Our consumers touch the database
only through ``events.call``, ``database_sync_to_async`` and the group commit,
which close stale connections around each call themselves (Channels'
``DatabaseSyncToAsync``), so these consumers dispatch on the loop alone.
"""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


class LoopConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        for group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.disconnect(message["code"])
        raise StopConsumer()


def scope_language(scope: dict[str, Any]) -> str:
    """The language the person behind a socket reads, as ``LocaleMiddleware`` finds it.

    The language cookie (set by the language switch), then the browser's
    ``Accept-Language``, then the site's default.
    """
    candidates = [scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")]
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            header = value.decode("latin-1")
            candidates.extend(code for code, _q in parse_accept_lang_header(header))
    for code in candidates:
        if not code or code == "*":
            continue
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)
