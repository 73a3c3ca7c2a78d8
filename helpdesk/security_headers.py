"""Headers every page answers with (settings.MIDDLEWARE, after WhiteNoise).

- ``Content-Security-Policy`` on every HTML page: scripts, styles, images and
  connections (WebSockets included) from this site only, no framing, no plugins.
  The pages hold no inline script (the console's configuration is a JSON data
  block), so an injected ``<script>`` would not run.
- ``Cache-Control: no-store`` on every dynamic response: pages and API answers
  carry citizens' names, numbers and transcripts, which must not stay in a
  shared or browser cache. Static files (served by WhiteNoise before this) keep
  their long caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return response  # DEBUG's static view; in production WhiteNoise answered first
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
