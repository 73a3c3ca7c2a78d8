"""A console client written from ``docs/agent-console.md`` alone, against a real Daphne.

It signs in with the staff form (CSRF token and cookie), opens ``/ws/agent/``
with the ``sessionid`` cookie and an allowed ``Origin``, resumes, goes
available, is offered the conversation a citizen starts, accepts, replies,
reads the citizen, drops and resumes, and closes with a disposition — checking
on the way the rules the document promises: desk events numbered without a
gap, each message seq once, an ``ack`` per reply. A user who may not serve is
closed with 4403, and a foreign ``Origin`` is refused at the handshake.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from http.cookiejar import CookieJar
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.chat.test_multiprocess import Citizen, start_session
from tests.support.chat import open_around_the_clock
from tests.support.factories import make_agent, make_org, make_staff
from tests.support.live import LiveServer

pytestmark = pytest.mark.postgres

PASSWORD = "pw-for-tests"  # tests.support.factories.make_staff's


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 302 is the answer we want to see


def sign_in(server: LiveServer, username: str, password: str) -> str:
    """The staff form: GET for the CSRF token and cookie, POST, keep ``sessionid``."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{server.url}/accounts/login/", timeout=10) as page:
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "the form carries its CSRF token"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    )
    request = urllib.request.Request(f"{server.url}/accounts/login/", data=form.encode())
    try:
        opener.open(request, timeout=10)
        raise AssertionError("a successful sign-in answers 302")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
    return next(cookie.value for cookie in jar if cookie.name == "sessionid")


