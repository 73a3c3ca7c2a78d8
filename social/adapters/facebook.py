"""Facebook Graph API through facebook-sdk: Messenger Send API and comment replies."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import facebook
import requests
from django.conf import settings
from django.utils import timezone

from social.adapters import SocialApiError
from social.http import RebasedSession

# Graph error codes that mean "try again later" (temporary, throttled) besides
# the ``is_transient`` flag the API sets itself.
TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613}
# Throttling: application, user, page, custom-level and business use case limits.
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80001, 80015)}
# "This message is sent outside of allowed window" (Send API, code 10).
OUTSIDE_WINDOW_SUBCODE = 2018278

T = TypeVar("T")


def graph_client(access_token: str, *, session: RebasedSession | None = None) -> facebook.GraphAPI:
    """A GraphAPI speaking the configured version to the configured host."""
    graph = facebook.GraphAPI(
        access_token=access_token,
        session=session
        or RebasedSession(
            official=facebook.FACEBOOK_GRAPH_URL, base=settings.NIDAA_FACEBOOK_GRAPH_URL
        ),
    )
    # facebook-sdk 3.1.0's constructor refuses versions after 3.1; every request
    # path is built from this attribute, so a current version is set here.
    version = settings.NIDAA_FACEBOOK_GRAPH_VERSION
    graph.version = version if version.startswith("v") else f"v{version}"
    return graph


class FacebookApi:
    """One page's access to the Graph API."""

    def __init__(self, *, page_id: str, access_token: str) -> None:
        self.page_id = page_id
        self.session = RebasedSession(
            official=facebook.FACEBOOK_GRAPH_URL, base=settings.NIDAA_FACEBOOK_GRAPH_URL
        )
        self.graph = graph_client(access_token, session=self.session)

    @classmethod
    def from_environment(cls, *, page_id: str, token_variable: str) -> FacebookApi:
        token = os.environ.get(token_variable, "")
        if not token:
            raise SocialApiError(
                f"Facebook page token missing: set {token_variable}",
                permanent=True,
                reason="not_configured",
            )
        return cls(page_id=page_id, access_token=token)

    def send_message(self, *, recipient: dict[str, str], text: str) -> str:
        """Send API: ``recipient`` is ``{"id": psid}`` or ``{"comment_id": id}`` (private reply)."""
        result = self._call(
            lambda: self.graph.put_object(
                self.page_id,
                "messages",
                recipient=json.dumps(recipient),
                message=json.dumps({"text": text}, ensure_ascii=False),
                messaging_type="RESPONSE",
            )
        )
        return str(result.get("message_id", ""))

    def user_name(self, psid: str) -> str:
        """Messenger's User Profile API: the name a citizen shows the page."""
        result = self._call(lambda: self.graph.get_object(psid, fields="name"))
        return str(result.get("name") or "")

    def reply_to_comment(self, *, comment_id: str, text: str) -> str:
        result = self._call(lambda: self.graph.put_object(comment_id, "comments", message=text))
        return str(result.get("id", ""))

    def _call(self, request: Callable[[], T]) -> T:
        try:
            return request()
        except facebook.GraphAPIError as exc:
            response = self.session.last_response
            raise _classified(exc, response.headers if response is not None else {}) from exc
        except requests.RequestException as exc:
            raise SocialApiError(f"Facebook unreachable: {exc}", permanent=False) from exc


def regain_access_at(headers: Mapping[str, str]) -> datetime.datetime | None:
    """When Meta says throttling ends: ``Retry-After`` (seconds) or, for business use case
    limits, ``X-Business-Use-Case-Usage``'s ``estimated_time_to_regain_access`` (minutes)."""
    now = timezone.now()
    retry_after = headers.get("Retry-After", "")
    if retry_after.isdigit():
        return now + datetime.timedelta(seconds=int(retry_after))
    try:
        usage = json.loads(headers.get("X-Business-Use-Case-Usage") or "{}")
    except ValueError:
        return None
    minutes = [
        item.get("estimated_time_to_regain_access")
        for items in (usage.values() if isinstance(usage, dict) else [])
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict)
    ]
    longest = max([m for m in minutes if isinstance(m, int | float)], default=0)
    return now + datetime.timedelta(minutes=longest) if longest > 0 else None


def _classified(exc: facebook.GraphAPIError, headers: Mapping[str, str]) -> SocialApiError:
    error: dict[str, Any] = {}
    if isinstance(exc.result, dict) and isinstance(exc.result.get("error"), dict):
        error = exc.result["error"]
    if not error:
        # Not a Graph error body (an HTML 502 page from a proxy …): try again.
        return SocialApiError(f"Facebook answered oddly: {exc}", permanent=False)
    message = f"Facebook: {error.get('message', exc)}"
    if error.get("error_subcode") == OUTSIDE_WINDOW_SUBCODE:
        return SocialApiError(message, permanent=True, reason="outside_messaging_window")
    if error.get("code") in RATE_LIMIT_CODES:
        return SocialApiError(
            message, permanent=False, reason="rate_limited", retry_at=regain_access_at(headers)
        )
    if error.get("is_transient") or error.get("code") in TRANSIENT_CODES:
        return SocialApiError(message, permanent=False)
    if error.get("code") == 190:
        return SocialApiError(message, permanent=True, reason="forbidden")
    return SocialApiError(message, permanent=True)
