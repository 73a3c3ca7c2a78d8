"""REST API v1: plain JSON views (documented in ``docs/api.md``).

Staff authenticate with their session (writes need the CSRF token); partner
agencies' systems with ``Authorization: Bearer <token>``. Every ticket is read
through the caller's scope: another section's or agency's ticket is a 404.
Domain errors become ``{"error": {"code", "message"}}`` with 400/403/404/409.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from helpdesk import safe_json, selectors, selectors_tickets
from helpdesk.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    NotInScope,
    RateLimited,
    TransitionNotAllowed,
)
from helpdesk.forms_tickets import TicketFilterForm
from helpdesk.models import Partner, Role, Section, Ticket
from helpdesk.payloads import ticket_staff_payload
from helpdesk.public_status import not_found_message, public_status_check
from helpdesk.roles import Actor, role_of
from helpdesk.services.api_tokens import partner_token_authenticate
from helpdesk.services.tickets import (
    ticket_dispatch,
    ticket_forward_to_partner,
    ticket_note_add,
    ticket_transition,
    transitions_for,
)
from helpdesk.views_public import client_address

STATUS_FOR: dict[type[DomainError], int] = {
    InvalidInput: 400,
    TransitionNotAllowed: 409,
    NotInScope: 404,
    NotFound: 404,
    RateLimited: 429,
}
MAX_PAGE_SIZE = 100
ALL_ROLES = tuple(Role.values)

Endpoint = Callable[..., HttpResponse]


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _status_of(exc: DomainError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS_FOR:
            return STATUS_FOR[kind]
    return 400


def _csrf_refused(request: HttpRequest) -> bool:
    """Django's own CSRF check, applied only to session-authenticated writes."""

    def nothing(_request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    check = CsrfViewMiddleware(nothing)
    check.process_request(request)
    return check.process_view(request, nothing, (), {}) is not None


def _authenticate(request: HttpRequest) -> tuple[Any, JsonResponse | None]:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, raw = header.partition(" ")
        user = partner_token_authenticate(raw.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return None, error(401, "unauthenticated", _("The API token is not valid."))
        return user, None
    if not request.user.is_authenticated:
        return None, error(401, "unauthenticated", _("Sign in or send an API token."))
    if request.method not in ("GET", "HEAD", "OPTIONS") and _csrf_refused(request):
        return None, error(403, "csrf_failed", _("The CSRF token is missing or wrong."))
    return request.user, None


def api_view(
    methods: Collection[str], *, roles: Collection[str] = ALL_ROLES
) -> Callable[[Endpoint], Endpoint]:
    """Authenticate, check the method and the role, and turn domain errors into JSON."""

    def decorate(view: Endpoint) -> Endpoint:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return error(405, "method_not_allowed", _("Method not allowed."))
            user, refusal = _authenticate(request)
            if refusal is not None:
                return refusal
            role = role_of(user)
            if role is None or role not in roles:
                return error(403, "forbidden", _("Your role may not use this endpoint."))
            try:
                return view(request, Actor(user=user, role=role), *args, **kwargs)
            except DomainError as exc:
                return error(_status_of(exc), exc.code, exc.message)

        return wrapped

    return decorate


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = safe_json.loads(request.body or b"{}")
    except safe_json.MalformedJson as exc:
        raise InvalidInput(exc.message, code=exc.code) from None
    if not isinstance(data, dict):
        raise InvalidInput(_("The body must be a JSON object."), code="invalid_json")
    return data


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(_("“%(key)s” must be text.") % {"key": key}, code="invalid_input")
    return value


def _ticket(actor: Actor, ticket_id: int) -> Ticket:
    ticket = selectors.ticket_get_visible(actor, ticket_id=ticket_id)
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def _detail(ticket: Ticket, actor: Actor) -> dict[str, Any]:
    payload = ticket_staff_payload(ticket)
    payload["actions"] = [t.action for t in transitions_for(ticket, actor)]
    payload["events"] = [
        {
            "at": event.created_at.isoformat(),
            "kind": event.kind,
            "from": event.from_status,
            "to": event.to_status,
            "note": event.note,
            "public": event.is_public,
            "actor_role": event.actor_role,
        }
        for event in ticket.events.all()
    ]
    return payload


@api_view({"GET"})
def tickets(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = TicketFilterForm(request.GET)
    if request.GET and not form.is_valid():
        raise InvalidInput(
            "; ".join(
                f"{field}: {' '.join(map(str, errs))}" for field, errs in form.errors.items()
            ),
            code="invalid_filter",
        )
    try:
        size = min(max(int(request.GET.get("page_size", 25)), 1), MAX_PAGE_SIZE)
    except ValueError:
        raise InvalidInput(_("page_size must be a number."), code="invalid_filter") from None
    paginator = Paginator(selectors_tickets.ticket_search(actor, form.filters()), size)
    page = paginator.get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [ticket_staff_payload(t) for t in page.object_list],
        }
    )


@api_view({"GET"})
def ticket(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    return JsonResponse(_detail(_ticket(actor, ticket_id), actor))


@api_view({"POST"})
def ticket_transitions(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    """``{"action": "...", "note": "...", "section": code?, "partner": code?}``."""
    found = _ticket(actor, ticket_id)
    data = _body(request)
    action, note = _text(data, "action"), _text(data, "note")
    if action == "forward_external":
        partner = Partner.objects.filter(code=_text(data, "partner"), is_active=True).first()
        if partner is None:
            raise InvalidInput(_("Name an active partner agency."), code="unknown_partner")
        ticket_forward_to_partner(ticket=found, actor=actor, partner=partner, note=note)
    elif action == "dispatch":
        section = None
        if data.get("section"):
            section = Section.objects.filter(code=_text(data, "section"), is_active=True).first()
            if section is None:
                raise InvalidInput(_("Name an active section."), code="unknown_section")
        ticket_dispatch(ticket=found, actor=actor, section=section, note=note)
    else:
        ticket_transition(ticket=found, action=action, actor=actor, note=note)
    found.refresh_from_db()
    return JsonResponse(_detail(found, actor))


@api_view({"GET", "POST"})
def ticket_notes(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    found = _ticket(actor, ticket_id)
    if request.method == "POST":
        data = _body(request)
        event = ticket_note_add(
            ticket=found, actor=actor, note=_text(data, "note"), public=data.get("public") is True
        )
        return JsonResponse(
            {"at": event.created_at.isoformat(), "note": event.note, "public": event.is_public},
            status=201,
        )
    notes = found.events.filter(kind__in=("note", "reply")).order_by("created_at", "pk")
    return JsonResponse(
        {
            "results": [
                {"at": n.created_at.isoformat(), "note": n.note, "public": n.is_public}
                for n in notes
            ]
        }
    )


@csrf_exempt
def public_status(request: HttpRequest) -> HttpResponse:
    """Anyone: ``{"reference", "phone_last_digits"}`` → the public status, or one plain 404.

    Nothing is changed and no session is used, so no CSRF token is needed.
    """
    if request.method != "POST":
        return error(405, "method_not_allowed", _("Method not allowed."))
    try:
        data = _body(request)
        payload = public_status_check(
            reference=_text(data, "reference"),
            phone_last_digits=_text(data, "phone_last_digits"),
            client_address=client_address(request),
        )
    except DomainError as exc:
        return error(_status_of(exc), exc.code, exc.message)
    if payload is None:
        return error(404, "not_found", not_found_message())
    return JsonResponse({"ticket": payload})
