"""Open311 GeoReport v2 reads: services (our categories) and requests (tickets filed
through Open311), as the specification's field names. Texts follow the active language.

Only tickets filed through Open311 are listed, never a phone call's or a chat's, and
the citizen's own words and place (description, address, location, media) go only to
the key that filed them: anyone may follow a request's status, as on the status page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpdesk.models import Category, Open311ApiKey, Open311Request, TicketStatus
from helpdesk.references import parse_reference

CLOSED_STATUSES = (TicketStatus.RESOLVED, TicketStatus.CITIZEN_NOTIFIED, TicketStatus.CLOSED)
DEFAULT_SPAN = datetime.timedelta(days=90)
MAX_REQUESTS = 200


def _w3c(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def open311_category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("default_section__directorate")


def open311_category_get(service_code: str) -> Category | None:
    return open311_category_list().filter(code=service_code).first()


def open311_service_payload(category: Category) -> dict[str, Any]:
    english = (get_language() or "ar").startswith("en")
    keywords = category.keywords_en if english else category.keywords_ar
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("Handled by %(section)s.") % {"section": category.default_section.name},
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(line.strip() for line in keywords.splitlines() if line.strip()),
        "group": category.directorate.name,
    }


def open311_service_definition(category: Category) -> dict[str, Any]:
    """No category asks for extra fields today, so every definition has no attributes."""
    return {"service_code": category.code, "attributes": []}


def _requests() -> QuerySet[Open311Request]:
    return Open311Request.objects.select_related(
        "ticket__category", "ticket__section__directorate", "ticket__partner"
    ).prefetch_related("ticket__events")


def open311_request_list(
    *,
    references: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    statuses: list[str] | None = None,
) -> list[Open311Request]:
    """Requests by reference (which overrides everything else) or by the filters.

    Without dates the last 90 days are searched; at most ``MAX_REQUESTS`` come back,
    newest first.
    """
    found = _requests()
    if references:
        canonical = [ref for ref in (parse_reference(r) for r in references) if ref]
        return list(found.filter(ticket__reference__in=canonical).order_by("-created_at"))
    if end is None:
        end = timezone.now() if start is None else start + DEFAULT_SPAN
    if start is None:
        start = end - DEFAULT_SPAN
    found = found.filter(ticket__created_at__gte=start, ticket__created_at__lte=end)
    if service_codes:
        found = found.filter(ticket__category__code__in=service_codes)
    if statuses and set(statuses) != {"open", "closed"}:
        if "closed" in statuses:
            found = found.filter(ticket__status__in=CLOSED_STATUSES)
        else:
            found = found.exclude(ticket__status__in=CLOSED_STATUSES)
    return list(found.order_by("-created_at")[:MAX_REQUESTS])


def open311_request_by_token(token: str) -> Open311Request | None:
    return Open311Request.objects.select_related("ticket").filter(token=token).first()


def open311_request_payload(
    request: Open311Request, *, viewer: Open311ApiKey | None
) -> dict[str, Any]:
    ticket = request.ticket
    public_notes = [event.note for event in ticket.events.all() if event.is_public and event.note]
    own = viewer is not None and viewer.pk == request.api_key_id
    agency = ticket.partner if ticket.partner is not None else ticket.section.directorate
    return {
        "service_request_id": ticket.reference,
        "status": "closed" if ticket.status in CLOSED_STATUSES else "open",
        "status_notes": public_notes[-1] if public_notes else None,
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": ticket.description if own else None,
        "agency_responsible": agency.name,
        "service_notice": None,
        "requested_datetime": _w3c(ticket.created_at),
        "updated_datetime": _w3c(ticket.updated_at),
        "expected_datetime": _w3c(ticket.resolution_due),
        "address": (ticket.address or None) if own else None,
        "address_id": None,
        "zipcode": None,
        "lat": float(ticket.latitude) if own and ticket.latitude is not None else None,
        "long": float(ticket.longitude) if own and ticket.longitude is not None else None,
        "media_url": (request.media_url or None) if own else None,
    }
