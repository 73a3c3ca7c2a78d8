"""Tickets and their lifecycle: the Muscat center's three support lines.

``new → registered → dispatched → in_progress → resolved → citizen_notified → closed``
plus ``returned``, ``forwarded_external`` and ``reopened``. Each transition is
owned by the roles in :data:`TRANSITIONS`; a section's staff act only on their
section's tickets, a partner only on what was forwarded to it. Every change is
recorded as a :class:`TicketEvent`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk import events
from helpdesk.business_hours import Calendar
from helpdesk.errors import InvalidInput, NotInScope, TransitionNotAllowed
from helpdesk.media import Photo, image_store
from helpdesk.models import (
    Category,
    Contact,
    Conversation,
    OrganisationSettings,
    Partner,
    Priority,
    Role,
    Section,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.roles import SYSTEM, SYSTEM_ROLE, Actor
from helpdesk.services import notifications
from helpdesk.services.classifier import classifier_example_record
from helpdesk.services.sla import sla_targets


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs_note: bool = False
    public: bool = True


def _t(
    action: str,
    label: Any,
    sources: set[str],
    target: str,
    roles: set[str],
    *,
    needs_note: bool = False,
    public: bool = True,
) -> Transition:
    return Transition(
        action, label, frozenset(sources), target, frozenset(roles), needs_note, public
    )


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(
            "register",
            gettext_lazy("Register"),
            {TicketStatus.NEW},
            TicketStatus.REGISTERED,
            {Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, SYSTEM_ROLE},
        ),
        _t(
            "dispatch",
            gettext_lazy("Forward to the section"),
            {TicketStatus.REGISTERED, TicketStatus.RETURNED, TicketStatus.REOPENED},
            TicketStatus.DISPATCHED,
            {Role.DISPATCHER, Role.SUPERVISOR},
        ),
        _t(
            "forward_external",
            gettext_lazy("Forward to a partner agency"),
            {TicketStatus.REGISTERED, TicketStatus.RETURNED, TicketStatus.REOPENED},
            TicketStatus.FORWARDED_EXTERNAL,
            {Role.DISPATCHER, Role.SUPERVISOR},
        ),
        _t(
            "start",
            gettext_lazy("Take in hand"),
            {TicketStatus.DISPATCHED},
            TicketStatus.IN_PROGRESS,
            {Role.SECTION_STAFF, Role.SUPERVISOR},
        ),
        _t(
            "return",
            gettext_lazy("Return to the dispatcher"),
            {TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS},
            TicketStatus.RETURNED,
            {Role.SECTION_STAFF, Role.SUPERVISOR},
            needs_note=True,
            public=False,
        ),
        _t(
            "resolve",
            gettext_lazy("Resolve"),
            {TicketStatus.IN_PROGRESS},
            TicketStatus.RESOLVED,
            {Role.SECTION_STAFF, Role.SUPERVISOR},
            needs_note=True,
        ),
        _t(
            "partner_resolve",
            gettext_lazy("Record the agency's answer"),
            {TicketStatus.FORWARDED_EXTERNAL},
            TicketStatus.RESOLVED,
            {Role.PARTNER, Role.DISPATCHER, Role.SUPERVISOR},
            needs_note=True,
        ),
        _t(
            "notify_citizen",
            gettext_lazy("Citizen informed"),
            {TicketStatus.RESOLVED},
            TicketStatus.CITIZEN_NOTIFIED,
            {Role.DISPATCHER, Role.SUPERVISOR},
            needs_note=True,
            public=False,
        ),
        _t(
            "close",
            gettext_lazy("Close"),
            {TicketStatus.CITIZEN_NOTIFIED, TicketStatus.FORWARDED_EXTERNAL},
            TicketStatus.CLOSED,
            {Role.DISPATCHER, Role.SUPERVISOR},
        ),
        _t(
            "reopen",
            gettext_lazy("Reopen"),
            {TicketStatus.RESOLVED, TicketStatus.CITIZEN_NOTIFIED, TicketStatus.CLOSED},
            TicketStatus.REOPENED,
            {Role.DISPATCHER, Role.SUPERVISOR},
            needs_note=True,
        ),
    ]
}


def transitions_for(ticket: Ticket, actor: Actor) -> list[Transition]:
    """The actions ``actor`` may take on ``ticket`` now (for buttons and API hints)."""
    return [
        t
        for t in TRANSITIONS.values()
        if ticket.status in t.sources and actor.role in t.roles and _in_scope(ticket, actor)
    ]


def _in_scope(ticket: Ticket, actor: Actor) -> bool:
    if actor.role == Role.SECTION_STAFF:
        return actor.user.profile.sections.filter(pk=ticket.section_id).exists()
    if actor.role == Role.PARTNER:
        # Acting (answering, notes) only while the ticket is forwarded to the agency;
        # what it may still read afterwards is helpdesk.selectors.tickets.partner_reachable.
        return (
            ticket.partner_id is not None
            and actor.user.profile.partner_id == ticket.partner_id
            and ticket.status == TicketStatus.FORWARDED_EXTERNAL
        )
    return True


def ensure_in_scope(ticket: Ticket, actor: Actor) -> None:
    if not _in_scope(ticket, actor):
        raise NotInScope(_("Ticket %(ref)s is not in your scope.") % {"ref": ticket.reference})


def _record(
    ticket: Ticket,
    actor: Actor,
    kind: str,
    *,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor.user,
        actor_role=actor.role,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=is_public,
        data=data or {},
    )
    notifications.partner_callback_queue(event)
    return event


def _publish_change(ticket: Ticket) -> None:
    """Every worklist that holds the ticket hears of the change.

    Dispatchers see every ticket; a section only its own; a partner only what
    was forwarded to it. (The ticket's own page has no socket: it is read afresh.)
    """
    payload = {"ticket": ticket.pk, "reference": ticket.reference, "status": ticket.status}
    groups = [events.role_group(Role.DISPATCHER), events.section_group(ticket.section_id)]
    if ticket.partner_id is not None:
        groups.append(events.partner_group(ticket.partner_id))
    for group in groups:
        events.publish(group, "ticket.changed", payload)


def ticket_transition(
    *, ticket: Ticket, action: str, actor: Actor, note: str = "", data: dict[str, Any] | None = None
) -> TicketEvent:
    """Apply one lifecycle action, or raise ``TransitionNotAllowed`` saying why not."""
    try:
        transition = TRANSITIONS[action]
    except KeyError:
        raise TransitionNotAllowed(_("Unknown action “%(a)s”.") % {"a": action}) from None
    note = note.strip()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if actor.role not in transition.roles:
            raise TransitionNotAllowed(
                _("Your role may not “%(action)s” a ticket.") % {"action": transition.label}
            )
        if locked.status not in transition.sources:
            raise TransitionNotAllowed(
                _("Ticket %(ref)s is “%(status)s”; it cannot be sent to “%(action)s”.")
                % {
                    "ref": locked.reference,
                    "status": locked.get_status_display(),
                    "action": transition.label,
                }
            )
        ensure_in_scope(locked, actor)
        if transition.needs_note and not note:
            raise TransitionNotAllowed(
                _("“%(action)s” needs a note.") % {"action": transition.label}
            )
        from_status = locked.status
        locked.status = transition.target
        now = timezone.now()
        if transition.target == TicketStatus.RESOLVED:
            locked.resolved_at = now
        elif transition.target == TicketStatus.CLOSED:
            locked.closed_at = now
        elif transition.target == TicketStatus.IN_PROGRESS:
            locked.handled_by = actor.user
            locked.first_response_at = locked.first_response_at or now
        elif transition.target == TicketStatus.REOPENED:
            locked.resolved_at = None
            locked.closed_at = None
        locked.save()
        event = _record(
            locked,
            actor,
            TicketEventKind.TRANSITION,
            note=note,
            from_status=from_status,
            to_status=transition.target,
            is_public=transition.public,
            data={"action": action, **(data or {})},
        )
        notifications.ticket_event_notify(event)
        _publish_change(locked)
    ticket.refresh_from_db()
    return event


# ---- reference numbers -------------------------------------------------------------


def _next_reference(now: datetime.datetime) -> str:
    """``MCT-2026-000123``: unique under concurrency, gaps allowed.

    One upsert statement takes the next number atomically on PostgreSQL and
    SQLite alike; the counter row stays locked until the ticket commits.
    """
    year = timezone.localtime(now).year
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO helpdesk_ticketcounter (year, last_number) VALUES (%s, 1) "
            "ON CONFLICT (year) DO UPDATE "
            "SET last_number = helpdesk_ticketcounter.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"{settings.NIDAA_REFERENCE_PREFIX}-{year}-{number:06d}"


def _due_dates(
    category: Category, start: datetime.datetime, priority: str | None = None
) -> tuple[datetime.datetime, ...]:
    calendar = Calendar.load()
    first_response_minutes, resolution_minutes = sla_targets(category.sla_policy, priority)
    return (
        calendar.add_business_minutes(start, first_response_minutes),
        calendar.add_business_minutes(start, resolution_minutes),
    )


def ticket_create(
    *,
    actor: Actor,
    contact: Contact,
    channel: str,
    category: Category,
    subject: str,
    description: str,
    priority: str | None = None,
    section: Section | None = None,
    conversation: Conversation | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    register: bool = True,
) -> Ticket:
    """Open a ticket (status ``new``) and, unless told otherwise, register it."""
    if actor.role not in TRANSITIONS["register"].roles:
        raise TransitionNotAllowed(_("Your role may not register tickets."))
    subject, description = subject.strip(), description.strip()
    if not description:
        raise InvalidInput(_("Describe the case."), code="missing_description")
    if priority is not None and priority not in Priority.values:
        raise InvalidInput(_("Unknown priority."), code="invalid_priority")
    with transaction.atomic():
        now = timezone.now()
        ticket = Ticket.objects.create(
            reference=_next_reference(now),
            channel=channel,
            contact=contact,
            conversation=conversation,
            category=category,
            section=section or category.default_section,
            priority=priority or category.default_priority,
            subject=(subject or description)[:300],
            description=description,
            latitude=latitude,
            longitude=longitude,
            address=address.strip()[:300],
            created_by=actor.user,
        )
        _record(
            ticket,
            actor,
            TicketEventKind.TRANSITION,
            to_status=TicketStatus.NEW,
            is_public=True,
            data={"action": "create", "channel": channel},
        )
        if register:
            ticket_register(ticket=ticket, actor=actor)
    return ticket


def ticket_from_left_message(*, conversation: Conversation, text: str) -> Ticket:
    """A message left for the staff while nobody is on duty: a ``new`` ticket, which
    tier 1 registers when the center opens, in the organisation's fallback category
    (a message left on a desk, ``data-desk="tourism"``, in that desk's first active
    category instead, so the desk keeps it)."""
    category = None
    if conversation.required_skill_id is not None:
        category = (
            Category.objects.filter(skill_id=conversation.required_skill_id, is_active=True)
            .order_by("pk")
            .first()
        )
    category = category or OrganisationSettings.load().fallback_category
    if category is None:
        raise InvalidInput(
            _("Messages cannot be left right now. Please call 1111."), code="no_fallback"
        )
    return ticket_create(
        actor=SYSTEM,
        register=False,
        channel=conversation.channel,
        contact=conversation.contact,
        conversation=conversation,
        category=category,
        subject=text.split("\n", 1)[0][:120],
        description=text,
    )


def ticket_register(*, ticket: Ticket, actor: Actor, note: str = "") -> Ticket:
    with transaction.atomic():
        ticket_transition(ticket=ticket, action="register", actor=actor, note=note)
        first_due, resolution_due = _due_dates(ticket.category, timezone.now(), ticket.priority)
        Ticket.objects.filter(pk=ticket.pk).update(
            registered_at=timezone.now(),
            first_response_due=first_due,
            resolution_due=resolution_due,
        )
    ticket.refresh_from_db()
    return ticket


def ticket_dispatch(
    *, ticket: Ticket, actor: Actor, section: Section | None = None, note: str = ""
) -> Ticket:
    """Forward to a section (the ticket's own unless another is named)."""
    with transaction.atomic():
        if section is not None and section.pk != ticket.section_id:
            ticket_reclassify(ticket=ticket, actor=actor, section=section)
        ticket_transition(
            ticket=ticket,
            action="dispatch",
            actor=actor,
            note=note,
            data={"section": ticket.section.code},
        )
    return ticket


def ticket_forward_to_partner(
    *, ticket: Ticket, actor: Actor, partner: Partner, note: str = ""
) -> Ticket:
    if not partner.is_active:
        raise InvalidInput(_("This partner agency is not active."), code="inactive_partner")
    with transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(partner=partner)
        ticket.partner = partner
        ticket_transition(
            ticket=ticket,
            action="forward_external",
            actor=actor,
            note=note,
            data={"partner": partner.code},
        )
    return ticket


def ticket_reclassify(
    *,
    ticket: Ticket,
    actor: Actor,
    category: Category | None = None,
    section: Section | None = None,
    note: str = "",
) -> Ticket:
    """Change category and/or section; the section follows the category unless named."""
    if actor.role not in (Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR):
        raise TransitionNotAllowed(_("Your role may not change a ticket's classification."))
    with transaction.atomic():
        locked = (
            Ticket.objects.select_for_update()
            .select_related("category", "section")
            .get(pk=ticket.pk)
        )
        if locked.status in (
            TicketStatus.CLOSED,
            TicketStatus.RESOLVED,
            TicketStatus.CITIZEN_NOTIFIED,
        ):
            raise TransitionNotAllowed(_("A finished ticket cannot be reclassified."))
        before = {"category": locked.category.code, "section": locked.section.code}
        if category is not None:
            locked.category = category
            if section is None:
                locked.section = category.default_section
        if section is not None:
            locked.section = section
        after = {"category": locked.category.code, "section": locked.section.code}
        if before == after:
            return locked
        locked.save()
        _record(
            locked,
            actor,
            TicketEventKind.CLASSIFICATION,
            note=note,
            data={"before": before, "after": after},
        )
        if before["category"] != after["category"]:
            classifier_example_record(
                ticket=locked, category=locked.category, recorded_by=actor.user
            )
        _publish_change(locked)
    ticket.refresh_from_db()
    return ticket


def ticket_note_add(
    *, ticket: Ticket, actor: Actor, note: str, public: bool = False
) -> TicketEvent:
    """An internal note, or a public reply the citizen sees on the status page."""
    note = note.strip()
    if actor.role == Role.TOURISM_OFFICIAL:
        raise TransitionNotAllowed(_("Your role reads tickets; it does not write on them."))
    if not note:
        raise InvalidInput(_("The note is empty."), code="empty")
    ensure_in_scope(ticket, actor)
    with transaction.atomic():
        event = _record(
            ticket,
            actor,
            TicketEventKind.REPLY if public else TicketEventKind.NOTE,
            note=note,
            is_public=public,
        )
        _publish_change(ticket)
    return event


# What the second and third lines do with a ticket, beyond a bare status change.
MAX_PHOTOS_PER_SIDE = 4

CALL_REACHED = "reached"
CALL_NO_ANSWER = "no_answer"


def ticket_resolve(
    *,
    ticket: Ticket,
    actor: Actor,
    public_reply: str,
    internal_note: str = "",
    before: Sequence[Photo] = (),
    after: Sequence[Photo] = (),
) -> TicketEvent:
    """Tier 3 solves: the public reply, an internal note and before/after photos, at once.

    One transaction: a refused photo leaves the ticket as it was.
    """
    if len(before) > MAX_PHOTOS_PER_SIDE or len(after) > MAX_PHOTOS_PER_SIDE:
        raise InvalidInput(
            _("At most %(n)d photos before and %(n)d after.") % {"n": MAX_PHOTOS_PER_SIDE},
            code="too_many_photos",
        )
    with transaction.atomic():
        event = ticket_transition(ticket=ticket, action="resolve", actor=actor, note=public_reply)
        for purpose, photos in (("before", before), ("after", after)):
            for photo in photos:
                image_store(photo.content, filename=photo.filename, purpose=purpose, ticket=ticket)
        if internal_note.strip():
            ticket_note_add(ticket=ticket, actor=actor, note=internal_note, public=False)
    return event


def ticket_callback_log(
    *, ticket: Ticket, actor: Actor, outcome: str, note: str, close: bool = True
) -> Ticket:
    """Tier 2 called the citizen back about a solved ticket.

    Reached: ``notify_citizen`` with the call's outcome, then (by default) close.
    Not reached: the attempt is recorded and the ticket keeps waiting for a call.
    """
    note = note.strip()
    if not note:
        raise InvalidInput(_("Write what was said on the call."), code="missing_note")
    with transaction.atomic():
        if outcome == CALL_REACHED:
            ticket_transition(
                ticket=ticket,
                action="notify_citizen",
                actor=actor,
                note=note,
                data={"outcome": outcome},
            )
            if close:
                ticket_transition(ticket=ticket, action="close", actor=actor)
        elif outcome == CALL_NO_ANSWER:
            ensure_in_scope(ticket, actor)
            if ticket.status != TicketStatus.RESOLVED:
                raise InvalidInput(
                    _("Only a resolved ticket waits for a call-back."), code="not_resolved"
                )
            attempt = TicketEvent.objects.create(
                ticket=ticket,
                kind=TicketEventKind.CALLBACK,
                actor=actor.user,
                actor_role=actor.role,
                note=note,
                data={"outcome": outcome},
            )
            notifications.partner_callback_queue(attempt)
        else:
            raise InvalidInput(_("Choose the outcome of the call."), code="invalid_outcome")
    ticket.refresh_from_db()
    return ticket
