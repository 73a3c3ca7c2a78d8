"""The floor: a bare ``websockets`` relay server (``python -m bench.baselines.ws_relay PORT``)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections import defaultdict

from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.procs import raise_fd_limit

rooms: dict[str, set[ServerConnection]] = defaultdict(set)


async def relay(websocket: ServerConnection) -> None:
    joined: list[str] = []
    try:
        async for text in websocket:
            frame = json.loads(text)
            room = str(frame["room"])
            if frame.get("op") == "join":
                rooms[room].add(websocket)
                joined.append(room)
                await websocket.send(json.dumps({"op": "joined", "room": room}))
            else:
                broadcast([peer for peer in rooms.get(room, ()) if peer is not websocket], text)
    finally:
        for room in joined:
            members = rooms.get(room)
            if members is not None:
                members.discard(websocket)
                if not members:
                    del rooms[room]


async def main(port: int) -> None:
    raise_fd_limit()
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with serve(relay, "127.0.0.1", port, backlog=4096, ping_interval=60, compression=None):
        await stop


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
