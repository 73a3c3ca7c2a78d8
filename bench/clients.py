"""WebSocket endpoints of the load generator: the relay protocol of the baselines.

An endpoint owns one socket and a reader task. Chat frames carry the stream
name, the sequence number and the intended send time (monotonic ns), so the
receiver can account for loss, duplicates and order and measure latency. The
Nidaa endpoints, which speak ``docs/protocol.md``, live in ``bench/nidaa.py``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ChatSink = Callable[[str, int, int], None]  # (stream, seq, sent_at_ns)

CONNECT_TIMEOUT = 20.0


async def open_socket(
    url: str,
    *,
    source_ip: str,
    headers: dict[str, str] | None = None,
    origin: str | None = None,
) -> ClientConnection:
    return await connect(
        url,
        open_timeout=CONNECT_TIMEOUT,
        ping_interval=None,
        close_timeout=2,
        compression=None,
        max_queue=None,
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
        local_addr=(source_ip, 0),
        user_agent_header=None,
    )


class Endpoint:
    """One socket of the load generator, citizen or agent, with its reader task."""

    role = "citizen"

    def __init__(self, *, url: str, source_ip: str, sink: ChatSink) -> None:
        self.url = url
        self.source_ip = source_ip
        self.sink = sink
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.frames_in = 0

    async def connect(self) -> None:
        self.ws = await open_socket(self.url, source_ip=self.source_ip)
        self.reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for text in ws:
                self.frames_in += 1
                self.on_frame(json.loads(text))
        except ConnectionClosed:
            pass

    def on_frame(self, frame: dict[str, Any]) -> None:
        raise NotImplementedError

    async def send_json(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(frame, separators=(",", ":")))

    def abort(self) -> None:
        """Drop the connection the way a network failure does: no closing handshake."""
        if self.ws is not None and self.ws.transport is not None:
            self.ws.transport.abort()
        if self.reader is not None:
            self.reader.cancel()
        self.ws = None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
        self.ws = None


class RelayEndpoint(Endpoint):
    """Speaks the baselines' relay protocol: join rooms, relay chat frames."""

    def __init__(self, *, role: str, url: str, source_ip: str, sink: ChatSink) -> None:
        super().__init__(url=url, source_ip=source_ip, sink=sink)
        self.role = role
        self.rooms: list[str] = []
        self._joins: dict[str, asyncio.Future[None]] = {}

    async def join(self, room: str) -> None:
        future = asyncio.get_running_loop().create_future()
        self._joins[room] = future
        await self.send_json({"op": "join", "room": room})
        await asyncio.wait_for(future, CONNECT_TIMEOUT)
        if room not in self.rooms:
            self.rooms.append(room)

    async def rejoin(self) -> None:
        for room in list(self.rooms):
            await self.join(room)

    def on_frame(self, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        if op == "msg":
            self.sink(frame["s"], frame["q"], frame["t"])
        elif op == "joined":
            future = self._joins.pop(frame["room"], None)
            if future is not None and not future.done():
                future.set_result(None)

    async def send_chat(self, conversation: str, stream: str, seq: int, sent_at_ns: int) -> None:
        await self.send_json(
            {"op": "msg", "room": conversation, "s": stream, "q": seq, "t": sent_at_ns}
        )


class HttpAnswer:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        found = {}
        for name, value in self.headers:
            if name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _sep, cookie = pair.partition("=")
                found[key.strip()] = cookie.strip()
        return found


async def http_call(
    method: str,
    url: str,
    *,
    source_ip: str,
    body: bytes = b"",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> HttpAnswer:
    """One HTTP/1.1 request from a given source address (``Connection: close``).

    Small on purpose: the load generator needs a source address per simulated
    citizen (the server limits requests per address), which the standard
    library's blocking clients cannot give an asyncio program.
    """
    rest = url.split("://", 1)[1]
    hostport, _slash, path = rest.partition("/")
    host, _colon, port = hostport.partition(":")
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, int(port or 80), local_addr=(source_ip, 0)),
        CONNECT_TIMEOUT,
    )
    try:
        lines = [
            f"{method} /{path} HTTP/1.1",
            f"Host: {hostport}",
            "Connection: close",
            f"Content-Length: {len(body)}",
        ]
        if body:
            lines.append(f"Content-Type: {content_type}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), CONNECT_TIMEOUT)
    finally:
        writer.close()
    head, _sep, payload = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = []
    for line in header_lines:
        name, _colon, value = line.partition(":")
        parsed.append((name.strip().lower(), value.strip()))
    if any(n == "transfer-encoding" and "chunked" in v for n, v in parsed):
        payload = _unchunk(payload)
    return HttpAnswer(int(status_line.split()[1]), parsed, payload)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _sep, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)
