"""The one family of domain errors that every edge turns into a clear message."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain said no.

    ``code`` is stable and machine-readable (used in API and WebSocket error
    frames); ``message`` is translated and safe to show to the person who acted.
    """

    code = "domain_error"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


class NotInScope(DomainError):
    """The actor's role may do this, but not to this object (another section's ticket …)."""

    code = "not_in_scope"


class NotFound(DomainError):
    code = "not_found"


class InvalidInput(DomainError):
    code = "invalid_input"


class RateLimited(DomainError):
    """Too many attempts from one address (or at one reference); try again later."""

    code = "rate_limited"
