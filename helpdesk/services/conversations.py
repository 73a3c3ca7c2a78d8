"""Conversations and their messages: the idempotent store every channel feeds."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import acd, adapters, events
from helpdesk.counters import counter_take
from helpdesk.errors import InvalidInput, NotFound
from helpdesk.inbound import InboundMessage
from helpdesk.media import file_store
from helpdesk.models import (
    Attachment,
    Contact,
    Conversation,
    ConversationState,
    Message,
    SenderKind,
    Skill,
)
from helpdesk.models.conversations import OPEN_CONVERSATION_STATES
from helpdesk.payloads import citizen_view, message_payload
from helpdesk.services.contacts import contact_for_identity
from helpdesk.text import MAX_MESSAGE_LENGTH, clean_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReceiveResult:
    message: Message
    conversation: Conversation
    created: bool


def _validated_text(text: str) -> str:
    text = clean_text(text)
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(
            _("The message is too long (at most %(n)d characters).") % {"n": MAX_MESSAGE_LENGTH},
            code="too_long",
        )
    return text


def _take_seq(conversation_id: int) -> tuple[int, str]:
    """The conversation's next sequence number and its state, in one statement."""
    taken = counter_take(Conversation, "last_seq", key="id", value=conversation_id, also=["state"])
    if taken is None:
        raise NotFound(_("This conversation does not exist."), code="unknown_conversation")
    return int(taken[0]), str(taken[1])


def message_append(
    *,
    conversation_id: int,
    sender_kind: str,
    channel: str,
    text: str = "",
    user: Any = None,
    external_id: str | None = None,
    is_internal: bool = False,
    event: str = "",
    data: dict[str, Any] | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    conversation: Conversation | None = None,
) -> Message:
    """Store one message with the next sequence number of its conversation.

    Pass the ``conversation`` when the caller has it: its ``last_seq`` and
    ``state`` are brought up to date and no further read is needed.
    """
    # No savepoint of its own: a failure here fails the caller's block, which is
    # what every caller wants (a repeat is caught around that block).
    with transaction.atomic(savepoint=False):
        seq, state = _take_seq(conversation_id)
        if conversation is None:
            conversation = Conversation.objects.get(pk=conversation_id)
        conversation.last_seq, conversation.state = seq, state
        message = Message.objects.create(
            conversation=conversation,
            seq=seq,
            sender_kind=sender_kind,
            sender_user=user,
            text=text,
            channel=channel,
            external_id=external_id,
            is_internal=is_internal,
            event=event,
            data=data or {},
            latitude=latitude,
            longitude=longitude,
        )
        return message


def message_publish(message: Message, *, attachments: list[Attachment] | None = None) -> None:
    """Tell the clients of a conversation about a stored message (after commit).

    ``attachments``: the message's attachments when the caller knows them (a new
    message), so that the payload costs no query.
    """
    conversation = message.conversation
    staff = message_payload(message, for_staff=True, attachments=attachments)
    events.publish(
        events.conversation_staff_group(conversation.public_id),
        "message.new",
        {"conversation": str(conversation.public_id), "message": staff},
    )
    if not message.is_internal:
        events.publish(
            events.conversation_group(conversation.public_id),
            "message.new",
            {"conversation": str(conversation.public_id), "message": citizen_view(staff)},
        )


def system_event_record(
    conversation: Conversation,
    *,
    event: str,
    data: dict[str, Any] | None = None,
    text: str = "",
    external_id: str | None = None,
) -> Message:
    """Record a system event (queued, offered, assigned …) in the transcript.

    ``text`` and ``external_id``: words the citizen reads, stored once per id
    (:func:`notice_post`).
    """
    message = message_append(
        conversation_id=conversation.pk,
        conversation=conversation,
        sender_kind=SenderKind.SYSTEM,
        channel=conversation.channel,
        text=text,
        external_id=external_id,
        event=event,
        data=data,
    )
    message_publish(message, attachments=[])
    return message


