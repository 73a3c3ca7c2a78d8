"""The agent console, as the load generator plays it: ``/ws/agent/`` after a real sign-in.

Chat and burst agents sign in through ``/accounts/login/`` (CSRF cookie and form
token, then the session cookie); the idle scenario's many consoles use sessions
the seed signed in (see ``bench/seed.py``). The socket is opened with the
session cookie and an allowed ``Origin``; the console sends ``resume`` with the
last seq per conversation it holds, reads the ``snapshot``, says it is
``available``, accepts offers, answers with ``send`` and reads ``message``
frames, exactly as ``static/console/console.js`` does.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import urllib.parse
from typing import Any

from bench.clients import CONNECT_TIMEOUT, Endpoint, http_call, open_socket
from bench.nidaa import NidaaKind, parse_chat_text
from bench.stats import now_ns

_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


async def sign_in(*, http: str, source_ip: str, username: str, password: str) -> str:
    """The login form, as a browser fills it; returns the session cookie's value."""
    page = await http_call("GET", f"{http}/accounts/login/", source_ip=source_ip)
    csrf_cookie = page.cookies().get("csrftoken", "")
    found = _CSRF_FIELD.search(page.body)
    if page.status != 200 or not csrf_cookie or found is None:
        raise RuntimeError(f"login page: HTTP {page.status}")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": found.group(1).decode(), "username": username, "password": password}
    ).encode()
    answer = await http_call(
        "POST",
        f"{http}/accounts/login/",
        source_ip=source_ip,
        body=form,
        content_type="application/x-www-form-urlencoded",
        headers={"Cookie": f"csrftoken={csrf_cookie}", "Referer": f"{http}/accounts/login/"},
    )
    session = answer.cookies().get("sessionid")
    if answer.status != 302 or not session:
        raise RuntimeError(f"login refused: HTTP {answer.status}")
    return session


