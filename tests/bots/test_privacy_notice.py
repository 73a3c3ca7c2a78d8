"""The assistant's first message says what is recorded, why, for how long, and links the notice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpdesk.models import DataClass, RetentionPeriod
from tests.support.assistant import AssistantChat

NewChat = Callable[..., AssistantChat]


def test_the_first_message_in_english_carries_the_notice(webchat: NewChat, settings: Any) -> None:
    settings.NIDAA_PUBLIC_URL = "https://nidaa.example.om"
    RetentionPeriod.objects.update_or_create(
        data_class=DataClass.CHAT_TEXTS, defaults={"days": 400}
    )
    chat = webchat(language="en")
    chat.send("hello")
    first = chat.replies()[0]
    assert "We record this conversation" in first
    assert "kept for 400 days" in first
    assert "https://nidaa.example.om/privacy/" in first


def test_the_first_message_in_arabic_carries_the_notice(webchat: NewChat) -> None:
    chat = webchat()
    chat.send("السلام عليكم")
    first = chat.replies()[0]
    assert "نسجّل هذه المحادثة" in first
    assert "730" in first and "/privacy/" in first
