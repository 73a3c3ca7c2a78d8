"""Fixtures for the citizen's chat: an open center with someone on duty, and a session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from chat import services
from chat.session import session_token
from tests.support.chat import (
    LiveChat,
    agent_on_duty,
    keep_conversations_waiting,
    open_around_the_clock,
)
from tests.support.factories import make_org


@pytest.fixture
def live_chat(transactional_db: None) -> LiveChat:
    """A conversation started from the pre-chat form while an agent is on duty."""
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    keep_conversations_waiting()
    agent = agent_on_duty()
    conversation = services.chat_start(name="Said", phone="9123 4567", language="ar")
    return LiveChat(conversation=conversation, token=session_token(conversation), agent=agent)


@pytest.fixture
def sockets() -> Iterator[ExitStack]:
    """Real WebSocket clients (``websockets.sync``) opened in a test, all closed at its end."""
    with ExitStack() as stack:
        yield stack
