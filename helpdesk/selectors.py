"""Reads: what each role may see, with the joins the pages need."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from helpdesk.models import Role, Ticket, TicketStatus
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
        return tickets.filter(partner_id=actor.user.profile.partner_id).exclude(
            partner__isnull=True
        )
    return tickets.none()


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
