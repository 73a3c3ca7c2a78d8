"""Webhooks of the platforms: verify the signature, keep the body, answer at once.

Nothing is parsed here: the body goes to the inbox journal as it came and the
worker reads it (``social.journal``), so no payload can make the platform
wait, see a 500, or redeliver a batch for ever.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from social.inbox import inbox_store
from social.models import InboxSource
from social.signatures import facebook_signature_valid, x_signature, x_signature_valid

logger = logging.getLogger(__name__)


def _too_large(request: HttpRequest) -> HttpResponse:
    logger.error(
        "webhook %s body over SOCIAL_WEBHOOK_MAX_BYTES (%s bytes declared) refused",
        request.path,
        request.META.get("CONTENT_LENGTH"),
    )
    return HttpResponse(status=413)


def _forbidden(reason: str, request: HttpRequest) -> HttpResponse:
    logger.warning(
        "webhook %s rejected: %s (from %s)", request.path, reason, request.META.get("REMOTE_ADDR")
    )
    return HttpResponse(status=403)


# The headers worth keeping beside a body (for audits and for reading it again).
KEPT_HEADERS = (
    "Content-Type",
    "User-Agent",
    "X-Hub-Signature-256",
    "x-twitter-webhooks-signature",
)


def _raw_body(request: HttpRequest) -> bytes | None:
    """The body as sent, up to the journal's cap (Django's form-size limit does not apply)."""
    cap = settings.NIDAA_SOCIAL_WEBHOOK_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > cap:
        return None
    body = request.read(cap + 1)
    return body if len(body) <= cap else None


def _kept_headers(request: HttpRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def facebook_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = settings.NIDAA_FACEBOOK_VERIFY_TOKEN
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and hmac.compare_digest(given.encode(), token.encode())
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return _forbidden("verification token mismatch", request)
    body = _raw_body(request)
    if body is None:
        return _too_large(request)
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not facebook_signature_valid(body, signature, settings.NIDAA_FACEBOOK_APP_SECRET):
        return _forbidden("bad or missing X-Hub-Signature-256", request)
    inbox_store(source=InboxSource.FACEBOOK, body=body, headers=_kept_headers(request))
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def x_webhook(request: HttpRequest) -> HttpResponse:
    """The Account Activity API: the CRC challenge and signed event deliveries."""
    secret = settings.NIDAA_X_CONSUMER_SECRET
    if request.method == "GET":
        crc_token = request.GET.get("crc_token", "")
        if not (crc_token and secret):
            return HttpResponseBadRequest()
        return JsonResponse({"response_token": x_signature(crc_token.encode(), secret)})
    body = _raw_body(request)
    if body is None:
        return _too_large(request)
    signature = request.headers.get("x-twitter-webhooks-signature", "")
    if not x_signature_valid(body, signature, secret):
        return _forbidden("bad or missing x-twitter-webhooks-signature", request)
    inbox_store(source=InboxSource.X_ACTIVITY, body=body, headers=_kept_headers(request))
    return HttpResponse(status=200)
