"""HTTP plumbing shared by the platform clients."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings

from helpdesk.inbound import InboundAttachment

logger = logging.getLogger(__name__)


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

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if isinstance(url, str) and url.startswith(self.official):
            url = self.base + url[len(self.official) :]
        # Neither library sets a timeout of its own; a hung platform must not hang a worker.
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = settings.NIDAA_SOCIAL_HTTP_TIMEOUT
        return super().request(method, url, *args, **kwargs)


def fetch_capped(
    session: requests.Session, url: str, *, filename: str = ""
) -> InboundAttachment | None:
    """Download a platform's media file, giving up past the configured size.

    A failed or oversized download costs the citizen the attachment, never the
    message: the link is kept so an agent can still open it.
    """
    cap = settings.NIDAA_SOCIAL_MEDIA_MAX_BYTES
    if not url.startswith(("https://", "http://")):
        return None
    try:
        with session.get(url, stream=True, timeout=settings.NIDAA_SOCIAL_HTTP_TIMEOUT) as response:
            if response.status_code != 200:
                logger.warning("media %s answered %s", url, response.status_code)
                return None
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > cap:
                logger.warning("media %s is %s bytes, over the cap", url, declared)
                return None
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > cap:
                    logger.warning("media %s is over the %d-byte cap", url, cap)
                    return None
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "application/octet-stream")
    except requests.RequestException as exc:
        logger.warning("media %s could not be fetched: %s", url, exc)
        return None
    return InboundAttachment(
        content=b"".join(chunks),
        content_type=content_type.split(";")[0].strip(),
        filename=filename or url.rsplit("/", 1)[-1].split("?")[0][:100],
        external_url=url,
    )


def fetch_public(url: str) -> InboundAttachment | None:
    """Media the platforms link from their payloads (X photos, Messenger CDN files)."""
    with requests.Session() as session:
        return fetch_capped(session, url)
