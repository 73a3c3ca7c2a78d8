"""Reads: what each role may see, with the joins the pages need."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from helpdesk.models import (
    TOURISM_DESK,
    Role,
    SLAAlert,
    SLAAlertKind,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from helpdesk.phones import to_ascii_digits
from helpdesk.references import parse_reference
from helpdesk.roles import Actor


def ticket_list_visible_to(actor: Actor) -> QuerySet[Ticket]:
    """Every ticket ``actor`` may read: the scope rule behind pages and the API."""
    tickets = Ticket.objects.select_related(
        "category", "section", "section__directorate", "partner", "contact"
    )
    if actor.role in (Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR):
        return tickets
    if actor.role == Role.SECTION_STAFF:
        return tickets.filter(section__in=actor.user.profile.sections.all()).exclude(
            status__in=[TicketStatus.NEW, TicketStatus.REGISTERED]
        )
    if actor.role == Role.PARTNER:
        return tickets.filter(partner_reachable(actor.user.profile.partner_id))
    if actor.role == Role.TOURISM_OFFICIAL:
        return tickets.filter(category__skill__code=TOURISM_DESK)
    return tickets.none()


# A partner reads a ticket while it is forwarded to it, and once it is finished from
# there (answered or closed); never once routed elsewhere (dispatched to a section,
# reopened, forwarded to another agency), nor what came after.
PARTNER_READABLE = (
    TicketStatus.FORWARDED_EXTERNAL,
    TicketStatus.RESOLVED,
    TicketStatus.CITIZEN_NOTIFIED,
    TicketStatus.CLOSED,
)


def partner_reachable(partner_id: int | None) -> Q:
    """The tickets a partner agency's users may read (its scope follows the routing)."""
    if partner_id is None:
        return Q(pk__in=[])
    last_forward = (
        TicketEvent.objects.filter(
            ticket=OuterRef(OuterRef("pk")), to_status=TicketStatus.FORWARDED_EXTERNAL
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    dispatched_since = TicketEvent.objects.filter(
        ticket=OuterRef("pk"), to_status=TicketStatus.DISPATCHED, pk__gt=Subquery(last_forward)
    )
    return Q(partner_id=partner_id, status__in=PARTNER_READABLE) & ~Q(Exists(dispatched_since))


def ticket_get_visible(actor: Actor, *, ticket_id: int) -> Ticket | None:
    return ticket_list_visible_to(actor).filter(pk=ticket_id).first()


def ticket_worklist(actor: Actor) -> QuerySet[Ticket]:
    """The tickets waiting for ``actor``'s support line to act."""
    visible = ticket_list_visible_to(actor)
    waiting: list[TicketStatus] | None = {
        Role.AGENT: [TicketStatus.NEW],
        Role.DISPATCHER: [
            TicketStatus.REGISTERED,
            TicketStatus.RETURNED,
            TicketStatus.REOPENED,
            TicketStatus.RESOLVED,
        ],
        Role.SECTION_STAFF: [TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS],
        Role.PARTNER: [TicketStatus.FORWARDED_EXTERNAL],
    }.get(Role(actor.role))
    if waiting is not None:
        visible = visible.filter(status__in=waiting)
    return visible.order_by("resolution_due", "created_at")


def ticket_counts_by_status(actor: Actor) -> dict[str, int]:
    rows = ticket_list_visible_to(actor).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def ticket_public_lookup(*, reference: str, phone_last_digits: str) -> Ticket | None:
    """The ticket whose reference and phone's last four digits both match, else ``None``.

    Unknown references and mismatched digits give the same ``None``, so the
    answer never tells a caller which references exist. Callers rate-limit.
    """
    canonical = parse_reference(reference)
    digits = "".join(ch for ch in to_ascii_digits(phone_last_digits) if ch.isdigit())
    if canonical is None or len(digits) < 4:
        return None
    ticket = (
        Ticket.objects.select_related("category", "contact")
        .prefetch_related("events")
        .filter(reference=canonical)
        .first()
    )
    if ticket is None or not ticket.contact.phone or not ticket.contact.phone.endswith(digits[-4:]):
        return None
    return ticket


# Which SLA alerts each role's workspace shows.
_ALERTS_FOR_ROLE: dict[str, tuple[str, ...]] = {
    Role.SECTION_STAFF: (SLAAlertKind.REMINDER, SLAAlertKind.ESCALATION),
    Role.DISPATCHER: (SLAAlertKind.ESCALATION, SLAAlertKind.CALLBACK),
    Role.SUPERVISOR: tuple(SLAAlertKind.values),
    Role.ADMINISTRATOR: tuple(SLAAlertKind.values),
}


def sla_alert_list_for(actor: Actor, *, limit: int = 20) -> list[SLAAlert]:
    """The latest reminders and escalations about unfinished tickets ``actor`` may see."""
    kinds = _ALERTS_FOR_ROLE.get(actor.role, ())
    if not kinds:
        return []
    visible = ticket_list_visible_to(actor).exclude(status=TicketStatus.CLOSED)
    alerts = (
        SLAAlert.objects.filter(kind__in=kinds, ticket__in=visible.values("pk"))
        .select_related("ticket")
        .order_by("-created_at", "-pk")
    )
    return list(alerts[:limit])
