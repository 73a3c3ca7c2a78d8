"""What an agent does inside a conversation from the console.

Every action first checks that the conversation is on the agent's desk (or
that the user supervises); then it goes through the core services so the
transcript, the citizen and the other consoles all see the same thing.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helpdesk import events
from helpdesk.classify import Suggestion, category_suggestions, clear_leader
from helpdesk.errors import InvalidInput, NotFound, NotInScope
from helpdesk.media import MAX_FILE_BYTES, file_store
from helpdesk.models import (
    Attachment,
    Category,
    ClassifierExampleSource,
    Conversation,
    ConversationState,
    Message,
    Priority,
    Section,
    SenderKind,
    Ticket,
)
from helpdesk.roles import Actor, role_of
from helpdesk.selectors.queue import desk_tickets
from helpdesk.services.classifier import classifier_example_record
from helpdesk.services.contacts import contact_update
from helpdesk.services.conversations import message_post
from helpdesk.services.distributor import is_ended_by_citizen
from helpdesk.services.tickets import ticket_create

# The internal note the assistant leaves at hand-over (bots/flow.py), with its ``data``.
ASSISTANT_SUMMARY_EVENT = "assistant_summary"
# A conversation's queue priority (0–3) and a ticket's priority name.
PRIORITY_BY_RANK = {0: Priority.LOW, 1: Priority.NORMAL, 2: Priority.HIGH, 3: Priority.URGENT}


def conversation_for_agent(
    *, user: Any, conversation: str, offered_ok: bool = False, ended_ok: bool = False
) -> Conversation:
    """The conversation if it is on ``user``'s desk (or ``user`` supervises), else an error.

    ``ended_ok``: also one the citizen ended while this agent served it, which stays
    on the desk for its wrap-up and ticket until the agent closes it.
    """
    found = (
        Conversation.objects.select_related("contact", "category", "required_skill")
        .filter(public_id=conversation)
        .first()
        if _is_uuid(conversation)
        else None
    )
    if found is None:
        raise NotFound(_("This conversation does not exist."), code="unknown_conversation")
    mine = found.assignee_id == user.pk and found.state in (
        ConversationState.ASSIGNED,
        ConversationState.WRAP_UP,
    )
    offered = (
        offered_ok and found.state == ConversationState.OFFERED and found.offered_to_id == user.pk
    )
    ended = ended_ok and is_ended_by_citizen(found) and found.assignee_id == user.pk
    if not (mine or offered or ended or user.has_perm("helpdesk.supervise")):
        raise NotInScope(_("This conversation is not on your desk."))
    return found


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def console_reply(
    *,
    user: Any,
    conversation: str,
    text: str,
    client_id: str,
    internal: bool = False,
    attachment_ids: tuple[str, ...] = (),
) -> Message:
    """An agent's message to the citizen, or a private note (idempotent by ``client_id``).

    ``attachment_ids``: files the agent uploaded to the conversation (:func:`console_upload`).
    """
    found = conversation_for_agent(user=user, conversation=conversation)
    return message_post(
        conversation=found,
        sender_kind=SenderKind.AGENT,
        user=user,
        text=text,
        is_internal=internal,
        client_id=client_id or None,
        attachment_ids=attachment_ids,
    )


def console_upload(
    *, user: Any, conversation: str, data: bytes, filename: str, content_type: str
) -> Attachment:
    """A photo or file an agent will send in the conversation (by its id, in a ``send``)."""
    found = conversation_for_agent(user=user, conversation=conversation)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_FILE_BYTES // 2**20},
            code="too_large",
        )
    return file_store(
        data, content_type=content_type, filename=filename, purpose="agent", conversation=found
    )


def console_typing(*, user: Any, conversation: str, active: bool) -> None:
    found = conversation_for_agent(user=user, conversation=conversation)
    events.publish(
        events.conversation_group(found.public_id),
        "typing",
        {"conversation": str(found.public_id), "sender_kind": "agent", "active": active},
    )


def console_read(*, user: Any, conversation: str, seq: int) -> int:
    """The agent has read the citizen's messages up to ``seq``: the citizen sees a receipt."""
    found = conversation_for_agent(user=user, conversation=conversation)
    now = timezone.now()
    with transaction.atomic():
        citizen_messages = Message.objects.filter(
            conversation=found, seq__lte=seq, sender_kind=SenderKind.CITIZEN
        )
        citizen_messages.filter(delivered_at__isnull=True).update(delivered_at=now)
        changed = citizen_messages.filter(read_at__isnull=True).update(read_at=now)
        if changed:
            events.publish(
                events.conversation_group(found.public_id),
                "message.receipt",
                {"conversation": str(found.public_id), "seq": seq, "status": "read"},
            )
    return changed


