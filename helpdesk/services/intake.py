"""Tickets from every door: a phone call or fax logged by an agent, the public
portal form, and e-mail. The chat and social doors go through the agent console."""

from __future__ import annotations

import email.utils
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import InvalidInput
from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.media import Photo, file_store, image_store
from helpdesk.models import (
    Category,
    Channel,
    ClassifierExampleSource,
    Contact,
    Conversation,
    Disposition,
    Section,
    Ticket,
    TicketEventKind,
)
from helpdesk.models.people import NotifyChannel
from helpdesk.roles import SYSTEM, Actor
from helpdesk.selectors.worklists import category_suggest
from helpdesk.services.classifier import classifier_example_record
from helpdesk.services.contacts import phone_or_error
from helpdesk.services.conversations import conversation_open, conversation_receive
from helpdesk.services.distributor import conversation_end
from helpdesk.services.notifications import partner_callback_queue
from helpdesk.services.tickets import ticket_create
from helpdesk.text import MAX_MESSAGE_LENGTH, clean_text, html_to_text

# Doors an agent logs by hand (the caller is on the line or sent a fax).
AGENT_LOGGED_CHANNELS = (Channel.PHONE, Channel.FAX, Channel.SMS, Channel.EMAIL)


def contact_for_phone(
    *, phone: str, name: str = "", language: str = "ar", email_address: str = ""
) -> Contact:
    """The citizen known by this mobile number, created when new; a given name fills a blank."""
    e164 = phone_or_error(phone)
    contact = Contact.objects.filter(phone=e164).order_by("created_at").first()
    if contact is None:
        return Contact.objects.create(
            name=name.strip()[:200],
            phone=e164,
            email=email_address.strip(),
            language=language if language in ("ar", "en") else "ar",
        )
    changed = False
    if name.strip() and not contact.name:
        contact.name, changed = name.strip()[:200], True
    if email_address.strip() and not contact.email:
        contact.email, changed = email_address.strip(), True
    if changed:
        contact.save()
    return contact


