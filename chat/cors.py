"""CORS for the widget's HTTP calls, so that the municipality's own site can embed it.

Only the exact origins in ``settings.WIDGET_ORIGINS`` (and the server's own) get
``Access-Control-Allow-Origin``; credentials are never allowed (the widget sends
none: the session is a token in the body). A preflight from any other origin is
refused with a JSON error, and the browser keeps the page from reading answers.
Clients that are not browsers (a mobile app) send no ``Origin`` and need none of this.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Content-Type, Accept-Language"
PREFLIGHT_MAX_AGE = "3600"

View = Callable[[HttpRequest], HttpResponse]


def widget_origin_allowed(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin", "")
    if origin in settings.WIDGET_ORIGINS:
        return True
    return origin == f"{request.scheme}://{request.get_host()}"


def widget_cors(view: View) -> View:
    """Answer preflights and add the CORS headers for an allowed embedding origin."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin")
        allowed = origin is not None and widget_origin_allowed(request)
        if request.method == "OPTIONS" and origin is not None:
            if not allowed:
                return JsonResponse(
                    {
                        "error": {
                            "code": "origin_not_allowed",
                            "message": _("This site may not embed the chat."),
                        }
                    },
                    status=403,
                )
            response: HttpResponse = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = view(request)
        if allowed:
            assert origin is not None
            response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
        return response

    return wrapped
