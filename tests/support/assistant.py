"""A citizen talking to the assistant through the real inbound path, one channel at a time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from helpdesk.inbound import InboundAttachment, InboundMessage, SenderIdentity
from helpdesk.models import Contact, Conversation, Message
from helpdesk.services.conversations import conversation_receive
from tests.support.images import png_bytes

_ids = itertools.count(1)


def next_sender_id() -> int:
    """A number no other citizen of this test run has."""
    return next(_ids)


@dataclass
class AssistantChat:
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
                (InboundAttachment(png_bytes(color="orange"), "image/png", "pothole.png"),)
                if photo
                else ()
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
