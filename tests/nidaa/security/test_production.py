"""Finding 9: production settings — HSTS and SSL redirect from the environment, CSP and
``Cache-Control: no-store`` on pages, idle sessions, and refusals: a weak SECRET_KEY, the
console SMS backend, the demo logins, ``demo_setup`` with DEBUG off."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from demo.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.services.staff import staff_user_upsert
from nidaa.production import refuse_demo_logins
from tests.support.factories import make_staff

ROOT = Path(__file__).resolve().parents[3]


def documented_production_environment() -> dict[str, str]:
    """The ``sh`` block of docs/security.md's production checklist, a real key put in."""
    text = (ROOT / "docs" / "security.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block is not None
    env = {}
    for line in block[1].splitlines():
        name, _, value = line.partition("=")
        env[name.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def _manage_check(database_url: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIDAA_", "SECURE_"))}
    env.pop("DEBUG", None)
    env.update(documented_production_environment())
    env.update({"DATABASE_URL": database_url, "PYTHONDONTWRITEBYTECODE": "1", **overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.postgres
def test_finding_09_check_deploy_is_clean_with_the_documented_production_environment(
    database_url: str,
) -> None:
    done = _manage_check(database_url)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("key", ["change-me", "insecure-demo-key-change-me", "x" * 60])
def test_finding_09_a_weak_secret_key_is_refused_in_production(database_url: str, key: str) -> None:
    done = _manage_check(database_url, SECRET_KEY=key)
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stdout + done.stderr


@pytest.mark.postgres
def test_finding_09_the_console_sms_backend_is_refused_in_production(database_url: str) -> None:
    done = _manage_check(database_url, NIDAA_SMS_BACKEND="console")
    assert done.returncode != 0 and "NIDAA_SMS_BACKEND" in done.stdout + done.stderr


@pytest.mark.django_db
def test_finding_09_the_demo_logins_are_refused_in_production(settings: Any) -> None:
    settings.NIDAA_PRODUCTION_CHECKS = True
    refuse_demo_logins()  # none yet
    staff_user_upsert(username="agent", password=DEMO_PASSWORD, role="agent")
    with pytest.raises(ImproperlyConfigured, match="demo logins"):
        refuse_demo_logins()


@pytest.mark.django_db
def test_finding_09_demo_setup_refuses_in_production_unless_forced(settings: Any) -> None:
    settings.NIDAA_PRODUCTION_CHECKS = True
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_setup")


@pytest.mark.django_db
def test_finding_09_staff_pages_have_a_csp_and_are_not_stored(org: Any) -> None:
    client = Client()
    client.force_login(make_staff("dispatcher"))
    for path in ("/tickets/", "/dispatch/", "/api/v1/tickets/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    page = client.get("/tickets/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_finding_09_an_idle_session_ends(settings: Any, org: Any) -> None:
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    client.force_login(make_staff("dispatcher"))
    assert client.get("/tickets/").status_code == 200
    Session.objects.update(expire_date=timezone.now())  # the idle time has passed
    assert client.get("/tickets/").status_code == 302
