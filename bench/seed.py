"""Prepare a Nidaa database for the benchmark (``python -m bench.seed``), after ``demo_setup``.

Opens the live chat around the clock (so the assistant, set to answer only
outside chat hours, leaves every chat to the live queue), sizes the center's
simultaneous lines for the load, and creates the bench agents through the staff
service, as an administrator would.
"""

from __future__ import annotations

import argparse
import datetime
import os

AGENT_PASSWORD = "bench-only-1111"  # noqa: S105 - local benchmark database, thrown away after
AGENT_PREFIX = "bench-agent-"


def agent_username(index: int) -> str:
    return f"{AGENT_PREFIX}{index:04d}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=0)
    parser.add_argument(
        "--tune", action="store_true", help="only set capacity, auto-accept and presence"
    )
    parser.add_argument("--available", action="store_true", help="mark every bench agent available")
    parser.add_argument("--per-agent", type=int, default=3)
    parser.add_argument("--max-lines", type=int, default=10_000)
    parser.add_argument("--auto-accept", action="store_true")
    parser.add_argument(
        "--sessions-file",
        default="",
        help="write signed-in session keys of every bench agent (and a category) here",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaa.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from helpdesk.models import AgentProfile, Holiday, OrganisationSettings, Skill
    from helpdesk.services.staff import staff_user_upsert

    if args.tune:
        with transaction.atomic():
            org = OrganisationSettings.load()
            org.auto_accept = args.auto_accept
            org.max_lines = args.max_lines
            org.save(update_fields=["auto_accept", "max_lines"])
            profiles = AgentProfile.objects.filter(user__username__startswith=AGENT_PREFIX)
            profiles.update(max_concurrent=args.per_agent)
            # only the load generator's agents take conversations: no demo agent
            # left available would receive chats nobody answers
            AgentProfile.objects.exclude(user__username__startswith=AGENT_PREFIX).update(
                presence="off_duty"
            )
            if args.available:
                profiles.update(presence="available")
        return
    with transaction.atomic():
        org = OrganisationSettings.load()
        org.working_days = list(range(7))
        org.chat_opens = datetime.time(0, 0)
        org.chat_closes = datetime.time(23, 59, 59)
        org.max_lines = args.max_lines
        org.auto_accept = args.auto_accept
        org.save()
        Holiday.objects.all().delete()
        # The assistant answers the web chat only while the live chat is closed (an
        # administrator's setting), so bench chats go straight to the live queue.
        from bots.models import ActiveHours, BotChannelSettings

        BotChannelSettings.objects.filter(channel="webchat").update(
            active_hours=ActiveHours.OUTSIDE_HOURS
        )
        skills = list(Skill.objects.all())
        for index in range(args.agents):
            staff_user_upsert(
                username=agent_username(index),
                password=None,
                role="agent",
                first_name="Bench",
                last_name=str(index),
                display_name=f"Bench {index}",
                skills=skills,
                languages=("ar", "en"),
                max_concurrent=args.per_agent,
            )
        # One password hash for all: hashing it per agent would take minutes (PBKDF2).
        users = get_user_model().objects.filter(username__startswith=AGENT_PREFIX)
        users.update(password=make_password(AGENT_PASSWORD))
    if args.sessions_file:
        _write_sessions(args.sessions_file, list(users.order_by("username")))


def _write_sessions(path: str, users: list) -> None:
    """Signed-in sessions, as the login view would leave them.

    The idle scenario holds up to a thousand agent consoles; signing each in
    through the login form would measure the password hasher a thousand times,
    not the sockets. The chat and burst agents sign in through the form.
    """
    import json
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    from helpdesk.models import Category

    category = Category.objects.filter(is_active=True).order_by("code").first()
    with open(path, "w") as handle:
        json.dump({"sessions": keys, "category": category.code if category else ""}, handle)


if __name__ == "__main__":
    main()
