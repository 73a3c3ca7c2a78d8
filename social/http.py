"""HTTP plumbing shared by the platform clients."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings


class RebasedSession(requests.Session):
    """A session that sends requests meant for ``official`` to ``base`` instead.

    tweepy and facebook-sdk build their URLs from a fixed host; handing them
    this session is the one place where a deployment (or a test's fake
    server) chooses where they actually go.
    """

    def __init__(self, *, official: str, base: str) -> None:
        super().__init__()
        self.official = official.rstrip("/")
        self.base = base.rstrip("/")
        # facebook-sdk raises its error without the response: its rate-limit headers are read here.
        self.last_response: requests.Response | None = None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if isinstance(url, str) and url.startswith(self.official):
            url = self.base + url[len(self.official) :]
        # Neither library sets a timeout of its own; a hung platform must not hang a worker.
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = settings.NIDAA_SOCIAL_HTTP_TIMEOUT
        response = super().request(method, url, *args, **kwargs)
        self.last_response = response
        return response
