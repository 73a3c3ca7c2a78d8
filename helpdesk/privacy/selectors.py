"""Reads for the privacy pages: the access log, a citizen's record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from helpdesk.models import AccessLog, Contact, Ticket
from helpdesk.references import parse_reference


@dataclass(frozen=True)
class AuditFilters:
    staff: str = ""  # a user name
    contact_id: int | None = None
    ticket: str = ""  # a reference (any common typing) or a ticket id
    start: datetime.date | None = None
    end: datetime.date | None = None  # inclusive, Muscat days


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_list(filters: AuditFilters) -> QuerySet[AccessLog]:
    rows = AccessLog.objects.all()
    if filters.staff:
        rows = rows.filter(username__iexact=filters.staff)
    if filters.contact_id is not None:
        rows = rows.filter(contact_id=filters.contact_id)
    if filters.ticket:
        ticket_id = int(filters.ticket) if filters.ticket.isdigit() else None
        reference = parse_reference(filters.ticket)
        if reference is not None:
            ticket_id = (
                Ticket.objects.filter(reference=reference).values_list("pk", flat=True).first()
            )
        rows = rows.filter(ticket_id=ticket_id) if ticket_id is not None else rows.none()
    if filters.start is not None:
        rows = rows.filter(at__gte=_start_of(filters.start))
    if filters.end is not None:
        rows = rows.filter(at__lt=_start_of(filters.end + datetime.timedelta(days=1)))
    return rows.order_by("-at", "-pk")


def contact_search(query: str, *, limit: int = 50) -> QuerySet[Contact]:
    query = query.strip()
    if not query:
        return Contact.objects.none()
    match = Q(name__icontains=query) | Q(email__iexact=query) | Q(phone__endswith=query)
    if query.isdigit():
        match |= Q(pk=int(query))
    return Contact.objects.filter(match).order_by("-created_at")[:limit]
