"""Writes for the citizen's web chat.

Citizen messages enter the core through ``conversation_receive`` only, so the
assistant and the live queue see web chat exactly as they see social media.
What is particular to the widget lives here: starting a session from the
pre-chat form, leaving a message out of hours, typing and read receipts,
ending the chat, the rating and the transcript.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat import selectors
from chat.mail import transcript_mail_send
from chat.session import ChatState
from helpdesk import acd, events, ratelimit
from helpdesk.errors import DomainError, InvalidInput
from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.media import image_store
from helpdesk.models import (
    Attachment,
    Channel,
    Conversation,
    ConversationState,
    Message,
    OrganisationSettings,
    SenderKind,
    Skill,
    Ticket,
)
from helpdesk.roles import SYSTEM
from helpdesk.services.contacts import contact_create
from helpdesk.services.conversations import (
    ReceiveResult,
    citizen_group,
    conversation_open,
    conversation_receive,
    staff_group,
    system_event_record,
)
from helpdesk.services.distributor import desk_event
from helpdesk.services.tickets import ticket_create
from helpdesk.services.uploads import upload_quota_check
from helpdesk.text import clean_text

MAX_NAME_LENGTH = 100
MAX_COMMENT_LENGTH = 1000
TRANSCRIPT_LIMIT = ratelimit.Limit("chat.transcript", 3, 3600)


class ChatOffline(DomainError):
    """Nobody can take a live chat now: the widget offers to leave a message instead."""

    code = "chat_offline"


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Tell us your name."), code="missing_name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(_("The name is too long."), code="invalid_name")
    return name


def _open(
    *,
    name: str,
    phone: str,
    language: str,
    desk: str,
    meta: dict[str, Any],
    public_id: str | None = None,
    thread_id: str = "",
) -> Conversation:
    contact = contact_create(
        name=_clean_name(name),
        phone=phone.strip(),
        language=language,
        preferred_channel="sms" if phone.strip() else "conversation",
    )
    skill = Skill.objects.filter(code=desk).first() if desk else None
    return conversation_open(
        channel=Channel.WEBCHAT,
        contact=contact,
        thread_id=thread_id,
        language=language,
        meta={"desk": desk, **meta},
        required_skill=skill,
        public_id=public_id,
    )


@transaction.atomic
def chat_start(
    *,
    name: str,
    phone: str = "",
    language: str = "ar",
    desk: str = "",
    public_id: str | None = None,
    start_id: str = "",
) -> Conversation:
    """Open a live conversation from the pre-chat form; ``ChatOffline`` when nobody is there.

    ``public_id``: chosen by the socket that starts it, which listens for the
    conversation's events before it exists. ``start_id``: the client's id for
    this start; the same one again returns the conversation it opened.
    """
    thread = f"start:{start_id}" if start_id else ""
    if thread:
        earlier = (
            Conversation.objects.select_related("contact")
            .filter(channel=Channel.WEBCHAT, external_thread_id=thread)
            .first()
        )
        if earlier is not None:
            return earlier
    if selectors.chat_availability(desk=desk).mode != "live":
        raise ChatOffline(_("The live chat is not available right now. Leave us a message."))
    return _open(
        name=name,
        phone=phone,
        language=language,
        desk=desk,
        meta={"mode": "live"},
        public_id=public_id,
        thread_id=thread,
    )


def chat_leave_message(
    *,
    name: str,
    phone: str = "",
    language: str = "ar",
    desk: str = "",
    text: str,
    client_msg_id: str,
) -> Ticket:
    """Out of hours: the message is stored as a conversation and becomes a ticket.

    The ticket is opened but not registered: tier 1 reviews, classifies and
    registers it when the center opens. Sending the same ``client_msg_id`` again
    returns the same ticket.
    """
    with transaction.atomic():
        earlier = Ticket.objects.filter(
            channel=Channel.WEBCHAT, conversation__meta__offline_client_id=client_msg_id
        ).first()
        if earlier is not None:
            return earlier
        category = OrganisationSettings.load().fallback_category
        if category is None:
            raise InvalidInput(
                _("Messages cannot be left right now. Please call 1111."), code="no_fallback"
            )
        conversation = _open(
            name=name,
            phone=phone,
            language=language,
            desk=desk,
            meta={"mode": "offline", "offline_client_id": client_msg_id},
        )
        received = chat_message_receive(
            chat=ChatState.of(conversation), client_msg_id=client_msg_id, text=text
        )
        ticket = ticket_create(
            actor=SYSTEM,
            register=False,
            channel=Channel.WEBCHAT,
            contact=conversation.contact,
            conversation=conversation,
            category=category,
            subject=received.message.text.split("\n", 1)[0][:120],
            description=received.message.text,
        )
        _close(conversation, reason="left_message", data={"reference": ticket.reference})
    return ticket


def chat_message_receive(
    *,
    chat: ChatState,
    client_msg_id: str,
    text: str = "",
    attachment_ids: tuple[str, ...] = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> ReceiveResult:
    """A citizen's message from the widget, stored once however often the frame is re-sent."""
    return conversation_receive(
        InboundMessage(
            channel=Channel.WEBCHAT,
            external_id=f"{chat.public_id}:{client_msg_id}",
            sender=SenderIdentity(display_name=chat.contact_name),
            text=text,
            conversation_public_id=chat.public_id,
            contact_id=chat.contact_id,
            attachment_ids=attachment_ids,
            latitude=latitude,
            longitude=longitude,
        )
    )


