"""HTTP edges of the citizen's chat (thin: parse, call one service, answer JSON).

These endpoints use no cookies: the pre-chat form returns a signed session token
and later calls carry it, so there is no ambient credential for a cross-site
request to borrow, and CSRF protection has nothing to protect.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from chat import selectors, services
from chat.cors import widget_cors
from chat.frames import FrameError, client_msg_id_check
from chat.session import conversation_for_session, session_from_token, session_token
from helpdesk import ratelimit, safe_json
from helpdesk.errors import DomainError
from helpdesk.media import MAX_IMAGE_BYTES
from helpdesk.payloads import attachment_payload
from helpdesk.services.uploads import upload_daily_limit

SESSION_LIMIT = ratelimit.Limit("chat.session", 10, 60)
OFFLINE_LIMIT = ratelimit.Limit("chat.offline", 5, 60)
UPLOAD_LIMIT = ratelimit.Limit("chat.upload", 20, 60)
MAX_JSON_BYTES = 32 * 1024


def _error(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_JSON_BYTES:
        raise DomainError(_("The request is too large."), code="too_large")
    try:
        body = safe_json.loads(request.body or b"{}")
    except safe_json.MalformedJson as exc:
        raise DomainError(exc.message, code=exc.code) from None
    if not isinstance(body, dict):
        raise DomainError(_("The request must be a JSON object."), code="invalid_json")
    return body


def _text(body: dict[str, Any], name: str, *, max_length: int = 200) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > max_length:
        raise DomainError(_("“%(field)s” is not valid.") % {"field": name}, code="invalid_input")
    return value


def _language(body: dict[str, Any]) -> str:
    return "en" if body.get("language") == "en" else "ar"


def _answer(call: Any) -> JsonResponse:
    try:
        return call()
    except DomainError as exc:
        return _error(exc.code, exc.message)
    except FrameError as exc:
        return _error(exc.code, exc.message)


@widget_cors
@require_GET
def status(request: HttpRequest) -> JsonResponse:
    """Whether a chat started now reaches a person, and the chat hours."""
    desk = safe_json.storable(request.GET.get("desk", "")[:50])
    return JsonResponse(selectors.chat_availability(desk=desk).as_dict())


@widget_cors
@csrf_exempt
@require_POST
def session_start(request: HttpRequest) -> JsonResponse:
    """The pre-chat form: name, optional mobile number, language, service desk."""
    if not ratelimit.hit(SESSION_LIMIT, _address(request)):
        return _error("rate_limited", _("Too many chats started. Try again shortly."), 429)

    def start() -> JsonResponse:
        body = _json_body(request)
        conversation = services.chat_start(
            name=_text(body, "name"),
            phone=_text(body, "phone", max_length=40),
            email=_text(body, "email", max_length=254),
            language=_language(body),
            desk=_text(body, "desk", max_length=50),
        )
        return JsonResponse(
            {"token": session_token(conversation), "conversation": str(conversation.public_id)},
            status=201,
        )

    return _answer(start)


@widget_cors
@csrf_exempt
@require_POST
def leave_message(request: HttpRequest) -> JsonResponse:
    """Out of hours: the message becomes a ticket for tier 1 to register in the morning."""
    if not ratelimit.hit(OFFLINE_LIMIT, _address(request)):
        return _error("rate_limited", _("Too many messages. Try again shortly."), 429)

    def leave() -> JsonResponse:
        body = _json_body(request)
        ticket = services.chat_leave_message(
            name=_text(body, "name"),
            phone=_text(body, "phone", max_length=40),
            language=_language(body),
            desk=_text(body, "desk", max_length=50),
            text=_text(body, "text", max_length=4000),
            client_msg_id=client_msg_id_check("client_msg_id", body.get("client_msg_id")),
        )
        return JsonResponse({"reference": ticket.reference}, status=201)

    return _answer(leave)


@widget_cors
@csrf_exempt
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """An image for the chat; a later ``message`` frame sends it by its id."""
    if not ratelimit.hit(UPLOAD_LIMIT, _address(request)):
        return _error("rate_limited", _("Too many uploads. Try again shortly."), 429)
    if not ratelimit.hit(upload_daily_limit(), _address(request)):
        return _error("rate_limited", _("Too many uploads today. Try again tomorrow."), 429)

    def store() -> JsonResponse:
        conversation = conversation_for_session(session_from_token(request.POST.get("token")))
        file = request.FILES.get("file")
        if file is None:
            raise DomainError(_("Choose an image to send."), code="missing_file")
        if file.size is None or file.size > MAX_IMAGE_BYTES:
            raise DomainError(
                _("The image is too large (at most %(mb)d MB).") % {"mb": MAX_IMAGE_BYTES // 2**20},
                code="too_large",
            )
        attachment = services.chat_image_upload(
            conversation=conversation, data=file.read(), filename=file.name or ""
        )
        return JsonResponse(attachment_payload(attachment), status=201)

    return _answer(store)
