"""Open311 GeoReport v2 (`docs/open311.md`): discovery, services, requests, tokens.

Every path ends in `.json` or `.xml`, the answer's format, as the specification
says. Errors are its list of `{"code", "description"}` with the same HTTP status.
Texts are in Arabic or English, chosen by a `locale` parameter or Accept-Language.
The handlers are thin: they parse, call `helpdesk.services.open311` or
`helpdesk.selectors.open311`, and render.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any, Literal
from xml.etree import ElementTree

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from helpdesk import ratelimit
from helpdesk.api.base import StableNinjaAPI
from helpdesk.errors import DomainError, InvalidInput, NotFound, RateLimited
from helpdesk.models import Open311ApiKey
from helpdesk.selectors import open311 as open311_selectors
from helpdesk.services.open311 import open311_key_authenticate, open311_request_submit
from helpdesk.views.public import PORTAL_PER_ADDRESS, client_address
from helpdesk.views.tickets import photos_from_uploads

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T00:00:00Z"
Format = Literal["json", "xml"]

# The element name of one item of each list, for the XML form.
_XML_ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Problem(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# ---- rendering ----------------------------------------------------------------------


def _xml_fill(parent: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_fill(ElementTree.SubElement(parent, key), item)
    elif isinstance(value, list):
        for item in value:
            _xml_fill(ElementTree.SubElement(parent, _XML_ITEM.get(parent.tag, "item")), item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = str(value)


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as XML under `root` (lists become one element per item)."""
    if fmt == "xml":
        element = ElementTree.Element(root)
        _xml_fill(element, data)
        body = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _format_of(request: HttpRequest) -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def _errors(request: HttpRequest, status: int, description: str) -> HttpResponse:
    return render(
        [{"code": status, "description": description}],
        _format_of(request),
        root="errors",
        status=status,
    )


api = StableNinjaAPI(
    operation_id_prefix="helpdesk_open311_api",
    title="Nidaa Open311 GeoReport v2",
    version="v2",
    urls_namespace="open311",
    docs_url=None,
    openapi_url=None,
)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    names = sorted({str(error["loc"][-1]) for error in exc.errors if error.get("loc")} - {"fmt"})
    if not names:
        return _errors(request, 404, _("Answers come as .json or .xml."))
    return _errors(request, 400, _("Not valid: %(fields)s.") % {"fields": ", ".join(names)})


@api.exception_handler(Open311Problem)
def _problem(request: HttpRequest, exc: Open311Problem) -> HttpResponse:
    return _errors(request, exc.status, exc.description)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = 404 if isinstance(exc, NotFound) else 429 if isinstance(exc, RateLimited) else 400
    return _errors(request, status, exc.message)


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _errors(request, exc.status_code, str(exc))


def _language(request: HttpRequest, locale: str) -> str:
    wanted = (locale or "").strip().lower()[:2]
    if wanted in ("ar", "en"):
        return wanted
    return translation.get_language_from_request(request)[:2]


