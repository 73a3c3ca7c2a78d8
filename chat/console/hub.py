"""One subscription per process to what every console hears: the queue list.

``queue.changed`` carries the waiting list itself (up to a hundred items), and
every console shows it. Sent to each console's channel, a broadcast cost the
layer one copy per console (on Redis one serialised copy and one list each)
and the process one JSON encoding per console: with a thousand consoles, a
thousand copies of tens of kilobytes, four times a second. Here each web
process joins the consoles' group once, encodes the frame once, and hands the
same text to each of its consoles.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Protocol

from channels.layers import get_channel_layer

from helpdesk import events

logger = logging.getLogger(__name__)

# Group memberships expire on the layer (a day on Redis); renewed well before that.
RENEW_SECONDS = 3600.0


def queue_frame(payload: dict[str, Any]) -> str:
    """The console's ``queue`` frame for a ``queue.changed`` event, as sent on the wire."""
    return json.dumps({"type": "queue", "queue": payload["queue"], "reason": payload["reason"]})


class Console(Protocol):
    """What the hub needs of a console: a socket it can send a text frame to."""

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None: ...


class ConsoleHub:
    """The consoles of this process, and the one channel that hears their broadcasts."""

    def __init__(self) -> None:
        self.consoles: set[Console] = set()
        # The last list broadcast: a console (re)connecting starts from it instead of
        # reading the queue again (None until this process has heard one).
        self.latest_queue: list[dict[str, Any]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncio.Task[None] | None = None

    async def join(self, console: Console) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # Daphne has one loop; a test suite one per test
            self._loop, self.consoles, self._listener = loop, set(), None
            self.latest_queue = None
        self.consoles.add(console)
        if self._listener is None or self._listener.done():
            ready = loop.create_future()
            self._listener = loop.create_task(self._listen(ready))
            await ready  # subscribed: nothing broadcast from here on is missed

    def leave(self, console: Console) -> None:
        self.consoles.discard(console)

    async def _listen(self, ready: asyncio.Future[None]) -> None:
        layer = get_channel_layer()
        # The default prefix: channels-redis receives every process-local channel
        # through one shared list and lock, which another prefix would compete for.
        channel = await layer.new_channel()
        await layer.group_add(events.AGENTS_GROUP, channel)
        ready.set_result(None)
        try:
            while self.consoles:
                try:
                    message = await asyncio.wait_for(layer.receive(channel), RENEW_SECONDS)
                except TimeoutError:
                    await layer.group_add(events.AGENTS_GROUP, channel)
                    continue
                handler = getattr(self, events.handler_name(str(message.get("event"))), None)
                if handler is not None:
                    await handler(message["payload"])
        finally:
            await layer.group_discard(events.AGENTS_GROUP, channel)

    async def on_queue_changed(self, payload: dict[str, Any]) -> None:
        self.latest_queue = payload["queue"]
        text = queue_frame(payload)
        for console in list(self.consoles):
            try:
                await console.send(text_data=text)
            except Exception:  # a socket closing under us: its disconnect cleans up
                logger.debug("queue frame not sent to a closing console", exc_info=True)


CONSOLES = ConsoleHub()
