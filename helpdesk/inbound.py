"""The one normalized shape every channel turns its payload into."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class InboundAttachment:
    content: bytes
    content_type: str
    filename: str = ""
    external_url: str = ""


@dataclass(frozen=True)
class SenderIdentity:
    """Who wrote, as the channel knows them."""

    external_id: str = ""
    handle: str = ""
    display_name: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    external_id: str
    sender: SenderIdentity
    text: str = ""
    # The platform's thread (X conversation_id, Messenger PSID, post id): one open
    # conversation per thread.
    thread_id: str = ""
    # Web chat already knows its conversation and contact.
    conversation_public_id: str = ""
    contact_id: int | None = None
    attachments: tuple[InboundAttachment, ...] = ()
    attachment_ids: tuple[str, ...] = ()  # uploads already stored (web chat)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sent_at: datetime.datetime | None = None
    meta: dict[str, object] = field(default_factory=dict)
