"""Failed sign-ins are throttled by account and by address (staff login and the admin).

After ``NIDAA_LOGIN_FAILURES_PER_ACCOUNT`` failed attempts on one user name, or
``NIDAA_LOGIN_FAILURES_PER_ADDRESS`` from one address, within
``NIDAA_LOGIN_LOCKOUT_MINUTES``, further attempts are refused without checking
the password — a right password included — until the window ends. Counters live
in the shared cache (Redis in production), like the other per-address limits,
and the address is the client's as ``helpdesk/proxies.py`` established it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from helpdesk import ratelimit


def _limits() -> tuple[ratelimit.Limit, ratelimit.Limit]:
    window = settings.NIDAA_LOGIN_LOCKOUT_MINUTES * 60
    return (
        ratelimit.Limit("login.fail.account", settings.NIDAA_LOGIN_FAILURES_PER_ACCOUNT, window),
        ratelimit.Limit("login.fail.address", settings.NIDAA_LOGIN_FAILURES_PER_ADDRESS, window),
    )


def _account_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]


def _address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "") or "unknown")


def login_blocked(*, username: str, address: str) -> bool:
    account, per_address = _limits()
    return ratelimit.spent(account, _account_key(username)) or ratelimit.spent(per_address, address)


def login_failed(*, username: str, address: str) -> None:
    account, per_address = _limits()
    ratelimit.hit(account, _account_key(username))
    ratelimit.hit(per_address, address)


class ThrottledLoginMixin:
    """For Django's authentication forms: refuse while throttled, count each failure."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        address = _address(self.request)
        if login_blocked(username=username, address=address):
            raise forms.ValidationError(
                _("Too many failed sign-ins. Try again in %(minutes)d minutes.")
                % {"minutes": settings.NIDAA_LOGIN_LOCKOUT_MINUTES},
                code="throttled",
            )
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            login_failed(username=username, address=address)
            raise


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
