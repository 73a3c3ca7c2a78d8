"""REST API v1 on django-ninja (documented in ``docs/api.md`` and at ``/api/docs/``).

Staff authenticate with their session (writes need the CSRF token); partner
agencies' systems with ``Authorization: Bearer <token>``. Every ticket is read
through the caller's scope: another section's or agency's ticket is a 404.
Every error is ``{"error": {"code", "message"}}`` with 400/401/403/404/405/409/429.

The handlers answer with the shapes of ``helpdesk.payloads`` as they are; the
schemas below describe those shapes for the OpenAPI document, and a test checks
that the answers match them.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from helpdesk import safe_json
from helpdesk.api.base import StableNinjaAPI
from helpdesk.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    NotInScope,
    RateLimited,
    TransitionNotAllowed,
)
from helpdesk.forms import TicketFilterForm
from helpdesk.models import AccessVia, Partner, Section, Ticket
from helpdesk.payloads import ticket_staff_payload
from helpdesk.privacy.access import access_record_ticket
from helpdesk.privacy.visibility import event_visible, ticket_fields_for
from helpdesk.public_status import not_found_message, public_status_check
from helpdesk.roles import Actor, role_of
from helpdesk.selectors import tickets as ticket_selectors
from helpdesk.selectors import worklists
from helpdesk.services.api_tokens import partner_token_authenticate
from helpdesk.services.tickets import (
    ticket_dispatch,
    ticket_forward_to_partner,
    ticket_note_add,
    ticket_transition,
    transitions_for,
)
from helpdesk.views.public import client_address

STATUS_FOR: dict[type[DomainError], int] = {
    InvalidInput: 400,
    TransitionNotAllowed: 409,
    NotInScope: 404,
    NotFound: 404,
    RateLimited: 429,
}
MAX_PAGE_SIZE = 100
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiRefusal(Exception):
    """A refusal of the edge itself (authentication, role, CSRF), not of the domain."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


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


def _actor(user: Any) -> Actor:
    role = role_of(user)
    if role is None:
        raise ApiRefusal(403, "forbidden", _("Your role may not use this endpoint."))
    return Actor(user=user, role=role)


class PartnerToken(HttpBearer):
    """``Authorization: Bearer ndp_…``: a partner agency's system.

    Any Authorization header decides alone: a wrong one is refused, never
    passed on to the session.
    """

    def __call__(self, request: HttpRequest) -> Actor | None:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _sep, raw = header.partition(" ")
        return self.authenticate(request, raw.strip() if scheme.lower() == "bearer" else "")

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        user = partner_token_authenticate(token) if token else None
        if user is None:
            raise ApiRefusal(401, "unauthenticated", _("The API token is not valid."))
        return _actor(user)


