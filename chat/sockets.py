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