def conversation_open(
    *,
    channel: str,
    contact: Contact,
    thread_id: str = "",
    language: str = "ar",
    subject: str = "",
    meta: dict[str, Any] | None = None,
    required_skill: Skill | None = None,
    public_id: str | None = None,
    live: bool = True,
) -> Conversation:
    """Start a conversation; it begins with the assistant when one wants it.

    ``live=False``: a door where no one waits for a person (the portal's form). The
    contact is whole as it arrives, so the conversation starts in wrap-up, never in
    the live queue or its waiting and abandonment figures, for the service that took
    it to close.
    """
    conversation = Conversation(
        channel=channel,
        contact=contact,
        external_thread_id=thread_id,
        language=language if language in ("ar", "en") else "ar",
        subject=subject[:300],
        meta=meta or {},
        required_skill=required_skill,
    )
    if public_id is not None:
        conversation.public_id = uuid.UUID(public_id)
    wants_bot = live and any(handler.wants(conversation) for handler in adapters.handlers())
    queued = live and not wants_bot
    if wants_bot:
        conversation.state = ConversationState.BOT
    else:
        conversation.state = ConversationState.QUEUED if queued else ConversationState.WRAP_UP
    conversation.queued_at = timezone.now() if queued else None
    conversation.save()
    system_event_record(conversation, event="opened", data={"channel": channel})
    if queued:
        acd.kick("new")
    return conversation


def conversation_greet(conversation: Conversation) -> None:
    """A citizen opened ``conversation`` and waits for the first words: the handler that
    took it greets them (after commit). Channels that open on a first message do not
    call this: the handler answers that message."""
    if conversation.state != ConversationState.BOT:
        return
    for handler in adapters.handlers():
        if handler.wants(conversation):
            transaction.on_commit(partial(handler.opened, conversation), robust=True)
            return


def _conversation_for(inbound: InboundMessage) -> Conversation:
    if inbound.conversation_public_id:
        try:
            return Conversation.objects.get(public_id=inbound.conversation_public_id)
        except (Conversation.DoesNotExist, ValueError, ValidationError):
            raise NotFound(
                _("This conversation does not exist."), code="unknown_conversation"
            ) from None
    if inbound.contact_id is not None:
        contact = Contact.objects.get(pk=inbound.contact_id)
    else:
        contact = contact_for_identity(channel=inbound.channel, sender=inbound.sender)
    open_ones = Conversation.objects.filter(
        channel=inbound.channel, contact=contact, state__in=OPEN_CONVERSATION_STATES
    )
    if inbound.thread_id:
        open_ones = open_ones.filter(external_thread_id=inbound.thread_id)
    existing = open_ones.order_by("-created_at").first()
    if existing is not None:
        return existing
    return conversation_open(
        channel=inbound.channel,
        contact=contact,
        thread_id=inbound.thread_id,
        language=inbound.sender.language or contact.language,
        subject=inbound.text[:120],
        # The first message's meta seeds the conversation's (e.g. "public" for a post).
        meta=dict(inbound.meta),
    )


def conversation_receive(inbound: InboundMessage) -> ReceiveResult:
    """Store a citizen's message once, however many times the channel delivers it.

    A repeat is found by the unique (channel, external id) constraint rather than
    looked up first: repeats are rare, and every first delivery saves a query.
    """
    text = _validated_text(inbound.text)
    if not (text or inbound.attachments or inbound.attachment_ids or inbound.latitude is not None):
        raise InvalidInput(_("The message is empty."), code="empty")
    external_id = inbound.external_id or None
    try:
        with transaction.atomic():
            conversation = _conversation_for(inbound)
            message = message_append(
                conversation_id=conversation.pk,
                conversation=conversation,
                sender_kind=SenderKind.CITIZEN,
                channel=inbound.channel,
                text=text,
                external_id=external_id,
                latitude=inbound.latitude,
                longitude=inbound.longitude,
            )
            if conversation.state == ConversationState.CLOSED:
                raise InvalidInput(
                    _("This conversation is closed. Start a new one to write again."),
                    code="conversation_closed",
                )
            attachments = _attach(message, inbound)
            message_publish(message, attachments=attachments)
            if conversation.state == ConversationState.BOT:
                transaction.on_commit(lambda: _hand_to_handlers(message), robust=True)
    except IntegrityError:
        # Delivered before (a resent frame, a redelivered webhook), perhaps through
        # another process at the same moment.
        duplicate = _existing(inbound.channel, external_id) if external_id else None
        if duplicate is None:
            raise
        return ReceiveResult(duplicate, duplicate.conversation, created=False)
    return ReceiveResult(message, conversation, created=True)


def _existing(channel: str, external_id: str) -> Message | None:
    return (
        Message.objects.select_related("conversation", "conversation__contact")
        .filter(channel=channel, external_id=external_id)
        .first()
    )


def uploads_claim(message: Message, upload_ids: tuple[str, ...]) -> list[Attachment]:
    """Attach files uploaded to the message's conversation (not sent yet) to the message."""
    if not upload_ids:
        return []
    claimed = Attachment.objects.filter(
        public_id__in=upload_ids,
        conversation=message.conversation,
        message__isnull=True,
    ).update(message=message)
    if claimed != len(set(upload_ids)):
        raise InvalidInput(
            _("An attached image was not found or was already sent."), code="unknown_attachment"
        )
    return list(Attachment.objects.filter(message=message).order_by("pk"))


