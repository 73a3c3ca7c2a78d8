"""Writes for the citizen's web chat.

Citizen messages enter the core through ``conversation_receive`` only, so the
assistant and the live queue see web chat exactly as they see social media.
What is particular to the widget lives here: starting a session from the
pre-chat form, leaving a message out of hours, typing and read receipts, the
rating and the transcript. Ending the chat is the core's
(``helpdesk.services.distributor.conversation_end``), as for every channel.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat import selectors
from chat.mail import transcript_mail_send
from chat.session import ChatState
from helpdesk import events, ratelimit
from helpdesk.errors import DomainError, InvalidInput
from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.media import image_store
from helpdesk.models import (
    Attachment,
    Channel,
    Conversation,
    ConversationState,
    Message,
    SenderKind,
    Skill,
    Ticket,
)
from helpdesk.services.contacts import contact_create
from helpdesk.services.conversations import (
    ReceiveResult,
    conversation_greet,
    conversation_open,
    conversation_receive,
)
from helpdesk.services.distributor import conversation_end
from helpdesk.services.tickets import ticket_from_left_message
from helpdesk.services.uploads import upload_quota_check
from helpdesk.text import clean_text

MAX_NAME_LENGTH = 100
MAX_COMMENT_LENGTH = 1000
TRANSCRIPT_LIMIT = ratelimit.Limit("chat.transcript", 3, 3600)
TRANSCRIPT_PER_ADDRESS = ratelimit.Limit("chat.transcript.address", 5, 86400)
TRANSCRIPT_CODE_TRIES = ratelimit.Limit("chat.transcript.code", 5, 900)
CODE_SECONDS = 900


class ChatOffline(DomainError):
    """Nobody can take a live chat now: the widget offers to leave a message instead."""

    code = "chat_offline"


def _clean_email(email: str) -> str:
    email = email.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address."), code="invalid_email") from None
    return email


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
    email: str = "",
    live: bool = True,
) -> Conversation:
    """``live=False``: a message left out of hours, which no one waits on in the queue."""
    contact = contact_create(
        name=_clean_name(name),
        phone=phone.strip(),
        email=_clean_email(email),
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
        live=live,
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
    email: str = "",
) -> Conversation:
    """Open a conversation from the pre-chat form; ``ChatOffline`` when nobody is there.

    It starts with the assistant when the assistant serves web chat now (day and
    night), which greets at once; else with the live queue. ``public_id``: chosen
    by the socket that starts it, which listens for the conversation's events
    before it exists. ``start_id``: the client's id for this start; the same one
    again returns the conversation it opened. ``email``: optional; ticket updates
    and the transcript may go there.
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
    mode = selectors.chat_availability(desk=desk).mode
    if mode == "offline":
        raise ChatOffline(_("The live chat is not available right now. Leave us a message."))
    conversation = _open(
        name=name,
        phone=phone,
        email=email,
        language=language,
        desk=desk,
        meta={"mode": mode},
        public_id=public_id,
        thread_id=thread,
    )
    conversation_greet(conversation)
    return conversation


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
        conversation = _open(
            name=name,
            phone=phone,
            language=language,
            desk=desk,
            meta={"mode": "offline", "offline_client_id": client_msg_id},
            live=False,
        )
        received = chat_message_receive(
            chat=ChatState.of(conversation), client_msg_id=client_msg_id, text=text
        )
        ticket = ticket_from_left_message(conversation=conversation, text=received.message.text)
        conversation_end(
            conversation=conversation,
            by="system",
            reason="left_message",
            data={"reference": ticket.reference},
        )
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
                events.conversation_staff_group(conversation.public_id),
                "message.receipt",
                {"conversation": str(conversation.public_id), "seq": seq, "status": status},
            )
    return changed


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


def _code_key(conversation: Conversation, email: str) -> str:
    return f"chat.transcript.code:{conversation.public_id}:{email.casefold()}"


def chat_transcript_send(*, conversation: Conversation, email: str = "", code: str = "") -> str:
    """E-mail the citizen what they saw of the conversation; ``"sent"`` or ``"code_sent"``.

    Only to an address the citizen gave in the pre-chat form (``email`` empty or
    the same) or confirmed: another address first receives a six-digit code, with
    no text of the citizen's, and the transcript goes once the code comes back.
    Limited per conversation (``TRANSCRIPT_LIMIT``, codes included) and per address
    (``TRANSCRIPT_PER_ADDRESS``), so the municipality's sender carries nobody's text
    to strangers.
    """
    email = email.strip() or conversation.contact.email
    if not email:
        raise InvalidInput(_("Enter your e-mail address."), code="missing_email")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address."), code="invalid_email") from None
    given = conversation.contact.email
    confirmed = bool(given) and email.casefold() == given.casefold()
    if not confirmed and code:
        if not ratelimit.hit(TRANSCRIPT_CODE_TRIES, str(conversation.public_id)):
            raise InvalidInput(_("Too many wrong codes. Try again later."), code="rate_limited")
        expected = cache.get(_code_key(conversation, email))
        if not expected or not secrets.compare_digest(str(expected), code.strip()):
            raise InvalidInput(
                _("This code is not right. Check the e-mail we sent you and try again."),
                code="wrong_code",
            )
        cache.delete(_code_key(conversation, email))
        confirmed = True
    if not ratelimit.hit(TRANSCRIPT_LIMIT, str(conversation.public_id)) or not ratelimit.hit(
        TRANSCRIPT_PER_ADDRESS, email.casefold()
    ):
        raise InvalidInput(
            _("The transcript was sent several times already. Try again later."),
            code="rate_limited",
        )
    with translation.override(conversation.language):
        if not confirmed:
            new_code = f"{secrets.randbelow(10**6):06d}"
            cache.set(_code_key(conversation, email), new_code, CODE_SECONDS)
            subject = _("Your confirmation code for the chat transcript")
            body = _(
                "Your code is %(code)s. Enter it in the chat window of Muscat Municipality's "
                "contact center 1111 to receive the transcript at this address. If you did "
                "not ask for it, ignore this message."
            ) % {"code": new_code}
            transcript_mail_send(to=email, subject=subject, body=body)
            return "code_sent"
        body = selectors.conversation_transcript(conversation)
        subject = _("Your chat with the contact center 1111")
    transcript_mail_send(to=email, subject=subject, body=body)
    return "sent"
