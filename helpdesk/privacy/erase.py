"""Erasure on request: a citizen's personal data replaced by placeholders.

What goes: names, numbers, e-mail addresses, social ids, message texts, free
text (descriptions, notes, subjects, comments), locations, attachments and
their files. What stays, so that every report keeps its figures: the rows
themselves — tickets with their reference, category, section, status,
channel, timestamps and ratings; conversations with their channel, state,
times and rating; notifications with their channel, status and dates.

The edges (social inbox, assistant sessions) hold copies too; they register an
eraser with :func:`register_eraser`, because the core never imports them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from helpdesk.errors import DomainError, InvalidInput
from helpdesk.models import (
    Attachment,
    ClassifierExample,
    Contact,
    Conversation,
    InboundSms,
    Message,
    Notification,
    PrivacyErasure,
    Ticket,
    TicketEvent,
)
from helpdesk.phones import normalize_phone
from helpdesk.roles import Actor

PLACEHOLDER = "[erased]"


class ErasureRefused(DomainError):
    code = "erasure_refused"


@dataclass
class ErasureScope:
    """What belongs to one citizen, and the strings that identify them (to scrub copies)."""

    contact: Contact
    tickets: list[int]
    conversations: list[int]
    messages: list[int]
    needles: list[str] = field(default_factory=list)

    def scrub(self, text: str) -> str:
        for needle in self.needles:
            text = text.replace(needle, PLACEHOLDER)
        return text

    def scrub_json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.scrub_json(item) for key, item in value.items()}
        return value


Eraser = Callable[[ErasureScope], dict[str, int]]
_ERASERS: list[Eraser] = []


def register_eraser(eraser: Eraser) -> None:
    """An edge's own copies of personal data, erased in the same transaction."""
    if eraser not in _ERASERS:
        _ERASERS.append(eraser)


def _needles(contact: Contact, texts: Iterable[str]) -> list[str]:
    found = {contact.name, contact.phone, contact.email, contact.fax}
    if contact.phone.startswith("+"):
        found.add(contact.phone[1:])  # 968… as gateways and platforms write it
    for identity in contact.identities.all():
        found |= {identity.external_id, identity.handle, identity.display_name}
    found |= {text for text in texts if len(text.strip()) >= 4}
    # Longest first, so a message that contains the name loses the message, not just the name.
    return sorted((n for n in found if n and len(n) >= 3), key=len, reverse=True)


def erasure_scope(contact: Contact) -> ErasureScope:
    tickets = list(Ticket.objects.filter(contact=contact).values_list("pk", flat=True))
    conversations = set(Conversation.objects.filter(contact=contact).values_list("pk", flat=True))
    conversations |= set(
        Ticket.objects.filter(pk__in=tickets, conversation__isnull=False).values_list(
            "conversation_id", flat=True
        )
    )
    messages = Message.objects.filter(conversation_id__in=conversations)
    texts = [
        *messages.exclude(text="").values_list("text", flat=True),
        *Ticket.objects.filter(pk__in=tickets).values_list("description", flat=True),
    ]
    return ErasureScope(
        contact=contact,
        tickets=tickets,
        conversations=sorted(conversations),
        messages=list(messages.values_list("pk", flat=True)),
        needles=_needles(contact, texts),
    )


def _erase_attachments(scope: ErasureScope) -> tuple[int, list[str]]:
    attachments = Attachment.objects.filter(
        Q(ticket_id__in=scope.tickets)
        | Q(conversation_id__in=scope.conversations)
        | Q(message_id__in=scope.messages)
    )
    files = [name for name in attachments.values_list("file", flat=True) if name]
    count = attachments.update(file="", original_name="", external_url="", sha256="")
    return count, files


def delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _erase_notifications(scope: ErasureScope) -> int:
    rows = Notification.objects.filter(
        Q(contact=scope.contact) | Q(ticket_id__in=scope.tickets) | Q(message_id__in=scope.messages)
    )
    count = 0
    for notification in rows.only("pk"):
        Notification.objects.filter(pk=notification.pk).update(
            recipient="",
            subject="",
            body=PLACEHOLDER,
            target="",
            last_error="",
            idempotency_key=f"erased:{notification.pk}",
        )
        count += 1
    return count