def _coordinates(
    latitude: Decimal | None, longitude: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    if latitude is None or longitude is None:
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(_("The location is not on the map."), code="invalid_location")
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


def portal_report_submit(
    *,
    category: Category,
    description: str,
    phone: str,
    name: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photo: Photo | None = None,
    language: str = "ar",
    channel: str = Channel.PORTAL,
    email_address: str = "",
) -> Ticket:
    """A citizen's report from the public form or the app: a contact like any other,
    whose ticket is registered at once.

    The report enters the one inbound path as the first message of a conversation on
    its channel; the ticket is converted from that conversation (``ticket_create``
    with it, as an agent's conversion does) and the conversation is closed as handled
    by the form (disposition ``ticket_created``). No one waits on a form for a person,
    so it never enters the live queue: the ticket's notifications and the status page
    carry the rest. Everything happens in one transaction, so a refused photo leaves
    neither ticket nor conversation.
    """
    description = clean_text(description)
    if not description:
        raise InvalidInput(_("Describe the case."), code="missing_description")
    if len(description) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(_("The description is too long."), code="too_long")
    if not category.is_active:
        raise InvalidInput(_("Choose a category."), code="invalid_category")
    lat, lng = _coordinates(latitude, longitude)
    if lat is None and not address.strip():
        raise InvalidInput(
            _("Tell us where: share your location or type an address or landmark."),
            code="missing_location",
        )
    with transaction.atomic():
        contact = contact_for_phone(
            phone=phone, name=name, language=language, email_address=email_address
        )
        conversation = conversation_open(
            channel=channel,
            contact=contact,
            language=language,
            subject=description[:120],
            live=False,
        )
        received = conversation_receive(
            InboundMessage(
                channel=channel,
                external_id="",
                sender=SenderIdentity(phone=contact.phone, display_name=name, language=language),
                text=description,
                conversation_public_id=str(conversation.public_id),
                latitude=lat,
                longitude=lng,
            )
        )
        ticket = ticket_create(
            actor=SYSTEM,
            contact=contact,
            channel=channel,
            conversation=conversation,
            category=category,
            subject=description[:120],
            description=description,
            latitude=lat,
            longitude=lng,
            address=address,
        )
        if photo is not None:
            image_store(
                photo.content,
                filename=photo.filename,
                purpose="evidence",
                ticket=ticket,
                message=received.message,
                conversation=conversation,
            )
        conversation_end(
            conversation=conversation,
            by="system",
            disposition=Disposition.TICKET_CREATED,
            reason="portal_report",
        )
    return ticket


def phone_ticket_log(
    *,
    actor: Actor,
    channel: str,
    caller_name: str,
    caller_phone: str,
    category: Category,
    subject: str,
    description: str,
    caller_email: str = "",
    caller_fax: str = "",
    preferred_channel: str = NotifyChannel.SMS,
    language: str = "ar",
    section: Section | None = None,
    priority: str | None = None,
    address: str = "",
    register: bool = True,
    conversation: Conversation | None = None,
) -> Ticket:
    """An agent logs a call or a fax: the caller's data, the case, its classification.

    With ``conversation`` (a chat or social contact the agent is serving) the
    ticket is linked to it and takes its channel.
    """
    if conversation is not None:
        channel = conversation.channel
    elif channel not in AGENT_LOGGED_CHANNELS:
        raise InvalidInput(_("Choose how the report came in."), code="invalid_channel")
    if preferred_channel not in NotifyChannel.values:
        raise InvalidInput(_("Choose how to notify the citizen."), code="invalid_channel")
    with transaction.atomic():
        contact = contact_for_phone(
            phone=caller_phone, name=caller_name, language=language, email_address=caller_email
        )
        if caller_fax:
            contact.fax = phone_or_error(caller_fax)
        contact.preferred_channel = preferred_channel
        if conversation is None and contact.phone_verified_at is None:
            # Staff took the number from the caller on the line (or the fax, SMS or
            # e-mail in hand): it needs no code. A chat's number was typed by the citizen.
            contact.phone_verified_at = timezone.now()
        contact.save()
        ticket = ticket_create(
            actor=actor,
            contact=contact,
            channel=channel,
            category=category,
            subject=subject,
            description=clean_text(description),
            priority=priority or None,
            section=section,
            address=address,
            register=register,
            conversation=conversation,
        )
        if conversation is not None and conversation.category != category:
            # The agent filed the conversation under another category than it had: a lesson.
            classifier_example_record(
                ticket=ticket,
                category=category,
                recorded_by=actor.user,
                source=ClassifierExampleSource.CONVERSATION,
                conversation=conversation,
            )
        return ticket


# ---- e-mail ------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailIngestResult:
    message_id: str
    ticket: Ticket | None
    created: bool
    refused_attachments: tuple[str, ...] = ()


def _email_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return clean_text(str(content))[:MAX_MESSAGE_LENGTH]


def _thread_root(message: EmailMessage, message_id: str) -> str:
    references = str(message.get("References", "")).split()
    if references:
        return references[0]
    return str(message.get("In-Reply-To", "")).strip() or message_id


def email_message_ingest(raw: bytes) -> EmailIngestResult:
    """Turn one RFC 822 message into a conversation (and a ``new`` ticket for an agent).

    Idempotent by Message-ID (a message without one is known by its hash). A
    reply in a thread that already has a ticket is added to that ticket's
    timeline instead of opening another. Attachments are stored through
    ``helpdesk.media``; one that is refused is named in an internal note.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    message_id = str(message.get("Message-ID", "")).strip() or (
        "sha256:" + hashlib.sha256(raw).hexdigest()
    )
    display_name, address = email.utils.parseaddr(str(message.get("From", "")))
    if "@" not in address:
        raise InvalidInput(_("The message has no sender address."), code="invalid_sender")
    subject = clean_text(str(message.get("Subject", "")))[:300]
    body = _email_body(message) or subject
    if not body:
        body = _("(empty message)")
    with transaction.atomic():
        received = conversation_receive(
            InboundMessage(
                channel=Channel.EMAIL,
                external_id=message_id[:200],
                sender=SenderIdentity(
                    external_id=address.lower(), email=address, display_name=display_name
                ),
                text=f"{subject}\n\n{body}" if subject and subject != body else body,
                thread_id=_thread_root(message, message_id)[:200],
            )
        )
        if not received.created:
            existing = received.conversation.tickets.order_by("created_at").first()
            return EmailIngestResult(message_id, existing, created=False)
        conversation = received.conversation
        ticket = conversation.tickets.order_by("created_at").first()
        if ticket is None:
            ticket = ticket_create(
                actor=SYSTEM,
                contact=conversation.contact,
                channel=Channel.EMAIL,
                category=category_suggest(f"{subject}\n{body}"),
                subject=subject or body[:120],
                description=body,
                conversation=conversation,
                register=False,
            )
        else:
            reply = ticket.events.create(
                kind=TicketEventKind.INBOUND, note=body, actor_role="citizen"
            )
            partner_callback_queue(reply)
        refused = []
        for part in message.iter_attachments():
            assert isinstance(part, EmailMessage)
            content = part.get_payload(decode=True)
            filename = part.get_filename() or ""
            if not isinstance(content, bytes):
                continue
            try:
                file_store(
                    content,
                    content_type=part.get_content_type(),
                    filename=filename,
                    purpose="evidence",
                    message=received.message,
                    conversation=conversation,
                    ticket=ticket,
                )
            except InvalidInput as exc:
                refused.append(f"{filename or part.get_content_type()}: {exc.message}")
        if refused:
            ticket.events.create(
                kind=TicketEventKind.NOTE,
                actor_role="system",
                note=_("Attachments not kept: %(list)s") % {"list": "; ".join(refused)},
            )
    return EmailIngestResult(message_id, ticket, created=True, refused_attachments=tuple(refused))
