"""What a production process refuses to start with (DEBUG off: NIDAA_PRODUCTION_CHECKS).

Called from the ASGI entry point (Daphne stops before it listens) and as a system
check (``nidaa.E001``), so ``migrate``, ``scheduler``, ``check --deploy`` and
every other command that runs Django's checks stop with the same message:

- a weak ``SECRET_KEY``: shorter than 50 characters, fewer than 5 distinct
  characters, or one of the published ones (the demo's, ``change-me`` …);
- the SMS backend left at ``console`` (messages to citizens would only be logged);
- the demo logins (``demo_setup``'s user names with its published password).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
PUBLISHED_KEYS = ("change-me", "insecure", "secret", "demo", "test", "bench", "nidaa")


def secret_key_problem(key: str) -> str | None:
    lowered = key.lower()
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} random characters."
    if lowered.startswith("django-insecure") or any(
        lowered == word or lowered.startswith(word + "-") for word in PUBLISHED_KEYS
    ):
        return "SECRET_KEY is a published example; generate a new one."
    return None


def settings_problems(settings: Mapping[str, Any]) -> list[str]:
    """Problems of a production configuration that need no database."""
    if not settings["NIDAA_PRODUCTION_CHECKS"]:
        return []
    problems = []
    if (problem := secret_key_problem(str(settings["SECRET_KEY"]))) is not None:
        problems.append(problem)
    if settings["NIDAA_SMS_BACKEND"] == "console" and not settings.get("NIDAA_ALLOW_CONSOLE_SMS"):
        problems.append(
            "NIDAA_SMS_BACKEND is 'console': citizens would get no SMS. Configure the gateway "
            "(NIDAA_SMS_BACKEND=http, docs/notifications.md), or set NIDAA_ALLOW_CONSOLE_SMS=1 "
            "for a deployment without SMS."
        )
    return problems


def _settings_as_mapping() -> dict[str, Any]:
    from django.conf import settings

    names = ("DEBUG", "SECRET_KEY", "NIDAA_SMS_BACKEND", "NIDAA_ALLOW_CONSOLE_SMS")
    return {
        "NIDAA_PRODUCTION_CHECKS": settings.NIDAA_PRODUCTION_CHECKS,
        **{name: getattr(settings, name) for name in names},
    }


def refuse_unsafe_start() -> None:
    """Production only: stop on weak settings or the demo logins (the database is read)."""
    problems = settings_problems(_settings_as_mapping())
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + " ".join(problems))
    refuse_demo_logins()


def production_check(**kwargs: Any) -> list[Any]:
    """The system check: the same refusals as errors (``manage.py check``)."""
    from django.core.checks import Error
    from django.db import DatabaseError

    errors = [
        Error(problem, id="nidaa.E001") for problem in settings_problems(_settings_as_mapping())
    ]
    try:
        refuse_demo_logins()
    except ImproperlyConfigured as exc:
        errors.append(Error(str(exc), id="nidaa.E002"))
    except DatabaseError:
        pass  # no database yet (before the first migrate): nothing to find
    return errors


def demo_logins_present() -> list[str]:
    """The demo user names that still sign in with the published demo password."""
    from django.contrib.auth import get_user_model

    from demo.management.commands.demo_setup import DEMO_PASSWORD, DEMO_USERS

    names = [entry["username"] for entry in DEMO_USERS]
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return sorted(user.username for user in users if user.check_password(DEMO_PASSWORD))


def refuse_demo_logins() -> None:
    """In production, stop if the demo logins exist (the database must be reachable)."""
    from django.conf import settings

    if not settings.NIDAA_PRODUCTION_CHECKS or settings.NIDAA_ALLOW_DEMO_LOGINS:
        return
    found = demo_logins_present()
    if found:
        raise ImproperlyConfigured(
            "Refusing to start in production: the demo logins exist with the published "
            f"password ({', '.join(found)}). Deactivate them or change their passwords."
        )