def chat_image_upload(*, conversation: Conversation, data: bytes, filename: str) -> Attachment:
    """Store an image for a later ``message`` frame to reference by its id."""
    if conversation.state == ConversationState.CLOSED:
        raise InvalidInput(_("This conversation is closed."), code="conversation_closed")
    upload_quota_check(conversation=conversation)
    return image_store(data, filename=filename, purpose="evidence", conversation=conversation)


async def chat_typing(*, public_id: str, active: bool) -> None:
    """Tell the agents the citizen is (or stopped) typing; nothing is stored."""
    await events.send_now(
        events.conversation_staff_group(public_id),
        "typing",
        {"conversation": public_id, "sender_kind": "citizen", "active": active},
    )


def chat_receipt(*, conversation: Conversation, seq: int, status: str) -> int:
    """Mark the staff messages up to ``seq`` delivered (or read); returns how many changed."""
    now = timezone.now()
    with transaction.atomic():
        staff_messages = Message.objects.filter(
            conversation=conversation,
            seq__lte=seq,
            is_internal=False,
            sender_kind__in=[SenderKind.AGENT, SenderKind.BOT],
        )
        changed = staff_messages.filter(delivered_at__isnull=True).update(delivered_at=now)
        if status == "read":
            changed += staff_messages.filter(read_at__isnull=True).update(read_at=now)
        if changed:
            events.publish(
                staff_group(conversation),
                "message.receipt",
                {"conversation": str(conversation.public_id), "seq": seq, "status": status},
            )
    return changed


def _close(conversation: Conversation, *, reason: str, data: dict[str, Any] | None = None) -> None:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.state == ConversationState.CLOSED:
        return
    locked.state = ConversationState.CLOSED
    locked.closed_at = timezone.now()
    locked.disposition = locked.disposition or reason
    locked.save(update_fields=["state", "closed_at", "disposition"])
    system_event_record(locked, event="closed", data={"reason": reason, **(data or {})})
    state = {"conversation": str(locked.public_id), "state": locked.state}
    events.publish(citizen_group(locked), "conversation.state", state)
    events.publish(staff_group(locked), "conversation.state", state)
    acd.kick("closed")
    if locked.assignee_id is not None:
        desk_event(
            locked.assignee_id,
            "assignment.ended",
            {"conversation": str(locked.public_id), "reason": reason},
        )
    conversation.state, conversation.closed_at = locked.state, locked.closed_at


@transaction.atomic
def chat_end(*, conversation: Conversation) -> None:
    """The citizen ended the chat."""
    _close(conversation, reason="citizen_ended")


def chat_rate(*, conversation: Conversation, rating: int, comment: str = "") -> None:
    """The citizen's 1–5 satisfaction rating, once the chat has ended (a later one replaces it)."""
    if not 1 <= rating <= 5:
        raise InvalidInput(_("Choose a rating from 1 to 5."), code="invalid_rating")
    comment = clean_text(comment)
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InvalidInput(_("The comment is too long."), code="too_long")
    rated = Conversation.objects.filter(pk=conversation.pk, state=ConversationState.CLOSED).update(
        rating=rating, rating_comment=comment
    )
    if not rated:
        raise InvalidInput(_("You can rate the chat once it has ended."), code="not_closed")


def chat_transcript_send(*, conversation: Conversation, email: str) -> None:
    """E-mail the citizen what they saw of the conversation."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address."), code="invalid_email") from None
    if not ratelimit.hit(TRANSCRIPT_LIMIT, str(conversation.public_id)):
        raise InvalidInput(
            _("The transcript was sent several times already. Try again later."),
            code="rate_limited",
        )
    with translation.override(conversation.language):
        body = selectors.conversation_transcript(conversation)
        subject = _("Your chat with the contact center 1111")
    transcript_mail_send(to=email, subject=subject, body=body)
