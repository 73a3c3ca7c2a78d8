"""Facebook Graph API through facebook-sdk: Messenger Send API and comment replies."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

import facebook
import requests
from django.conf import settings

from social.adapters import SocialApiError
from social.http import RebasedSession

# Graph error codes that mean "try again later" (temporary, throttled) besides
# the ``is_transient`` flag the API sets itself.
TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613}
# "This message is sent outside of allowed window" (Send API, code 10).
OUTSIDE_WINDOW_SUBCODE = 2018278

T = TypeVar("T")


def graph_client(access_token: str) -> facebook.GraphAPI:
    """A GraphAPI speaking the configured version to the configured host."""
    graph = facebook.GraphAPI(
        access_token=access_token,
        session=RebasedSession(
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
        self.graph = graph_client(access_token)

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

    @staticmethod
    def _call(request: Callable[[], T]) -> T:
        try:
            return request()
        except facebook.GraphAPIError as exc:
            raise _classified(exc) from exc
        except requests.RequestException as exc:
            raise SocialApiError(f"Facebook unreachable: {exc}", permanent=False) from exc


def _classified(exc: facebook.GraphAPIError) -> SocialApiError:
    error: dict[str, Any] = {}
    if isinstance(exc.result, dict) and isinstance(exc.result.get("error"), dict):
        error = exc.result["error"]
    if not error:
        # Not a Graph error body (an HTML 502 page from a proxy …): try again.
        return SocialApiError(f"Facebook answered oddly: {exc}", permanent=False)
    message = f"Facebook: {error.get('message', exc)}"
    if error.get("error_subcode") == OUTSIDE_WINDOW_SUBCODE:
        return SocialApiError(message, permanent=True, reason="outside_messaging_window")
    if error.get("is_transient") or error.get("code") in TRANSIENT_CODES:
        return SocialApiError(message, permanent=False)
    if error.get("code") == 190:
        return SocialApiError(message, permanent=True, reason="forbidden")
    return SocialApiError(message, permanent=True)
