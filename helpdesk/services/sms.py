"""A citizen's text to the municipality's number: one more door onto the one inbound path.

The gateway's webhook (``helpdesk.notify.views.sms_inbound``) hands each text here.
It is kept as an ``InboundSms`` (once per gateway id: gateways redeliver), proves
that the number is the citizen's, is noted on the ticket it is about, and enters
like every channel's message — an ``InboundMessage`` on channel SMS through
:func:`conversation_receive`: into the citizen's open SMS conversation, else a new
one that waits in the live queue for an agent. The agent's answer goes back by
SMS through the outbox (``helpdesk.notify.channel.SmsChannel``).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from helpdesk.errors import InvalidInput
from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.models import (
    Channel,
    Contact,
    Conversation,
    InboundSms,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.phones import normalize_phone
from helpdesk.references import parse_reference
from helpdesk.roles import SYSTEM_ROLE
from helpdesk.services.contacts import phone_verified_mark
from helpdesk.services.conversations import conversation_receive
from helpdesk.services.notifications import held_notifications_release, partner_callback_queue

logger = logging.getLogger(__name__)


def _phone_or_raw(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError:
        return raw.strip()


def _ticket_for_reply(phone: str, text: str) -> Ticket | None:
    """The ticket the text names by its reference, else the citizen's latest open one."""
    mine = Ticket.objects.filter(contact__phone=phone)
    reference = parse_reference(text)
    if reference:
        named = mine.filter(reference=reference).first()
        if named is not None:
            return named
    return mine.exclude(status=TicketStatus.CLOSED).order_by("-created_at", "-pk").first()


def _into_conversation(
    *, gateway_id: str, phone: str, text: str, contact: Contact | None
) -> Conversation | None:
    """The text as the citizen's message in their SMS conversation; ``None`` for a text
    no one can answer (no words, or a sender that is no phone number, such as a
    network's short code): it is still kept as an ``InboundSms``."""
    try:
        received = conversation_receive(
            InboundMessage(
                channel=Channel.SMS,
                external_id=gateway_id,
                sender=SenderIdentity(external_id=phone, phone=phone),
                text=text,
                contact_id=contact.pk if contact is not None else None,
            )
        )
    except InvalidInput as exc:
        logger.info("SMS %s kept without a conversation: %s", gateway_id, exc.code)
        return None
    return received.conversation


def sms_inbound_receive(*, gateway_id: str, sender: str, text: str) -> InboundSms:
    """Keep a citizen's SMS (once per gateway id), put it before an agent in its
    conversation, and note it on the ticket it is about."""
    gateway_id = gateway_id[:200]
    existing = InboundSms.objects.filter(gateway_id=gateway_id).first()
    if existing is not None:
        return existing
    phone = _phone_or_raw(sender)
    if phone_verified_mark(phone):
        # The citizen wrote from this number: it is theirs, and what was held goes out.
        held_notifications_release(phone)
    ticket = _ticket_for_reply(phone, text)
    contact = (
        ticket.contact
        if ticket
        else Contact.objects.filter(phone=phone).order_by("-created_at").first()
    )
    try:
        with transaction.atomic():
            conversation = _into_conversation(
                gateway_id=gateway_id, phone=phone, text=text, contact=contact
            )
            inbound = InboundSms.objects.create(
                gateway_id=gateway_id,
                sender=phone[:40],
                text=text,
                contact=conversation.contact if conversation is not None else contact,
                ticket=ticket,
            )
            if ticket is not None:
                told = TicketEvent.objects.create(
                    ticket=ticket,
                    kind=TicketEventKind.INBOUND,
                    actor_role=SYSTEM_ROLE,
                    note=text,
                    data={"channel": "sms", "from": phone, "inbound_sms": inbound.pk},
                )
                partner_callback_queue(told)
    except IntegrityError:
        return InboundSms.objects.get(gateway_id=gateway_id)
    return inbound