def _erase_events(scope: ErasureScope) -> int:
    count = 0
    for event in TicketEvent.objects.filter(ticket_id__in=scope.tickets):
        event.note = PLACEHOLDER if event.note else ""
        event.data = scope.scrub_json(event.data)
        event.save(update_fields=["note", "data"])
        count += 1
    return count


def _erase_admin_log(contact: Contact) -> int:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)
    ).update(object_repr=PLACEHOLDER, change_message="")


def contact_erase(
    *, contact: Contact, actor: Actor, reason: str, operator: str = ""
) -> PrivacyErasure:
    """Replace everything personal about ``contact`` by placeholders; the erasure's record.

    Refused while one of the citizen's tickets is under legal hold. The files
    are deleted from storage only after the transaction committed. ``operator``
    names who ran it when ``actor`` is not a staff user (a management command).
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Say why the data is erased."), code="reason_required")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        scope = erasure_scope(contact)
        if Ticket.objects.filter(pk__in=scope.tickets, legal_hold=True).exists():
            raise ErasureRefused(
                _("A ticket of this citizen is under legal hold: lift the hold first.")
            )
        counts: dict[str, int] = {}
        counts["messages"] = Message.objects.filter(pk__in=scope.messages).update(
            text=PLACEHOLDER, latitude=None, longitude=None, data={}, external_id=None
        )
        counts["attachments"], files = _erase_attachments(scope)
        counts["files"] = len(files)
        counts["tickets"] = Ticket.objects.filter(pk__in=scope.tickets).update(
            subject=PLACEHOLDER, description=PLACEHOLDER, address="", latitude=None, longitude=None
        )
        counts["ticket_events"] = _erase_events(scope)
        counts["conversations"] = Conversation.objects.filter(pk__in=scope.conversations).update(
            subject="", rating_comment="", meta={}, external_thread_id=""
        )
        counts["notifications"] = _erase_notifications(scope)
        sms = InboundSms.objects.filter(
            Q(contact=contact)
            | Q(ticket_id__in=scope.tickets)
            | (Q(sender=contact.phone) if contact.phone else Q(pk__in=[]))
        )
        counts["inbound_sms"] = sms.update(sender="", text=PLACEHOLDER)
        counts["classifier_examples"], _by_model = ClassifierExample.objects.filter(
            Q(ticket_id__in=scope.tickets) | Q(conversation_id__in=scope.conversations)
        ).delete()
        for eraser in _ERASERS:
            counts.update(eraser(scope))
        counts["identities"], _by_model = contact.identities.all().delete()
        counts["admin_log"] = _erase_admin_log(contact)
        Contact.objects.filter(pk=contact.pk).update(name="", phone="", email="", fax="")
        erasure = PrivacyErasure.objects.create(
            contact_id=contact.pk,
            user=actor.user,
            username=actor.user.get_username() if actor.user is not None else operator[:150],
            reason=reason,
            counts=counts,
        )
        transaction.on_commit(lambda: delete_files(files))
    return erasure


def contact_find(query: str) -> Contact:
    """The one contact a phone number, an e-mail address or a contact id names."""
    query = query.strip()
    if not query:
        raise InvalidInput(_("Name the citizen: a mobile number, an e-mail or a contact id."))
    if query.isdigit() and len(query) < 8:
        found = Contact.objects.filter(pk=int(query))
    elif "@" in query:
        found = Contact.objects.filter(email__iexact=query)
    else:
        try:
            phone = normalize_phone(query)
        except ValidationError:
            raise InvalidInput(
                _("“%(query)s” is not a mobile number.") % {"query": query}
            ) from None
        found = Contact.objects.filter(phone=phone)
    contacts = list(found[:2])
    if not contacts:
        raise InvalidInput(_("No citizen matches “%(query)s”.") % {"query": query}, code="no_match")
    if len(contacts) > 1:
        raise InvalidInput(
            _("Several citizens match “%(query)s”: give the contact id.") % {"query": query},
            code="ambiguous",
        )
    return contacts[0]


def dumps_scrubbed(scope: ErasureScope, raw: str) -> str:
    """A JSON (or any) text with the citizen's strings replaced; kept valid when it was JSON."""
    try:
        return json.dumps(scope.scrub_json(json.loads(raw)), ensure_ascii=False)
    except ValueError:
        return scope.scrub(raw)
