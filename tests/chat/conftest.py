"""Fixtures for the citizen's chat: an open center with someone on duty, and a session."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from chat import services
from chat.session import session_token
from helpdesk.models import Conversation, OrganisationSettings, Presence
from tests.support.factories import make_org, make_staff


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # Rate-limit counters live in the cache; each test starts with a full allowance.
    cache.clear()


def open_around_the_clock(*, fallback: Any = None) -> OrganisationSettings:
    org = OrganisationSettings.load()
    org.working_days = list(range(7))
    org.chat_opens = datetime.time(0, 0)
    org.chat_closes = datetime.time(23, 59, 59, 999999)
    org.fallback_category = fallback
    org.save()
    return org


def keep_conversations_waiting() -> None:
    """Every line busy: the distributor leaves new conversations waiting in the
    queue, so a transcript holds only what the test writes (no "offered" event)."""
    OrganisationSettings.objects.update(max_lines=0)


def agent_on_duty(**kwargs: Any) -> Any:
    kwargs.setdefault("display_name", "Aisha")
    agent = make_staff("agent", **kwargs)
    agent.profile.presence = Presence.AVAILABLE
    agent.profile.save()
    return agent


@pytest.fixture
def open_center() -> Any:
    """The demo organisation, open around the clock with an agent on duty."""
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    agent_on_duty()
    return org


@dataclass
class Chat:
    conversation: Conversation
    token: str
    agent: Any


@pytest.fixture
def live_chat(transactional_db: None) -> Chat:
    """A conversation started from the pre-chat form while an agent is on duty."""
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    keep_conversations_waiting()
    agent = agent_on_duty()
    conversation = services.chat_start(name="Said", phone="9123 4567", language="ar")
    return Chat(conversation=conversation, token=session_token(conversation), agent=agent)


@pytest.fixture
def sockets() -> Iterator[ExitStack]:
    """Real WebSocket clients (``websockets.sync``) opened in a test, all closed at its end."""
    with ExitStack() as stack:
        yield stack
