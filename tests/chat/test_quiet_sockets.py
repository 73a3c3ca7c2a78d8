"""Quiet sockets stay open on Redis.

redis-py 8 times every read out after 5 s by default, exactly the channel
layer's own blocking receive: a citizen or a console that said nothing for 5 s
was closed with 1011 and ``Timeout reading from …`` in the log. A real Daphne
process on Redis holds both kinds of socket silent for 30 s here, then each
still answers and still receives events.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from websockets.sync.client import ClientConnection, connect

from helpdesk.models import Conversation
from helpdesk.services.conversations import message_post
from tests.support.chat import agent_on_duty, keep_conversations_waiting, open_around_the_clock
from tests.support.factories import make_org

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

QUIET_SECONDS = 30


def _frames_until(socket: ClientConnection, kind: str, timeout: float = 10) -> list[dict]:
    frames = []
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        frames.append(frame)
        if frame["type"] == kind:
            return frames


def _quiet(sockets: list[ClientConnection], seconds: float) -> None:
    """Send nothing for ``seconds``; whatever the server pushes meanwhile is read."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        for socket in sockets:
            try:
                socket.recv(timeout=min(1.0, left / len(sockets)))
            except TimeoutError:
                pass


def test_quiet_citizen_and_console_sockets_stay_open_on_redis(live_servers: Any) -> None:
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    keep_conversations_waiting()
    agent = agent_on_duty()
    browser = Client()
    browser.force_login(agent)
    session = browser.cookies["sessionid"].value
    (server,) = live_servers(1)

    with (
        connect(f"{server.ws_url}/ws/chat/", origin=server.url, open_timeout=10) as citizen,
        connect(
            f"{server.ws_url}/ws/agent/",
            origin=server.url,
            open_timeout=10,
            additional_headers={"Cookie": f"sessionid={session}"},
        ) as console,
    ):
        citizen.send(json.dumps({"type": "start", "name": "سعيد", "language": "ar"}))
        started = _frames_until(citizen, "welcome")
        public_id = started[0]["conversation"]
        console.send(json.dumps({"type": "resume", "conversations": {}}))
        _frames_until(console, "snapshot")

        _quiet([citizen, console], QUIET_SECONDS)

        citizen.send(json.dumps({"type": "ping"}))
        assert _frames_until(citizen, "pong")
        console.send(json.dumps({"type": "heartbeat"}))
        assert _frames_until(console, "heartbeat")
        # The channel layer's receive loop survived the silence too.
        message_post(
            conversation=Conversation.objects.get(public_id=public_id),
            sender_kind="agent",
            user=agent,
            text="still here",
        )
        frames = _frames_until(citizen, "message")
        assert frames[-1]["message"]["text"] == "still here"

    log = server.log()
    assert "Timeout reading" not in log
    assert "1011" not in log
