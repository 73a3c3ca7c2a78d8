"""Reads for the ticket pages and the API: search, workspaces, the timeline.

Every list starts from :func:`helpdesk.selectors.tickets.ticket_list_visible_to`, so a
filter can only narrow what the actor may see, never widen it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.attachments import attachment_url
from helpdesk.classify import category_suggestions, clear_leader
from helpdesk.labels import arrow, attachment_title, message_text, recipient_label, role_label
from helpdesk.models import (
    Attachment,
    Category,
    Message,
    Notification,
    OrganisationSettings,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from helpdesk.models.notifications import PARTNER_CALLBACK
from helpdesk.phones import to_ascii_digits
from helpdesk.privacy.visibility import (
    EVERYTHING,
    TicketFields,
    event_visible,
    message_visible,
    ticket_fields_for,
)
from helpdesk.references import parse_reference
from helpdesk.roles import Actor
from helpdesk.selectors.tickets import ticket_list_visible_to

# Statuses where someone still has to act before the citizen is answered.
OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.REGISTERED,
    TicketStatus.DISPATCHED,
    TicketStatus.FORWARDED_EXTERNAL,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RETURNED,
    TicketStatus.REOPENED,
)
WAITING_FOR_DISPATCH = (TicketStatus.REGISTERED, TicketStatus.RETURNED, TicketStatus.REOPENED)

SORTS: dict[str, tuple[str, ...]] = {
    "-created_at": ("-created_at", "-pk"),
    "created_at": ("created_at", "pk"),
    "resolution_due": ("resolution_due", "pk"),
    "-resolution_due": ("-resolution_due", "-pk"),
    "status": ("status", "-created_at"),
    "reference": ("reference",),
    "-updated_at": ("-updated_at", "-pk"),
}


@dataclass(frozen=True)
class TicketFilters:
    status: str = ""
    category: str = ""  # codes, as in the URL
    directorate: str = ""
    section: str = ""
    partner: str = ""
    channel: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    reference: str = ""
    phone: str = ""
    text: str = ""
    sort: str = "-created_at"


def ticket_search(actor: Actor, filters: TicketFilters) -> QuerySet[Ticket]:
    tickets = ticket_list_visible_to(actor)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.category:
        tickets = tickets.filter(category__code=filters.category)
    if filters.directorate:
        tickets = tickets.filter(section__directorate__code=filters.directorate)
    if filters.section:
        tickets = tickets.filter(section__code=filters.section)
    if filters.partner:
        tickets = tickets.filter(partner__code=filters.partner)
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.date_from:
        tickets = tickets.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        tickets = tickets.filter(created_at__lt=_start_of(filters.date_to + datetime.timedelta(1)))
    if filters.reference.strip():
        canonical = parse_reference(filters.reference)
        if canonical:
            tickets = tickets.filter(reference=canonical)
        else:
            tickets = tickets.filter(reference__icontains=filters.reference.strip())
    digits = "".join(ch for ch in to_ascii_digits(filters.phone) if ch.isdigit())
    if digits and not ticket_fields_for(actor.role).contact:
        # Who may not see the citizen may not find their tickets by the number either.
        return tickets.none()
    if digits:
        # Local numbers are typed without the country code: match the tail.
        tickets = tickets.filter(contact__phone__endswith=digits)
    if filters.text.strip():
        text = filters.text.strip()
        tickets = tickets.filter(
            Q(subject__icontains=text) | Q(description__icontains=text) | Q(address__icontains=text)
        )
    return tickets.order_by(*SORTS.get(filters.sort, SORTS["-created_at"]))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# ---- workspaces ----------------------------------------------------------------------


def dispatcher_waiting(actor: Actor) -> QuerySet[Ticket]:
    """Registered, returned and reopened tickets that tier 2 must forward."""
    return (
        ticket_list_visible_to(actor)
        .filter(status__in=WAITING_FOR_DISPATCH)
        .order_by("resolution_due", "created_at")
    )


def ticket_overdue(actor: Actor, *, now: datetime.datetime | None = None) -> QuerySet[Ticket]:
    """Open tickets whose resolution target has passed: tier 2 follows them up."""
    return (
        ticket_list_visible_to(actor)
        .filter(status__in=OPEN_STATUSES, resolution_due__lt=now or timezone.now())
        .order_by("resolution_due")
    )


def dispatcher_callbacks(actor: Actor) -> QuerySet[Ticket]:
    """Solved tickets: tier 2 calls the citizen back, then closes."""
    return (
        ticket_list_visible_to(actor).filter(status=TicketStatus.RESOLVED).order_by("resolved_at")
    )


def section_worklist(actor: Actor) -> QuerySet[Ticket]:
    return (
        ticket_list_visible_to(actor)
        .filter(status__in=(TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS))
        .order_by("resolution_due", "created_at")
    )


def partner_worklist(actor: Actor) -> QuerySet[Ticket]:
    return (
        ticket_list_visible_to(actor)
        .filter(status=TicketStatus.FORWARDED_EXTERNAL)
        .order_by("resolution_due", "created_at")
    )


def recently_done(actor: Actor, *, limit: int = 20) -> QuerySet[Ticket]:
    done = (
        TicketStatus.RESOLVED,
        TicketStatus.CITIZEN_NOTIFIED,
        TicketStatus.CLOSED,
        TicketStatus.RETURNED,
    )
    return ticket_list_visible_to(actor).filter(status__in=done).order_by("-updated_at")[:limit]


def category_suggest(text: str) -> Category:
    """The clear first suggestion for ``text`` (``helpdesk.classify``), else the fallback.

    A tie goes to the fallback category, where tier 1 classifies it: the order of the
    categories never decides.
    """
    leader = clear_leader(category_suggestions(text))
    if leader is not None:
        return leader.item
    fallback = OrganisationSettings.load().fallback_category
    if fallback is not None and fallback.is_active:
        return fallback
    first = Category.objects.filter(is_active=True).order_by("pk").first()
    if first is None:
        raise Category.DoesNotExist("no active category")
    return first


# ---- the timeline ---------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "event", "message", "attachment", "notification"
    title: str
    text: str = ""
    actor: str = ""
    is_public: bool = False
    attachment: Attachment | None = None
    url: str = ""  # a signed link to the file (see ``helpdesk.attachments``)
    data: dict[str, Any] = field(default_factory=dict)


def _actor_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _event_entry(event: TicketEvent) -> TimelineEntry:
    if event.to_status:
        before = TicketStatus(event.from_status).label if event.from_status else "—"
        title = f"{before} {arrow()} {TicketStatus(event.to_status).label}"
    else:
        title = str(event.get_kind_display())
    return TimelineEntry(
        at=event.created_at,
        kind="event",
        title=title,
        text=event.note,
        actor=_actor_name(event.actor) or role_label(event.actor_role),
        is_public=event.is_public,
        data={"event_kind": event.kind, **event.data},
    )


def _message_entry(message: Message) -> TimelineEntry:
    return TimelineEntry(
        at=message.created_at,
        kind="message",
        title=str(message.get_sender_kind_display()),
        text=message_text(message),
        actor=_actor_name(message.sender_user),
        is_public=not message.is_internal,
        data={"seq": message.seq, "event": message.event},
    )


def _attachment_entry(attachment: Attachment) -> TimelineEntry:
    return TimelineEntry(
        at=attachment.created_at,
        kind="attachment",
        title=attachment_title(attachment),
        text=attachment.original_name,
        attachment=attachment,
        url=attachment_url(attachment) if attachment.file else attachment.external_url,
    )


def notification_problem(notification: Notification) -> str:
    """What went wrong, for staff, in words: never the gateway's own error text, which
    may quote its URL or credentials (that stays, redacted, in the admin)."""
    if not notification.last_error and not notification.failure_reason:
        return ""
    if notification.failure_reason == "gave_up":
        return str(_("Not delivered: the gateway kept failing, so sending was given up."))
    if notification.failure_reason:
        return str(_("Not delivered: the gateway refused the message."))
    return str(_("Not delivered yet: the gateway could not be reached; it will be tried again."))


def ticket_notification_entries(ticket: Ticket) -> list[TimelineEntry]:
    """One entry per SMS, e-mail or fax the outbox holds for the ticket, with its fate."""
    return [
        TimelineEntry(
            at=notification.created_at,
            kind="notification",
            title=f"{notification.get_channel_display()} {arrow()}",
            # A partner callback's body is JSON for a machine: its event type says it all.
            text=(
                notification.subject
                if notification.channel == PARTNER_CALLBACK
                else notification.body
            ),
            data={
                "recipient": recipient_label(notification.channel, notification.recipient),
                "event": notification.get_template_key_display(),
                "status": notification.get_status_display(),
                "delivery": notification.delivery_status,
                "error": notification_problem(notification),
                "attempts": notification.attempts,
            },
        )
        for notification in Notification.objects.filter(ticket=ticket).order_by("created_at")
    ]


def ticket_timeline(ticket: Ticket, fields: TicketFields = EVERYTHING) -> list[TimelineEntry]:
    """Everything that happened to a ticket that ``fields`` lets the reader see, oldest first."""
    entries = [
        _event_entry(e) for e in ticket.events.select_related("actor") if event_visible(e, fields)
    ]
    attachments = Attachment.objects.filter(ticket=ticket)
    if ticket.conversation_id is not None:
        if fields.transcript != "none":
            messages = Message.objects.filter(
                conversation_id=ticket.conversation_id
            ).select_related("sender_user")
            entries += [_message_entry(m) for m in messages if message_visible(m, fields)]
        if fields.conversation_uploads:
            attachments = Attachment.objects.filter(
                Q(ticket=ticket) | Q(conversation_id=ticket.conversation_id)
            )
    entries += [_attachment_entry(a) for a in attachments.distinct()]
    if fields.notifications:
        entries += ticket_notification_entries(ticket)
    return sorted(entries, key=lambda entry: entry.at)
