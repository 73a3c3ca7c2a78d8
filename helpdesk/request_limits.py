"""Request bodies are refused past their size before they are read (ASGI layer).

Daphne hands a body to the application in chunks; Django's handler gathers all
of it before the view runs, so a limit checked in a view comes after the whole
body sat in memory or on disk. Here a declared ``Content-Length`` over the
route's limit is answered 413 at once, unread, and a body sent without one
(chunked) is cut off — the application sees the client go away — and answered
413 as soon as it passes the limit.

Limits (settings, from the environment): ``NIDAA_SOCIAL_WEBHOOK_MAX_BYTES`` for
the platforms' webhooks under ``/social/`` (Meta batches up to 1000 events),
``NIDAA_MAX_REQUEST_BYTES`` for everything else (an 8 MB photo in a form).
nginx enforces the same figures first (docs/nginx-nidaa.conf).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

# Room for a multipart form's boundaries and fields around the largest file.
FORM_OVERHEAD = 64 * 1024


def limit_for(path: str) -> int:
    if path.startswith("/social/"):
        return int(settings.NIDAA_SOCIAL_WEBHOOK_MAX_BYTES) + FORM_OVERHEAD
    return int(settings.NIDAA_MAX_REQUEST_BYTES)


def _declared_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": b"Request body too large.\n"})


class BodySizeLimit:
    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.application(scope, receive, send)
            return
        limit = limit_for(scope.get("path", ""))
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send)
            return
        received = 0
        exceeded = False
        responded = False

        async def counted_receive() -> dict[str, Any]:
            nonlocal received, exceeded
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}  # Django stops reading: RequestAborted
            return dict(message)

        async def tracked_send(message: dict[str, Any]) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        await self.application(scope, counted_receive, tracked_send)
        if exceeded and not responded:
            await _too_large(send)
