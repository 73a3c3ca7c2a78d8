"""The embedded default's channel layer: Channels' in-memory layer, at the cost of its work.

Channels' ``InMemoryChannelLayer`` walks every channel and every group
membership of the process on each ``receive`` and each ``group_send`` to drop
expired messages, and copies a group message once per member through a task of
its own. With thousands of sockets held that is thousands of steps per event:
the idle crowd made every chat message slower (``bench/NOTES.md``). This layer
keeps its semantics — capacity, expiry, group expiry, ``ChannelFull`` — but
expires at most every ``CLEAN_INTERVAL`` seconds, and sends a group message to
its members directly, one copy for all of them (consumers only read events).
A full channel is logged: the consoles notice the gap themselves (``desk_seq``).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

logger = logging.getLogger(__name__)

CLEAN_INTERVAL = 1.0


class LocalChannelLayer(InMemoryChannelLayer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cleaned_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_INTERVAL:
            return
        self._cleaned_at = now
        super()._clean_expired()

    def _put(self, channel: str, expires: float, message: dict[str, Any]) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        try:
            queue.put_nowait((expires, message))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, time.time() + self.expiry, copy.deepcopy(message))

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        shared = copy.deepcopy(message)
        expires = time.time() + self.expiry
        for channel in list(members):
            try:
                self._put(channel, expires, shared)
            except ChannelFull:
                logger.warning("channel %s is full: an event to %s was dropped", channel, group)