class NidaaAgent(Endpoint):
    role = "agent"

    def __init__(self, *, kind: NidaaKind, http: str, url: str, index: int) -> None:
        worker = kind.worker
        super().__init__(url=url, source_ip=worker.source_ip("agent", index), sink=worker.on_chat)
        self.kind = kind
        self.worker = worker
        self.http = http
        self.origin = kind.options["origin"]
        self.index = index
        self.session = ""
        self.last_seq: dict[str, int] = {}  # conversation -> highest seq shown
        self.replayed = 0
        self.errors: dict[str, int] = {}
        self.snapshot: asyncio.Future[None] | None = None
        self.accept_offers = True
        self.offers: dict[str, int] = {}  # conversation -> when its offer arrived (ns)
        self.assignments: dict[str, int] = {}
        self.tickets: dict[str, asyncio.Future[str]] = {}
        self.client_ids = itertools.count(1)
        self.pending_acks: dict[str, int] = {}
        self.resyncs = 0  # the server said this console missed events and sent a snapshot

    async def start(self, *, session: str | None) -> None:
        username = self.kind.options["usernames"][self.global_index]
        self.session = session or await sign_in(
            http=self.http,
            source_ip=self.source_ip,
            username=username,
            password=self.kind.options["password"],
        )
        await self.connect(presence="available")

    @property
    def global_index(self) -> int:
        # agents of every worker take distinct accounts: worker 0 the first block, …
        return self.worker.index * self.kind.options["agents_per_worker"] + self.index

    async def connect(self, presence: str = "") -> None:
        self.ws = await open_socket(
            self.url,
            source_ip=self.source_ip,
            origin=self.origin,
            headers={"Cookie": f"sessionid={self.session}"},
        )
        self.snapshot = asyncio.get_running_loop().create_future()
        self.reader = asyncio.create_task(self._read(self.ws))
        if presence:
            # frames are handled in order: by the snapshot, the agent is available
            await self.send_json({"type": "presence", "presence": presence})
        await self.send_json({"type": "resume", "conversations": dict(self.last_seq)})
        await asyncio.wait_for(self.snapshot, CONNECT_TIMEOUT)

    async def resume(self) -> None:
        self.snapshot = asyncio.get_running_loop().create_future()
        await self.send_json({"type": "resume", "conversations": dict(self.last_seq)})
        await asyncio.wait_for(self.snapshot, CONNECT_TIMEOUT)

    def _take(self, conversation: str) -> None:
        self.last_seq.setdefault(conversation, 0)
        self.worker.add_conversation(conversation, agent=self)

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "message":
            conversation = frame["conversation"]
            message = frame["message"]
            if message["seq"] <= self.last_seq.get(conversation, 0):
                self.replayed += 1
                return
            self.last_seq[conversation] = message["seq"]
            if message["sender"] == "citizen":
                parsed = parse_chat_text(message.get("text", ""))
                if parsed is not None:
                    self.sink(*parsed)
        elif kind == "offer.new":
            conversation = frame["conversation"]
            self.offers.setdefault(conversation, now_ns())
            if self.accept_offers:
                asyncio.get_running_loop().create_task(
                    self.send_json({"type": "accept", "conversation": conversation})
                )
        elif kind == "assignment.new":
            conversation = frame["conversation"]
            self.assignments.setdefault(conversation, now_ns())
            self._take(conversation)
        elif kind == "resync":
            self.resyncs += 1
        elif kind == "snapshot":
            for item in frame.get("conversations", []):
                self._take(item["id"])
            if self.snapshot is not None and not self.snapshot.done():
                self.snapshot.set_result(None)
        elif kind == "ack":
            sent = self.pending_acks.pop(frame["client_id"], None)
            if sent is not None:
                self.worker.ack_latency.record_ns(now_ns() - sent)
        elif kind == "ticket_created":
            future = self.tickets.pop(frame["conversation"], None)
            if future is not None and not future.done():
                future.set_result(frame["reference"])
        elif kind == "error":
            code = str(frame.get("code"))
            self.errors[code] = self.errors.get(code, 0) + 1
            if frame.get("frame") == "send":
                self.worker.refused[code] = self.worker.refused.get(code, 0) + 1
            if frame.get("frame") == "ticket_create":
                for future in self.tickets.values():
                    if not future.done():
                        future.set_exception(RuntimeError(code))
                        break

    async def send_chat(self, conversation: str, stream: str, seq: int, sent_at_ns: int) -> None:
        from bench.nidaa import chat_text

        client_id = f"b{next(self.client_ids)}"
        self.pending_acks[client_id] = now_ns()
        await self.send_json(
            {
                "type": "send",
                "conversation": conversation,
                "text": chat_text(stream, seq, sent_at_ns),
                "client_id": client_id,
            }
        )

    async def ticket(self, conversation: str, fields: dict[str, Any]) -> str:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.tickets[conversation] = future
        await self.send_json(
            {"type": "ticket_create", "conversation": conversation, "ticket": fields}
        )
        return await asyncio.wait_for(future, CONNECT_TIMEOUT)


async def open_agent(kind: NidaaKind, index: int) -> Endpoint:
    http = kind.options["http"][index % len(kind.options["http"])]
    agent = NidaaAgent(
        kind=kind, http=http, url=http.replace("http://", "ws://") + "/ws/agent/", index=index
    )
    sessions = kind.options["sessions"]
    use_form = kind.options.get("sign_in_form", False)
    await agent.start(session=None if use_form else sessions[agent.global_index])
    return agent


async def pair(kind: NidaaKind, per_agent: int) -> int:
    """Wait until every local citizen's conversation is assigned; returns how many."""
    from bench.nidaa import NidaaCitizen

    citizens = [c for c in kind.worker.citizens if isinstance(c, NidaaCitizen)]
    await asyncio.wait_for(
        asyncio.gather(*(c.assigned.wait() for c in citizens)), CONNECT_TIMEOUT * 2
    )
    for citizen in citizens:
        kind.worker.add_conversation(citizen.conversation, citizen=citizen)
    return len(citizens)
