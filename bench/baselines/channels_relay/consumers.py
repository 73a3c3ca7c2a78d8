"""The relay consumer: in-process rooms without a layer, layer groups with one."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

_rooms: dict[str, set[RelayConsumer]] = defaultdict(set)


class RelayConsumer(AsyncWebsocketConsumer):
    joined: list[str]

    async def connect(self) -> None:
        self.joined = []
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for room in self.joined:
            if self.channel_layer is not None:
                await self.channel_layer.group_discard(room, self.channel_name)
            else:
                _rooms[room].discard(self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            return
        frame = json.loads(text_data)
        room = str(frame["room"])
        if frame.get("op") == "join":
            self.joined.append(room)
            if self.channel_layer is not None:
                await self.channel_layer.group_add(room, self.channel_name)
            else:
                _rooms[room].add(self)
            await self.send(text_data=json.dumps({"op": "joined", "room": room}))
        elif self.channel_layer is not None:
            await self.channel_layer.group_send(
                room, {"type": "relay.frame", "text": text_data, "sender": self.channel_name}
            )
        else:
            for peer in list(_rooms.get(room, ())):
                if peer is not self:
                    await peer.send(text_data=text_data)

    async def relay_frame(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self.send(text_data=event["text"])
