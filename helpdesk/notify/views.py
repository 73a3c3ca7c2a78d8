"""Webhooks the SMS gateway calls: delivery reports and citizens' replies.

The gateway cannot log in, so each URL carries a secret token
(``NIDAA_SMS_WEBHOOK_TOKEN``); with no token configured the webhooks answer
404. Parameters may come as a query string, a form or a JSON object, because
gateways differ; their names are configuration.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from helpdesk import safe_json
from helpdesk.notify.delivery import notification_delivery_report
from helpdesk.services.sms import sms_inbound_receive


def _authorised(token: str) -> bool:
    expected = settings.NIDAA_SMS_GATEWAY.get("WEBHOOK_TOKEN", "")
    return bool(expected) and constant_time_compare(token, expected)


def _params(request: HttpRequest) -> dict[str, str]:
    """The parameters; ``MalformedJson`` for nesting too deep or text PostgreSQL cannot store."""
    values: dict[str, str] = {key: request.GET.get(key, "") for key in request.GET}
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                body = safe_json.loads(request.body or b"{}")
            except safe_json.MalformedJson as exc:
                if exc.code != "invalid_json":
                    raise
                body = {}  # as before: the query string may still hold the parameters
            if isinstance(body, dict):
                values.update({str(k): str(v) for k, v in body.items() if v is not None})
        else:
            form: QueryDict = request.POST
            values.update({key: form.get(key, "") for key in form})
    if any(safe_json.UNSTORABLE.search(text) for item in values.items() for text in item):
        raise safe_json.MalformedJson("invalid_characters", "NUL or a lone surrogate")
    return values


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_delivery_report(request: HttpRequest, token: str) -> HttpResponse:
    if not _authorised(token):
        return HttpResponse(status=404)
    config = settings.NIDAA_SMS_GATEWAY
    try:
        params = _params(request)
    except safe_json.MalformedJson as exc:
        return HttpResponseBadRequest(exc.code)
    status = params.get(config["DLR_PARAM_STATUS"], "")
    if not status:
        return HttpResponseBadRequest("missing status")
    notification = notification_delivery_report(
        provider_message_id=params.get(config["DLR_PARAM_ID"], ""),
        reference=params.get(config["DLR_PARAM_REFERENCE"], ""),
        status=status,
    )
    # An unknown message is answered 200 too: the gateway must not keep retrying it.
    return HttpResponse("OK" if notification else "UNKNOWN", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_inbound(request: HttpRequest, token: str) -> HttpResponse:
    if not _authorised(token):
        return HttpResponse(status=404)
    config = settings.NIDAA_SMS_GATEWAY
    try:
        params = _params(request)
    except safe_json.MalformedJson as exc:
        return HttpResponseBadRequest(exc.code)
    sender = params.get(config["INBOUND_PARAM_FROM"], "").strip()
    gateway_id = params.get(config["INBOUND_PARAM_ID"], "").strip()
    if not sender or not gateway_id:
        return HttpResponseBadRequest("missing sender or id")
    sms_inbound_receive(
        gateway_id=gateway_id, sender=sender, text=params.get(config["INBOUND_PARAM_TEXT"], "")
    )
    return HttpResponse("OK", content_type="text/plain")