class Console:
    """The client: frames in, state kept the way the document says."""

    def __init__(self, server: LiveServer, session: str, sockets: ExitStack) -> None:
        self.server = server
        self.session = session
        self.sockets = sockets
        self.socket: ClientConnection | None = None
        self.desk_seq = 0
        self.last_seq: dict[str, int] = {}  # per conversation on the desk
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.offers: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.acks: dict[str, int] = {}
        self.frames: list[dict[str, Any]] = []

    def connect(self) -> None:
        self.socket = self.sockets.enter_context(
            connect(
                f"{self.server.ws_url}/ws/agent/",
                origin=self.server.url,
                additional_headers={"Cookie": f"sessionid={self.session}"},
                open_timeout=10,
            )
        )
        self.send({"type": "resume", "conversations": self.last_seq})
        self.until(lambda f: f["type"] == "snapshot")

    def send(self, frame: dict[str, Any]) -> None:
        assert self.socket is not None
        self.socket.send(json.dumps(frame))

    def receive(self, timeout: float = 15) -> dict[str, Any]:
        assert self.socket is not None
        frame: dict[str, Any] = json.loads(self.socket.recv(timeout=timeout))
        self.frames.append(frame)
        kind = frame["type"]
        assert kind != "error", frame
        if kind == "snapshot":
            self.desk_seq = frame["desk_seq"]
            self.offers = {item["id"]: item for item in frame["offers"]}
            self.conversations = {item["id"]: item for item in frame["conversations"]}
            on_desk = {*self.offers, *self.conversations}
            self.last_seq = {k: v for k, v in self.last_seq.items() if k in on_desk}
        elif kind in ("offer.new", "offer.withdrawn", "assignment.new", "assignment.ended"):
            assert frame["desk_seq"] == self.desk_seq + 1, "desk events come without a gap"
            self.desk_seq = frame["desk_seq"]
            public_id = frame["conversation"]
            self.offers.pop(public_id, None)
            if kind == "offer.new":
                self.offers[public_id] = frame["item"]
            elif kind == "assignment.new":
                self.conversations[public_id] = frame["item"]
            else:
                self.conversations.pop(public_id, None)
                self.last_seq.pop(public_id, None)
        elif kind == "message":
            public_id, message = frame["conversation"], frame["message"]
            assert message["seq"] > self.last_seq.get(public_id, 0), "each seq once, in order"
            self.last_seq[public_id] = message["seq"]
            self.messages.setdefault(public_id, []).append(message)
        elif kind == "ack":
            self.acks[frame["client_id"]] = frame["seq"]
        return frame

    def until(self, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        while True:
            frame = self.receive()
            if done(frame):
                return frame

    def texts(self, public_id: str, sender: str) -> list[str]:
        return [m["text"] for m in self.messages.get(public_id, []) if m["sender"] == sender]


def test_a_client_written_from_the_document_serves_a_citizen(
    live_servers: Any, sockets: ExitStack
) -> None:
    open_around_the_clock(fallback=make_org().pothole)
    agent = make_agent(available=False, display_name="عائشة")
    (server,) = live_servers(1)

    console = Console(server, sign_in(server, agent.username, PASSWORD), sockets)
    console.connect()
    assert console.frames[-1]["agent"]["presence"] == "off_duty"
    console.send({"type": "presence", "presence": "available"})
    changed = console.until(lambda f: f["type"] == "presence.changed")
    assert (changed["agent"], changed["presence"]) == (agent.pk, "available")
    console.send({"type": "heartbeat"})
    assert console.until(lambda f: f["type"] == "heartbeat")["desk_seq"] == console.desk_seq

    # A citizen starts a chat: the distributor offers it to the only agent available.
    citizen = Citizen(start_session(server), sockets)
    offer = console.until(lambda f: f["type"] == "offer.new")
    public_id = offer["conversation"]
    assert offer["item"]["contact"]["name"] == "سعيد" and offer["expires_at"]
    citizen.connect(server)
    citizen.say("c1", "توجد حفرة أمام بيتي")
    console.until(lambda f: f["type"] == "message" and f["message"]["sender"] == "citizen")

    console.send({"type": "accept", "conversation": public_id})
    assigned = console.until(lambda f: f["type"] == "assignment.new")
    assert assigned["item"]["state"] == "assigned"
    console.send(
        {"type": "send", "conversation": public_id, "text": "أين بالضبط؟", "client_id": "r1"}
    )
    ack = console.until(lambda f: f["type"] == "ack")
    assert (ack["conversation"], ack["client_id"]) == (public_id, "r1")
    citizen.receive_until(lambda: ack["seq"] in citizen.seqs)
    assert citizen.texts[ack["seq"]] == "أين بالضبط؟"
    read_up_to = console.last_seq[public_id]
    console.send({"type": "read", "conversation": public_id, "seq": read_up_to})
    while citizen.receive()["type"] != "receipt":
        pass

    # The console drops; the citizen writes meanwhile; resume brings exactly what was missed.
    assert console.socket is not None
    console.socket.close()
    citizen.say("c2", "قرب دوار الوطية")
    citizen.receive_until(lambda: "c2" in citizen.acks)
    missed_seq = citizen.acks["c2"][0]
    console.connect()
    assert list(console.conversations) == [public_id]
    console.until(lambda f: f["type"] == "message" and f["message"]["seq"] == missed_seq)
    assert console.texts(public_id, "citizen") == ["توجد حفرة أمام بيتي", "قرب دوار الوطية"]
    assert console.texts(public_id, "agent") == ["أين بالضبط؟"]

    console.send({"type": "close", "conversation": public_id, "disposition": "answered"})
    ended = console.until(lambda f: f["type"] == "assignment.ended")
    assert (ended["conversation"], ended["reason"]) == (public_id, "agent_closed")
    assert console.conversations == {} and console.offers == {}


def test_a_user_who_may_not_serve_is_closed_with_4403(live_servers: Any) -> None:
    dispatcher = make_staff("dispatcher")
    (server,) = live_servers(1)
    session = sign_in(server, dispatcher.username, PASSWORD)
    with connect(
        f"{server.ws_url}/ws/agent/",
        origin=server.url,
        additional_headers={"Cookie": f"sessionid={session}"},
        open_timeout=10,
    ) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_a_foreign_origin_is_refused_at_the_handshake(live_servers: Any) -> None:
    agent = make_agent()
    (server,) = live_servers(1)
    session = sign_in(server, agent.username, PASSWORD)
    for origin in ("https://evil.example", None):
        with pytest.raises(InvalidStatus) as refused:
            connect(
                f"{server.ws_url}/ws/agent/",
                origin=origin,
                additional_headers={"Cookie": f"sessionid={session}"},
                open_timeout=10,
            )
        assert refused.value.response.status_code == 403
