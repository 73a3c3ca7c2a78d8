"""Webhooks of the platforms: verify, parse, hand to one service, answer."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from social.services import facebook_payload_receive, x_activity_receive
from social.signatures import facebook_signature_valid, x_signature, x_signature_valid

logger = logging.getLogger(__name__)


def _forbidden(reason: str, request: HttpRequest) -> HttpResponse:
    logger.warning(
        "webhook %s rejected: %s (from %s)", request.path, reason, request.META.get("REMOTE_ADDR")
    )
    return HttpResponse(status=403)


def _json_body(request: HttpRequest) -> dict | None:
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


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
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not facebook_signature_valid(request.body, signature, settings.NIDAA_FACEBOOK_APP_SECRET):
        return _forbidden("bad or missing X-Hub-Signature-256", request)
    payload = _json_body(request)
    if payload is None:
        return HttpResponseBadRequest()
    facebook_payload_receive(payload=payload)
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
    signature = request.headers.get("x-twitter-webhooks-signature", "")
    if not x_signature_valid(request.body, signature, secret):
        return _forbidden("bad or missing x-twitter-webhooks-signature", request)
    payload = _json_body(request)
    if payload is None:
        return HttpResponseBadRequest()
    x_activity_receive(payload=payload)
    return HttpResponse(status=200)
