"""The distributor's engine: woken by commits, one leader per database, failover."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from helpdesk import acd
from helpdesk.models import Conversation, ConversationState
from helpdesk.services.conversations import conversation_open
from tests.support.chat import agent_on_duty, open_around_the_clock
from tests.support.factories import make_contact, make_org
from tests.support.live import LiveServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


async def _eventually(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = await sync_to_async(check)() if not asyncio.iscoroutinefunction(check) else None
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {check}")


def _open_waiting() -> str:
    conversation = conversation_open(channel="webchat", contact=make_contact(name="Said"))
    return str(conversation.public_id)


def _state(public_id: str) -> str:
    return str(Conversation.objects.get(public_id=public_id).state)


def _setting_up() -> None:
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    agent_on_duty()


async def test_the_engine_offers_what_a_commit_queued_without_the_request_distributing(
    settings: Any,
) -> None:
    settings.NIDAA_ACD_ENGINE = True
    await sync_to_async(_setting_up)()
    engine = acd.engine_start()
    assert engine is not None
    try:
        await _eventually(lambda: engine.is_leader and engine.passes > 0)
        await asyncio.sleep(0.2)  # the catch-up pass after taking the lead is over
        passes = engine.passes
        public_id = await sync_to_async(_open_waiting)()
        await _eventually(lambda: _state(public_id) == ConversationState.OFFERED)
        # The pass's commit can be seen (from another thread) a moment before the engine,
        # back on its loop, counts the pass: wait for the count rather than race it.
        await _eventually(lambda: engine.passes > passes, seconds=2.0)
    finally:
        await engine.aclose()
        acd.engine_stop()


async def test_only_one_engine_leads_and_another_takes_over_when_it_stops() -> None:
    loop = asyncio.get_running_loop()
    first, second = acd.Engine(loop), acd.Engine(loop)
    first.start()
    try:
        await _eventually(lambda: first.is_leader)
        second.start()
        await asyncio.sleep(acd.LEADER_RETRY_SECONDS + 0.5)
        assert not second.is_leader
        await first.aclose()  # its connection closes: the advisory lock frees
        await _eventually(lambda: second.is_leader, seconds=acd.LEADER_RETRY_SECONDS * 3)
    finally:
        await first.aclose()
        await second.aclose()


def _start_chat(server: LiveServer) -> str:
    request = urllib.request.Request(
        f"{server.url}/chat/api/session",
        data=json.dumps({"name": "سعيد", "language": "ar"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["conversation"])


def test_distribution_survives_the_death_of_either_web_process(live_servers: Any) -> None:
    _setting_up()
    first, second = live_servers(2)
    public_id = _start_chat(first)
    _wait_for_offer(public_id)
    # Whichever process led, the other one distributes once it is gone.
    first.kill()
    agent_on_duty(username="salim", display_name="Salim")
    public_id = _start_chat(second)
    _wait_for_offer(public_id)


def _wait_for_offer(public_id: str, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _state(public_id) in (ConversationState.OFFERED, ConversationState.ASSIGNED):
            return
        time.sleep(0.05)
    raise AssertionError(f"{public_id} was never offered (state {_state(public_id)})")


def _counted(function: Callable[..., Any], **kwargs: Any) -> tuple[int, Any, list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helpdesk import events

    with CaptureQueriesContext(connection) as queries:
        result, sent = events.collecting(function, **kwargs)
    return len(queries), result, sent


async def test_a_new_citizen_costs_a_handful_of_queries_and_no_fan_out(settings: Any) -> None:
    from chat.consumers import _start
    from chat.session import chat_state_for_session, session_from_token
    from helpdesk import events

    settings.NIDAA_ACD_ENGINE = True
    await sync_to_async(_setting_up)()
    engine = acd.engine_start()
    assert engine is not None
    try:
        queries, (token, chat), sent = await sync_to_async(_counted)(
            _start, name="Said", phone="", language="ar", desk=""
        )
        # The form's checks (hours, someone on duty), the contact, the conversation,
        # its first transcript line and the NOTIFY to the distributor.
        assert queries <= 12
        # Nothing went to every console: the engine tells them once per pass.
        assert {group for group, _message in sent} <= {
            events.conversation_group(chat.public_id),
            events.conversation_staff_group(chat.public_id),
        }
        session = session_from_token(token)
        queries, _state, _sent = await sync_to_async(_counted)(
            chat_state_for_session, session=session
        )
        assert queries == 1  # a returning citizen: one read
    finally:
        await engine.aclose()
        acd.engine_stop()
