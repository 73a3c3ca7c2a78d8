"""Two real Daphne processes on PostgreSQL + Redis, driven by real WebSocket clients.

A citizen talks to an agent across processes; the citizen's process is killed
mid-conversation and the citizen resumes on the other process. Every message
arrives exactly once, in order.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from contextlib import ExitStack
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from helpdesk import events
from helpdesk.models import Conversation, Message
from helpdesk.services.conversations import message_post
from tests.support.chat import agent_on_duty, keep_conversations_waiting, open_around_the_clock
from tests.support.factories import make_org
from tests.support.live import LiveServer

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def start_session(server: LiveServer) -> str:
    request = urllib.request.Request(
        f"{server.url}/chat/api/session",
        data=json.dumps({"name": "سعيد", "phone": "91234567", "language": "ar"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["token"])


class Citizen:
    """A minimal client written from docs/protocol.md: hello, resume, send, resend."""

    def __init__(self, token: str, sockets: ExitStack) -> None:
        self.token = token
        self.sockets = sockets
        self.last_seq = 0
        self.seqs: list[int] = []  # every message frame's seq, over all connections
        self.texts: dict[int, str] = {}
        self.acks: dict[str, tuple[int, bool]] = {}
        self.socket: ClientConnection | None = None

    def connect(self, server: LiveServer) -> None:
        self.socket = self.sockets.enter_context(
            connect(f"{server.ws_url}/ws/chat/", origin=server.url, open_timeout=10)
        )
        self.send({"type": "hello", "token": self.token, "last_seq": self.last_seq})
        welcome = self.receive()
        assert welcome["type"] == "welcome", welcome

    def send(self, frame: dict[str, Any]) -> None:
        assert self.socket is not None
        self.socket.send(json.dumps(frame))

    def say(self, client_msg_id: str, text: str) -> None:
        self.send({"type": "message", "client_msg_id": client_msg_id, "text": text})

    def receive(self, timeout: float = 10) -> dict[str, Any]:
        assert self.socket is not None
        frame = json.loads(self.socket.recv(timeout=timeout))
        if frame["type"] == "message":
            self.seqs.append(frame["message"]["seq"])
            self.texts[frame["message"]["seq"]] = frame["message"]["text"]
            self.last_seq = max(self.last_seq, frame["message"]["seq"])
        elif frame["type"] == "ack":
            self.acks[frame["client_msg_id"]] = (frame["seq"], frame["duplicate"])
        return frame

    def receive_until(self, done: Any, timeout: float = 10) -> None:
        while not done():
            self.receive(timeout=timeout)

    def drain(self, quiet: float = 1.0) -> None:
        """Read until nothing arrives for ``quiet`` seconds (or the socket drops)."""
        try:
            while True:
                self.receive(timeout=quiet)
        except (TimeoutError, ConnectionClosed):
            return


def agent_says(conversation: Conversation, agent: Any, text: str, **kwargs: Any) -> Message:
    return message_post(
        conversation=Conversation.objects.get(pk=conversation.pk),
        sender_kind="agent",
        text=text,
        user=agent,
        **kwargs,
    )


def staff_listener(conversation: Conversation) -> Any:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(events.conversation_staff_group(conversation.public_id), channel)

    async def next_message_new() -> dict[str, Any]:
        while True:
            event = await asyncio.wait_for(layer.receive(channel), timeout=10)
            if event["event"] == "message.new":
                return event

    return lambda: async_to_sync(next_message_new)()


def test_it_delivers_every_message_once_in_order_across_processes_and_a_crash(
    live_servers: Any, sockets: ExitStack
) -> None:
    open_around_the_clock(fallback=make_org().pothole)
    keep_conversations_waiting()
    agent = agent_on_duty()
    first, second = live_servers(2)

    citizen = Citizen(start_session(first), sockets)
    conversation = Conversation.objects.get()
    staff_hears = staff_listener(conversation)

    # Citizen on the first process → the agents (through Redis).
    citizen.connect(first)
    citizen.say("m1", "في حفرة كبيرة")
    citizen.receive_until(lambda: "m1" in citizen.acks and 2 in citizen.seqs)
    heard = staff_hears()
    assert (heard["payload"]["message"]["seq"], heard["payload"]["message"]["text"]) == (
        2,
        "في حفرة كبيرة",
    )

    # The agent (another process: this test) → the citizen on the first process.
    reply = agent_says(conversation, agent, "أين بالضبط؟")
    citizen.receive_until(lambda: reply.seq in citizen.seqs)

    # A message leaves just as the citizen's process dies: its ack may never come.
    citizen.say("m2", "قرب دوار الوطية")
    first.kill()
    citizen.drain()

    # While the citizen is away: replies, and a private note they must never see.
    agent_says(conversation, agent, "شكراً، نسجل البلاغ")
    agent_says(conversation, agent, "internal: check with roads", is_internal=True)
    agent_says(conversation, agent, "هل لديك صورة؟")

    # The citizen resumes on the second process and re-sends what was not acknowledged.
    citizen.connect(second)
    for client_msg_id, text in (("m2", "قرب دوار الوطية"), ("m1", "في حفرة كبيرة")):
        citizen.say(client_msg_id, text)
    citizen.receive_until(lambda: "m2" in citizen.acks and citizen.acks["m1"][1])
    citizen.say("m3", "لا، آسف")
    citizen.receive_until(lambda: "m3" in citizen.acks)
    last = agent_says(conversation, agent, "لا بأس، رقم بلاغك قريباً")
    citizen.receive_until(lambda: last.seq in citizen.seqs)
    citizen.drain()

    visible = list(
        Message.objects.filter(conversation=conversation, is_internal=False)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert citizen.seqs == visible  # each exactly once, in order, none missing
    assert citizen.acks["m1"] == (2, True)  # the re-sent frame was recognised, not re-stored
    assert Message.objects.filter(conversation=conversation, sender_kind="citizen").count() == 3
    assert "internal: check with roads" not in citizen.texts.values()