def _attach(message: Message, inbound: InboundMessage) -> list[Attachment]:
    """Attach the uploads and files the message came with; returns them."""
    attached = uploads_claim(message, inbound.attachment_ids)
    for item in inbound.attachments:
        attached.append(
            file_store(
                item.content,
                content_type=item.content_type,
                filename=item.filename,
                purpose="evidence",
                message=message,
                conversation=message.conversation,
            )
        )
    return attached


def _hand_to_handlers(message: Message) -> None:
    for handler in adapters.handlers():
        try:
            handler.handle(message)
        except Exception:
            # The assistant failing must never lose the citizen: hand over to a human.
            logger.exception("conversation handler failed on message %s", message.pk)
            conversation_to_queue(message.conversation, reason="assistant_error")


def message_post(
    *,
    conversation: Conversation,
    sender_kind: str,
    text: str,
    user: Any = None,
    is_internal: bool = False,
    client_id: str | None = None,
    event: str = "",
    data: dict[str, Any] | None = None,
    attachment_ids: tuple[str, ...] = (),
    quick_replies: list[dict[str, str]] | None = None,
) -> Message:
    """An agent's or the assistant's message; delivered to the channel after commit.

    Idempotent by ``client_id``: the same one again returns the stored message.
    ``event`` and ``data``: a note with a kind and structure of its own (the
    assistant's hand-over summary, written in every staff language).
    ``attachment_ids``: files uploaded to the conversation beforehand, sent with it.
    ``quick_replies``: ``[{"label": …, "text": …}]``, answers a client may show as
    buttons; tapping one sends its ``text`` as the citizen's message.
    """
    text = _validated_text(text)
    if not text and not attachment_ids:
        raise InvalidInput(_("The message is empty."), code="empty")
    if conversation.state == ConversationState.CLOSED:
        raise InvalidInput(_("This conversation is closed."), code="conversation_closed")
    external_id = f"{conversation.public_id}:staff:{client_id}" if client_id else None
    try:
        with transaction.atomic():
            message = message_append(
                conversation_id=conversation.pk,
                conversation=conversation,
                sender_kind=sender_kind,
                channel=conversation.channel,
                text=text,
                user=user,
                external_id=external_id,
                is_internal=is_internal,
                event=event,
                data={**(data or {}), "quick_replies": quick_replies} if quick_replies else data,
            )
            if conversation.state == ConversationState.CLOSED:
                raise InvalidInput(_("This conversation is closed."), code="conversation_closed")
            message_publish(message, attachments=uploads_claim(message, attachment_ids))
            if not is_internal:
                adapter = adapters.adapter_for(conversation.channel)
                if adapter is not None:
                    transaction.on_commit(lambda: adapter.deliver(message), robust=True)
    except IntegrityError:
        duplicate = _existing(conversation.channel, external_id) if external_id else None
        if duplicate is None:
            raise
        return duplicate
    return message


def conversation_to_queue(conversation: Conversation, *, reason: str) -> Conversation:
    """Move a conversation from the assistant into the live queue for a human."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.state != ConversationState.BOT:
            return locked
        locked.state = ConversationState.QUEUED
        locked.queued_at = timezone.now()
        locked.save(update_fields=["state", "queued_at"])
        system_event_record(locked, event="queued", data={"reason": reason})
        events.publish(
            events.conversation_group(locked.public_id),
            "conversation.state",
            {"conversation": str(locked.public_id), "state": locked.state},
        )
        acd.kick("queued")
    return locked


def notice_post(*, conversation: Conversation, text: str, key: str) -> Message:
    """A notice from the system in the citizen's conversation (a ticket forwarded, solved …).

    Stored once per ``key`` however often its delivery is tried, and published; the
    caller hands it to the channel. A closed conversation takes it too: a web chat is
    kept for the citizen to come back to and read it.
    """
    external_id = f"notify:{key}"[:200]
    stored = Message.objects.select_related("conversation").filter(
        channel=conversation.channel, external_id=external_id
    )
    existing = stored.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a repeat rolls back to here, and only here
            return system_event_record(
                conversation, event="notification", text=text, external_id=external_id
            )
    except IntegrityError:
        return stored.get()


def message_delivered_mark(message: Message) -> None:
    """The platform confirmed that ``message`` reached the citizen."""
    Message.objects.filter(pk=message.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