def ticket_prefill(*, user: Any, conversation: str) -> dict[str, Any]:
    """The convert-to-ticket form, filled from the conversation.

    The subject says what the conversation is about: the assistant's summary when it
    left one, else the name of the category the classifier sees in everything the
    citizen wrote; never one message copied (a greeting, a menu choice like "0").
    """
    found = conversation_for_agent(user=user, conversation=conversation, ended_ok=True)
    citizen = list(
        Message.objects.filter(conversation=found, sender_kind=SenderKind.CITIZEN).order_by("seq")
    )
    description = "\n".join(m.text for m in citizen if m.text)
    located = [m for m in citizen if m.latitude is not None and m.longitude is not None]
    suggestions = category_suggestions(description) if description else []
    category = found.category or _preselected(suggestions)
    return {
        "conversation": str(found.public_id),
        "name": found.contact.name,
        "phone": found.contact.phone,
        "subject": _subject(found, suggestions)[:300],
        "description": description,
        "category": category.code if category else "",
        "section": category.default_section.code if category else "",
        "priority": PRIORITY_BY_RANK.get(found.priority, Priority.NORMAL),
        "latitude": str(located[-1].latitude) if located else "",
        "longitude": str(located[-1].longitude) if located else "",
        "address": "",
        # The top three with their probabilities (None: suggested by keywords alone).
        "suggestions": [
            {"code": s.item.code, "name": str(s.item.name), "probability": s.probability}
            for s in suggestions
        ],
        # Tickets already registered from this conversation: a second one needs a yes.
        "existing": conversation_tickets(found),
    }


def conversation_tickets(conversation: Conversation) -> list[dict[str, str]]:
    """The tickets registered from a conversation, oldest first: reference and staff link."""
    return desk_tickets([conversation.pk]).get(conversation.pk, [])


def _subject(conversation: Conversation, suggestions: list[Suggestion]) -> str:
    summary = (
        Message.objects.filter(conversation=conversation, event=ASSISTANT_SUMMARY_EVENT)
        .order_by("-seq")
        .values_list("data", flat=True)
        .first()
    )
    about = str((summary or {}).get("subject", "")).strip()
    if about:
        return about
    leader = clear_leader(suggestions)
    return str(leader.item.name) if leader else ""


def _preselected(suggestions: list[Suggestion]) -> Category | None:
    """The category the form offers: only a confident suggestion; the agent chooses otherwise."""
    return suggestions[0].item if suggestions and suggestions[0].confident else None


def _decimal(value: Any, *, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(_("The location is not a number."), code="invalid_location") from None
    if not -limit <= number <= limit:
        raise InvalidInput(_("The location is out of range."), code="invalid_location")
    return number.quantize(Decimal("0.000001"))


def conversation_ticket_create(*, user: Any, conversation: str, fields: dict[str, Any]) -> Ticket:
    """Register a ticket from the conversation and tell the citizen its reference number.

    A conversation already converted is refused (``ticket_exists``, naming the
    tickets) unless ``fields["another"]`` is true: the agent meant a second one.
    """
    found = conversation_for_agent(user=user, conversation=conversation, ended_ok=True)
    role = role_of(user)
    if role is None:
        raise NotInScope(_("This account has no role in the contact center."))
    category = Category.objects.filter(code=fields.get("category", ""), is_active=True).first()
    if category is None:
        raise InvalidInput(_("Choose a category."), code="missing_category")
    section = None
    if fields.get("section"):
        section = Section.objects.filter(code=fields["section"], is_active=True).first()
        if section is None:
            raise InvalidInput(_("Unknown section."), code="invalid_section")
    with transaction.atomic():
        # The row lock makes two quick clicks (or two consoles) register one ticket.
        Conversation.objects.select_for_update().filter(pk=found.pk).first()
        existing = conversation_tickets(found)
        if existing and fields.get("another") is not True:
            raise InvalidInput(
                _(
                    "This conversation already has a ticket: %(refs)s. "
                    "Tick “Register another ticket” if you mean a second one."
                )
                % {"refs": " · ".join(t["reference"] for t in existing)},
                code="ticket_exists",
            )
        contact_update(
            found.contact,
            name=str(fields.get("name", found.contact.name)),
            phone=str(fields.get("phone", found.contact.phone)),
        )
        ticket = ticket_create(
            actor=Actor(user=user, role=role),
            contact=found.contact,
            conversation=found,
            channel=found.channel,
            category=category,
            section=section,
            priority=fields.get("priority") or None,
            subject=str(fields.get("subject", "")),
            description=str(fields.get("description", "")),
            latitude=_decimal(fields.get("latitude"), limit=90),
            longitude=_decimal(fields.get("longitude"), limit=180),
            address=str(fields.get("address", "")),
        )
        Conversation.objects.filter(pk=found.pk).update(category=category)
        offered = found.category or _preselected(
            category_suggestions(ticket.description) if ticket.description else []
        )
        if offered != category:
            # The agent chose other than (or without) what the form offered: a lesson.
            classifier_example_record(
                ticket=ticket,
                category=category,
                recorded_by=user,
                source=ClassifierExampleSource.CONVERSATION,
                conversation=found,
            )
        if found.state == ConversationState.CLOSED:
            return ticket  # the citizen left: the ticket's own notification tells them
        with translation.override(found.language):
            text = _(
                "Your report is registered. Its number is %(reference)s — keep it to follow up."
            ) % {"reference": ticket.reference}
        message_post(
            conversation=found,
            sender_kind=SenderKind.AGENT,
            user=user,
            text=text,
            client_id=f"ticket-{ticket.reference}",
        )
    return ticket
