"""Finding 4: failed sign-ins are throttled by account and by address (staff login and
admin), and Django's password validators refuse weak passwords such as eight digits."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.support.factories import make_staff

pytestmark = pytest.mark.django_db
PASSWORD = "right-horse-battery-9"


def _sign_in(client: Client, username: str, password: str, path: str = "/accounts/login/") -> bool:
    client.post(path, {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_finding_04_login_is_throttled_by_account(settings: Any) -> None:
    make_staff("dispatcher", username="khalid", password=PASSWORD)
    for n in range(settings.NIDAA_LOGIN_FAILURES_PER_ACCOUNT):
        assert not _sign_in(Client(REMOTE_ADDR=f"10.0.0.{n}"), "khalid", f"guess{n}")
    # From yet another address, with the right password: still refused for now.
    assert not _sign_in(Client(REMOTE_ADDR="10.0.1.1"), "khalid", PASSWORD)
    make_staff("dispatcher", username="salma", password=PASSWORD)
    assert _sign_in(Client(REMOTE_ADDR="10.0.1.1"), "salma", PASSWORD)  # others unaffected


def test_finding_04_login_is_throttled_by_address(settings: Any) -> None:
    make_staff("dispatcher", username="khalid", password=PASSWORD)
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(settings.NIDAA_LOGIN_FAILURES_PER_ADDRESS):
        assert not _sign_in(attacker, f"user{n}", "123456")
    assert not _sign_in(attacker, "khalid", PASSWORD)
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.8"), "khalid", PASSWORD)


def test_finding_04_admin_login_is_throttled_too(settings: Any) -> None:
    make_staff("administrator", username="admin1", password=PASSWORD)
    for n in range(settings.NIDAA_LOGIN_FAILURES_PER_ACCOUNT):
        assert not _sign_in(Client(), "admin1", f"guess{n}", "/admin/login/")
    assert not _sign_in(Client(), "admin1", PASSWORD, "/admin/login/")


def test_finding_04_weak_passwords_are_refused() -> None:
    for weak in ("12345678", "98765432109", "password123", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("right-horse-battery-9")
