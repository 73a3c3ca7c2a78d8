"""Scripted conversations with the assistant through the real inbound path."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image

from bots.services import channel_settings_ensure, knowledge_seed_load
from helpdesk.inbound import InboundAttachment, InboundMessage, SenderIdentity
from helpdesk.models import Contact, Conversation, Message, OrganisationSettings
from helpdesk.services.conversations import conversation_receive
from tests.support.factories import Org

_ids = itertools.count(1)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="PNG")
    return out.getvalue()


@dataclass
class Chat:
    """One citizen talking to the assistant on one channel."""

    channel: str
    capture: Any
    contact: Contact | None = None
    sender_id: str = ""
    language: str = ""

    def send(
        self,
        text: str = "",
        *,
        latitude: str | None = None,
        longitude: str | None = None,
        photo: bool = False,
    ) -> Message:
        inbound = InboundMessage(
            channel=self.channel,
            external_id=f"{self.channel}-msg-{next(_ids)}",
            sender=SenderIdentity(
                external_id=self.sender_id, display_name="Citizen", language=self.language
            ),
            text=text,
            thread_id=self.sender_id,
            contact_id=self.contact.pk if self.contact else None,
            attachments=(
                (InboundAttachment(png_bytes(), "image/png", "pothole.png"),) if photo else ()
            ),
            latitude=Decimal(latitude) if latitude else None,
            longitude=Decimal(longitude) if longitude else None,
        )
        with self.capture(execute=True):
            result = conversation_receive(inbound)
        return result.message

    @property
    def conversation(self) -> Conversation:
        query = Conversation.objects.filter(channel=self.channel)
        if self.contact is not None:
            query = query.filter(contact=self.contact)
        else:
            query = query.filter(external_thread_id=self.sender_id)
        return query.get()

    def replies(self) -> list[str]:
        return list(
            self.conversation.messages.filter(sender_kind="bot", is_internal=False).values_list(
                "text", flat=True
            )
        )

    @property
    def last(self) -> str:
        return self.replies()[-1]

    def quick_replies(self) -> list[str]:
        """The labels of the buttons under the assistant's last message."""
        last = self.conversation.messages.filter(sender_kind="bot", is_internal=False).last()
        assert last is not None
        return [choice["label"] for choice in last.data.get("quick_replies", [])]

    def notes(self) -> list[str]:
        return list(
            self.conversation.messages.filter(is_internal=True).values_list("text", flat=True)
        )


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
) -> Callable[..., Chat]:
    def start(*, phone: str = "+96891234567", language: str = "ar") -> Chat:
        contact = Contact.objects.create(name="Said", phone=phone, language=language)
        return Chat("webchat", django_capture_on_commit_callbacks, contact=contact)

    return start


@pytest.fixture
def facebook(
    assistant: Org, django_capture_on_commit_callbacks: Callable[..., Any]
) -> Callable[..., Chat]:
    def start(*, language: str = "en") -> Chat:
        return Chat(
            "facebook",
            django_capture_on_commit_callbacks,
            sender_id=f"psid-{next(_ids)}",
            language=language,
        )

    return start