def localized(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run `view` in the language the client asked for."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        locale = request.GET.get("locale") or request.POST.get("locale") or ""
        with translation.override(_language(request, locale)):
            return view(request, *args, **kwargs)

    return wrapped


# ---- schemas (the OpenAPI document describes the JSON form) ------------------------


class Open311Error(Schema):
    code: int
    description: str


class Endpoint(Schema):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class Discovery(Schema):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str
    group: str


class AttributeValue(Schema):
    key: str
    name: str


class Attribute(Schema):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[AttributeValue]


class ServiceDefinition(Schema):
    service_code: str
    attributes: list[Attribute]


class RequestCreated(Schema):
    service_request_id: str
    token: str
    service_notice: str | None
    account_id: str | None


class ServiceRequest(Schema):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str
    service_code: str
    description: str | None
    agency_responsible: str
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class TokenAnswer(Schema):
    service_request_id: str
    token: str


class NewRequest(Schema):
    """POST Service Request's fields (form-encoded or multipart), named as in the spec."""

    api_key: str = Field("", description="the key issued with manage.py open311_key (required)")
    jurisdiction_id: str = Field("", description="accepted and ignored: one jurisdiction")
    service_code: str = Field("", description="a service_code from GET Service List (required)")
    lat: str = Field("", description="WGS84 latitude; lat/long or address_string is required")
    long: str = Field("", description="WGS84 longitude")
    address_string: str = Field("", description="address or landmark, as typed")
    address_id: str = Field("", description="accepted and ignored")
    email: str = Field("", description="the citizen's e-mail address")
    device_id: str = Field("", description="kept with the request")
    account_id: str = Field("", description="kept with the request and answered back")
    first_name: str = ""
    last_name: str = ""
    phone: str = Field(
        "", description="the citizen's mobile number (required: the reference is sent by SMS)"
    )
    description: str = Field("", description="what is wrong (required)")
    media_url: str = Field("", description="an http(s) link to a photo; kept, never fetched")
    locale: str = Field("", description="ar or en: the language of the answer and of the SMS")


ERRORS: dict[int, Any] = {400: list[Open311Error], 403: list[Open311Error], 404: list[Open311Error]}


# ---- endpoints ------------------------------------------------------------------------


def discovery_payload(request: HttpRequest) -> dict[str, Any]:
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"}))
    return {
        "changeset": CHANGESET,
        "contact": _("Contact center, hotline 1111"),
        "key_service": _("API keys are issued by the contact center's administrators."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


@api.get(
    "/discovery.{fmt}",
    response={200: Discovery},
    url_name="discovery",
    summary="Service discovery",
    tags=["open311"],
)
@localized
def discovery(request: HttpRequest, fmt: Format, locale: str = "") -> HttpResponse:
    """Where the GeoReport v2 endpoint is and which formats it speaks."""
    return render(discovery_payload(request), fmt, root="discovery")


@api.get(
    "/v2/services.{fmt}",
    response={200: list[Service], **ERRORS},
    url_name="services",
    summary="GET Service List",
    tags=["open311"],
)
@localized
def services(
    request: HttpRequest, fmt: Format, jurisdiction_id: str = "", locale: str = ""
) -> HttpResponse:
    """Every public category, as a service."""
    rows = [
        open311_selectors.open311_service_payload(c)
        for c in open311_selectors.open311_category_list()
    ]
    return render(rows, fmt, root="services")


@api.get(
    "/v2/services/{service_code}.{fmt}",
    response={200: ServiceDefinition, **ERRORS},
    url_name="service_definition",
    summary="GET Service Definition",
    tags=["open311"],
)
@localized
def service_definition(
    request: HttpRequest,
    service_code: str,
    fmt: Format,
    jurisdiction_id: str = "",
    locale: str = "",
) -> HttpResponse:
    """The extra fields a service asks for (none today)."""
    category = open311_selectors.open311_category_get(service_code)
    if category is None:
        raise Open311Problem(404, _("There is no service with this service_code."))
    return render(
        open311_selectors.open311_service_definition(category), fmt, root="service_definition"
    )


def _decimal(value: str, name: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise InvalidInput(_("%(name)s is not a number.") % {"name": name}) from None


def _key(raw: str) -> Open311ApiKey:
    if not raw:
        raise Open311Problem(403, _("api_key was not provided."))
    key = open311_key_authenticate(raw)
    if key is None:
        raise Open311Problem(403, _("api_key is not valid or was revoked."))
    return key


@api.post(
    "/v2/requests.{fmt}",
    response={200: list[RequestCreated], **ERRORS, 429: list[Open311Error]},
    url_name="request_create",
    summary="POST Service Request",
    tags=["open311"],
)
@localized
def request_create(
    request: HttpRequest,
    fmt: Format,
    data: Form[NewRequest],
    media: UploadedFile | None = File(None),  # noqa: B008 - how ninja declares an upload
) -> HttpResponse:
    """File a report (form-encoded, or multipart with a photo in `media`).

    The answer's `service_request_id` is the ticket's reference; the citizen gets
    it by SMS too.
    """
    key = _key(data.api_key or request.GET.get("api_key", ""))
    if not data.service_code:
        raise Open311Problem(400, _("service_code was not provided."))
    category = open311_selectors.open311_category_get(data.service_code)
    if category is None:
        raise Open311Problem(404, _("There is no service with this service_code."))
    if not data.phone.strip():
        raise Open311Problem(400, _("phone was not provided: the reference is sent by SMS."))
    latitude, longitude = _decimal(data.lat, "lat"), _decimal(data.long, "long")
    if not ratelimit.hit(PORTAL_PER_ADDRESS, client_address(request)):
        raise RateLimited(_("Too many reports from this connection. Please try again later."))
    photos = photos_from_uploads([media] if media is not None else [])
    filed = open311_request_submit(
        api_key=key,
        category=category,
        description=data.description,
        phone=data.phone,
        first_name=data.first_name,
        last_name=data.last_name,
        email_address=data.email,
        latitude=latitude,
        longitude=longitude,
        address=data.address_string,
        media_url=data.media_url,
        photo=photos[0] if photos else None,
        device_id=data.device_id,
        account_id=data.account_id,
        language=translation.get_language()[:2],
    )
    answer = {
        "service_request_id": filed.ticket.reference,
        "token": filed.token,
        "service_notice": None,
        "account_id": filed.account_id or None,
    }
    return render([answer], fmt, root="service_requests")


def _moment(value: str, name: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise Open311Problem(
            400, _("%(name)s is not a date and time like 2026-01-31T08:00:00Z.") % {"name": name}
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _viewer(raw: str) -> Open311ApiKey | None:
    return _key(raw) if raw else None


@api.get(
    "/v2/requests.{fmt}",
    response={200: list[ServiceRequest], **ERRORS},
    url_name="requests",
    summary="GET Service Requests",
    tags=["open311"],
)
@localized
def requests_list(
    request: HttpRequest,
    fmt: Format,
    service_request_id: str = "",
    service_code: str = "",
    start_date: str = "",
    end_date: str = "",
    status: str = "",
    api_key: str = "",
    jurisdiction_id: str = "",
    locale: str = "",
) -> HttpResponse:
    """Requests filed through Open311, by reference(s) or by service, dates and status.

    With the `api_key` that filed a request its description, address, location
    and media come too.
    """
    viewer = _viewer(api_key)
    statuses = _split(status)
    if set(statuses) - {"open", "closed"}:
        raise Open311Problem(400, _("status is open, closed or both."))
    start, end = _moment(start_date, "start_date"), _moment(end_date, "end_date")
    if start and end and (end < start or end - start > open311_selectors.DEFAULT_SPAN):
        raise Open311Problem(400, _("The dates may span at most 90 days."))
    found = open311_selectors.open311_request_list(
        references=_split(service_request_id),
        service_codes=_split(service_code),
        start=start,
        end=end,
        statuses=statuses,
    )
    rows = [open311_selectors.open311_request_payload(r, viewer=viewer) for r in found]
    return render(rows, fmt, root="service_requests")


@api.get(
    "/v2/requests/{service_request_id}.{fmt}",
    response={200: list[ServiceRequest], **ERRORS},
    url_name="request",
    summary="GET Service Request",
    tags=["open311"],
)
@localized
def request_detail(
    request: HttpRequest,
    service_request_id: str,
    fmt: Format,
    api_key: str = "",
    jurisdiction_id: str = "",
    locale: str = "",
) -> HttpResponse:
    """One request by its reference (a list of one, as the specification says)."""
    viewer = _viewer(api_key)
    found = open311_selectors.open311_request_list(references=[service_request_id])
    if not found:
        raise Open311Problem(404, _("There is no request with this service_request_id."))
    rows = [open311_selectors.open311_request_payload(found[0], viewer=viewer)]
    return render(rows, fmt, root="service_requests")


@api.get(
    "/v2/tokens/{token}.{fmt}",
    response={200: list[TokenAnswer], **ERRORS},
    url_name="token",
    summary="GET service_request_id from a token",
    tags=["open311"],
)
@localized
def token_detail(
    request: HttpRequest, token: str, fmt: Format, jurisdiction_id: str = "", locale: str = ""
) -> HttpResponse:
    """The reference a token from POST Service Request stands for."""
    found = open311_selectors.open311_request_by_token(token)
    if found is None:
        raise Open311Problem(404, _("There is no request with this token."))
    rows = [{"service_request_id": found.ticket.reference, "token": found.token}]
    return render(rows, fmt, root="service_requests")
