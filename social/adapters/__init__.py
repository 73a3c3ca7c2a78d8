"""Clients for the outside social platforms: one class per service, one error type."""

from __future__ import annotations

import datetime


class SocialApiError(Exception):
    """A platform said no or could not be reached.

    ``permanent`` errors will not succeed on retry (bad token, deleted post,
    outside Messenger's 24-hour window); the others are retried with backoff,
    not before ``retry_at`` when the platform said when (X's rate-limit reset).
    ``reason`` is a stable code shown to agents.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        reason: str = "",
        retry_at: datetime.datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.reason = reason or ("rejected" if permanent else "unavailable")
        self.retry_at = retry_at