class StaffSession(APIKeyCookie):
    """The staff session cookie; writes also need the CSRF token (``X-CSRFToken``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, for writes only, by Django itself

    def __call__(self, request: HttpRequest) -> Actor | None:
        return self.authenticate(request, None)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and _csrf_refused(request):
            raise ApiRefusal(403, "csrf_failed", _("The CSRF token is missing or wrong."))
        return _actor(request.user)


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = safe_json.loads(request.body)
        except safe_json.MalformedJson as exc:
            raise InvalidInput(exc.message, code=exc.code) from None
        if not isinstance(data, dict):
            raise InvalidInput(_("The body must be a JSON object."), code="invalid_json")
        return data


api = StableNinjaAPI(
    operation_id_prefix="helpdesk_api",
    title="Nidaa REST API",
    version="1",
    description="Tickets for staff and partner agencies, and the citizen's status look-up.",
    urls_namespace="api-v1",
    auth=[PartnerToken(), StaffSession()],
    parser=JsonObjectParser(),
    docs_url=None,
    openapi_url=None,
)


@api.exception_handler(ApiRefusal)
def _refused(request: HttpRequest, exc: ApiRefusal) -> HttpResponse:
    return error(exc.status, exc.code, exc.message)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(_status_of(exc), exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(401, "unauthenticated", _("Sign in or send an API token."))


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # the body parser's refusal
        return _domain(request, exc.__cause__)
    return error(exc.status_code, "invalid_input", str(exc))


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    for problem in exc.errors:
        location = [str(part) for part in problem.get("loc", ())]
        if location and location[0] == "body" and len(location) > 2:
            return error(400, "invalid_input", _("“%(key)s” must be text.") % {"key": location[-1]})
    return error(400, "invalid_json", _("The body must be a JSON object."))


# ---- what the answers look like ------------------------------------------------------


class ApiErrorDetail(Schema):
    code: str
    message: str


class ApiErrorOut(Schema):
    error: ApiErrorDetail


class Location(Schema):
    lat: float
    lng: float


class TicketContact(Schema):
    name: str
    phone: str


class TicketOut(Schema):
    id: int
    reference: str
    status: str
    status_label: str
    channel: str
    priority: str
    category: str
    directorate: str
    section: str
    partner: str | None
    subject: str
    description: str
    address: str
    location: Location | None
    # null for a role that does not need the citizen (a partner: helpdesk/privacy/visibility.py)
    contact: TicketContact | None
    created_at: str
    updated_at: str
    resolution_due: str | None
    resolved_at: str | None
    closed_at: str | None


class TicketEventOut(Schema):
    at: str
    kind: str
    from_status: str | None = Field(alias="from")
    to_status: str | None = Field(alias="to")
    note: str
    public: bool
    actor_role: str


class TicketDetailOut(TicketOut):
    actions: list[str]
    events: list[TicketEventOut]


class TicketPage(Schema):
    count: int
    page: int
    pages: int
    results: list[TicketOut]


class NoteOut(Schema):
    at: str
    note: str
    public: bool


class NoteList(Schema):
    results: list[NoteOut]


class TimelineEntry(Schema):
    at: str
    status: str | None
    note: str


class PublicTicket(Schema):
    reference: str
    status: str
    status_label: str
    category: str
    created_at: str
    updated_at: str
    timeline: list[TimelineEntry]


class PublicStatusOut(Schema):
    ticket: PublicTicket


# ---- what the requests carry ---------------------------------------------------------


class TicketFilters(Schema):
    """Read by ``TicketFilterForm`` from the query string; all optional."""

    status: str = ""
    category: str = Field("", description="category code")
    directorate: str = Field("", description="directorate code")
    section: str = Field("", description="section code")
    partner: str = Field("", description="partner agency code")
    channel: str = ""
    date_from: str = Field("", description="YYYY-MM-DD, creation date, inclusive")
    date_to: str = Field("", description="YYYY-MM-DD, creation date, inclusive")
    reference: str = Field("", description="as citizens type it: 2026/12, MCT 2026 12 …")
    phone: str = Field("", description="any trailing digits")
    q: str = Field("", description="text in subject, details, address")
    sort: str = Field("", description="-created_at (default), created_at, resolution_due …")
    page: str = ""
    page_size: str = Field("", description="1–100, default 25")


class TransitionIn(Schema):
    action: str = ""
    note: str = ""
    section: str | None = Field(None, description="dispatch: a section code to forward to")
    partner: str = Field("", description="forward_external: the partner agency's code")


class NoteIn(Schema):
    note: str = ""
    public: Annotated[Any, Field(json_schema_extra={"type": "boolean"})] = Field(
        False, description="true: a public reply the citizen sees; anything else: internal"
    )


class StatusLookupIn(Schema):
    reference: str = ""
    phone_last_digits: str = ""


ERRORS: dict[int, Any] = {code: ApiErrorOut for code in (400, 401, 403, 404, 405)}


# ---- endpoints -----------------------------------------------------------------------


def _ticket(actor: Actor, ticket_id: int) -> Ticket:
    ticket = ticket_selectors.ticket_get_visible(actor, ticket_id=ticket_id)
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def _detail(ticket: Ticket, actor: Actor) -> dict[str, Any]:
    fields = ticket_fields_for(actor.role)
    payload = ticket_staff_payload(ticket, fields)
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
        if event_visible(event, fields)
    ]
    return payload


@api.get(
    "/tickets/",
    response={200: TicketPage, **ERRORS},
    url_name="api_tickets",
    summary="List and search tickets",
    tags=["tickets"],
)
def tickets(request: HttpRequest, filters: Query[TicketFilters]) -> HttpResponse:
    actor: Actor = request.auth  # type: ignore[attr-defined]
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
    paginator = Paginator(worklists.ticket_search(actor, form.filters()), size)
    fields = ticket_fields_for(actor.role)
    page = paginator.get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [ticket_staff_payload(t, fields) for t in page.object_list],
        }
    )


@api.get(
    "/tickets/{int:ticket_id}/",
    response={200: TicketDetailOut, **ERRORS},
    url_name="api_ticket",
    by_alias=True,
    summary="One ticket, with what the caller may do and its timeline",
    tags=["tickets"],
)
def ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    found = _ticket(actor, ticket_id)
    access_record_ticket(request, found, actor=actor, via=AccessVia.API)
    return JsonResponse(_detail(found, actor))


@api.post(
    "/tickets/{int:ticket_id}/transitions/",
    response={200: TicketDetailOut, **ERRORS, 409: ApiErrorOut},
    url_name="api_ticket_transitions",
    by_alias=True,
    summary="Move a ticket through its lifecycle",
    tags=["tickets"],
)
def ticket_transitions(
    request: HttpRequest, ticket_id: int, body: TransitionIn | None = None
) -> HttpResponse:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    body = body or TransitionIn.model_validate({})  # an empty body is an empty object
    found = _ticket(actor, ticket_id)
    if body.action == "forward_external":
        partner = Partner.objects.filter(code=body.partner, is_active=True).first()
        if partner is None:
            raise InvalidInput(_("Name an active partner agency."), code="unknown_partner")
        ticket_forward_to_partner(ticket=found, actor=actor, partner=partner, note=body.note)
    elif body.action == "dispatch":
        section = None
        if body.section:
            section = Section.objects.filter(code=body.section, is_active=True).first()
            if section is None:
                raise InvalidInput(_("Name an active section."), code="unknown_section")
        ticket_dispatch(ticket=found, actor=actor, section=section, note=body.note)
    else:
        ticket_transition(ticket=found, action=body.action, actor=actor, note=body.note)
    found.refresh_from_db()
    return JsonResponse(_detail(found, actor))


@api.get(
    "/tickets/{int:ticket_id}/notes/",
    response={200: NoteList, **ERRORS},
    url_name="api_ticket_notes",
    summary="A ticket's notes and public replies",
    tags=["tickets"],
)
def ticket_notes(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    notes = (
        _ticket(actor, ticket_id)
        .events.filter(kind__in=("note", "reply"))
        .order_by("created_at", "pk")
    )
    fields = ticket_fields_for(actor.role)
    return JsonResponse(
        {
            "results": [
                {"at": n.created_at.isoformat(), "note": n.note, "public": n.is_public}
                for n in notes
                if event_visible(n, fields)
            ]
        }
    )


@api.post(
    "/tickets/{int:ticket_id}/notes/",
    response={201: NoteOut, **ERRORS},
    url_name="api_ticket_note_add",
    summary="Add a note (internal) or a public reply",
    tags=["tickets"],
)
def ticket_note_create(
    request: HttpRequest, ticket_id: int, body: NoteIn | None = None
) -> HttpResponse:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    body = body or NoteIn.model_validate({})
    event = ticket_note_add(
        ticket=_ticket(actor, ticket_id), actor=actor, note=body.note, public=body.public is True
    )
    return JsonResponse(
        {"at": event.created_at.isoformat(), "note": event.note, "public": event.is_public},
        status=201,
    )


@api.post(
    "/status/",
    auth=None,
    response={200: PublicStatusOut, 400: ApiErrorOut, 404: ApiErrorOut, 429: ApiErrorOut},
    url_name="api_public_status",
    summary="The citizen's status look-up (no login)",
    tags=["public"],
)
def public_status(request: HttpRequest, body: StatusLookupIn | None = None) -> HttpResponse:
    """Reference + last digits of the phone → the public status, or one plain 404.

    Nothing is changed and no session is used, so no CSRF token is needed.
    """
    body = body or StatusLookupIn.model_validate({})
    payload = public_status_check(
        reference=body.reference,
        phone_last_digits=body.phone_last_digits,
        client_address=client_address(request),
    )
    if payload is None:
        return error(404, "not_found", not_found_message())
    return JsonResponse({"ticket": payload})


def _method_not_allowed(request: HttpRequest) -> HttpResponse:
    return error(405, "method_not_allowed", _("Method not allowed."))


def _method_not_allowed_on_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _method_not_allowed(request)


# Every other method on these paths answers in the API's error shape (not in the schema).
_ALLOWED = {
    "/tickets/": {"GET"},
    "/tickets/{int:ticket_id}/": {"GET"},
    "/tickets/{int:ticket_id}/transitions/": {"POST"},
    "/tickets/{int:ticket_id}/notes/": {"GET", "POST"},
    "/status/": {"POST"},
}
for _path, _methods in _ALLOWED.items():
    api.api_operation(
        sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} - _methods),
        _path,
        auth=None,
        include_in_schema=False,
    )(_method_not_allowed_on_ticket if "ticket_id" in _path else _method_not_allowed)
