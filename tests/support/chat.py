"""The web chat's set-up for tests: a center open around the clock, an agent on duty."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from helpdesk.models import Conversation, OrganisationSettings, Presence
from tests.support.factories import make_org, make_staff


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


@dataclass
class LiveChat:
    """A web chat opened from the pre-chat form, its token, and the agent on duty."""

    conversation: Conversation
    token: str
    agent: Any


@pytest.fixture
def open_center() -> Any:
    """The demo organisation, open around the clock with an agent on duty."""
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    agent_on_duty()
    return org
