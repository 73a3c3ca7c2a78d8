"""Scripted conversations with the assistant through the real inbound path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from bots.services import channel_settings_ensure, knowledge_seed_load
from helpdesk.models import Contact, OrganisationSettings
from tests.support.assistant import AssistantChat, next_sender_id
from tests.support.factories import Org


@pytest.fixture
def assistant(org: Org) -> Iterator[Org]:
    """The demo knowledge base, the assistant on for its channels, live chat open always."""
    knowledge_seed_load()
    channel_settings_ensure()
    settings = OrganisationSettings.load()
    settings.chat_opens, settings.chat_closes = "00:00", "23:59:59"
    settings.working_days = [0, 1, 2, 3, 4, 5, 6]
    settings.save()
    cache.clear()  # rate-limit counters live in the cache
    yield org
    cache.clear()


@pytest.fixture
def webchat(
    assistant: Org, django_capture_on_commit_callbacks: Callable[..., Any]
) -> Callable[..., AssistantChat]:
    def start(*, phone: str = "+96891234567", language: str = "ar") -> AssistantChat:
        contact = Contact.objects.create(name="Said", phone=phone, language=language)
        return AssistantChat("webchat", django_capture_on_commit_callbacks, contact=contact)

    return start


@pytest.fixture
def facebook(
    assistant: Org, django_capture_on_commit_callbacks: Callable[..., Any]
) -> Callable[..., AssistantChat]:
    def start(*, language: str = "en") -> AssistantChat:
        return AssistantChat(
            "facebook",
            django_capture_on_commit_callbacks,
            sender_id=f"psid-{next_sender_id()}",
            language=language,
        )

    return start
