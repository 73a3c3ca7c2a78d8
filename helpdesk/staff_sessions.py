"""Staff sockets live no longer than the session that opened them.

A socket is authenticated once, at the handshake; afterwards two things keep it
honest:

- **push**: logging out ends the sockets of that session; deactivating the
  account, changing its password or its role ends all of the user's sockets.
  Each publishes ``session.ended`` (to :func:`events.staff_session_group` or
  :func:`events.staff_user_group`), on which the consumers close at once.
- **pull**: before every frame the consumer asks :func:`session_valid`, so a
  lost event (or a session that simply expired) is still caught at the next
  frame — the console's heartbeat sends one every 15 seconds.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import m2m_changed, post_init, post_save
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from helpdesk import events
from helpdesk.models import AgentProfile

# Why a socket was closed; the consoles show the sign-in page for every one.
LOGGED_OUT = "logged_out"
ACCOUNT_CHANGED = "account_changed"


def session_valid(*, session_key: str | None, user_id: int, role: str | None) -> bool:
    """Is this session still signed in as this user, with this role, active, same password?

    Sessions live in the database (Django's default engine, which Nidaa keeps). A
    working console is activity: once half the idle timeout (``SESSION_COOKIE_AGE``)
    has passed, it starts again, as a page request restarts it.
    """
    if not session_key:
        return False
    now = timezone.now()
    session = Session.objects.filter(session_key=session_key, expire_date__gt=now).first()
    if session is None:
        return False
    data = session.get_decoded()  # {} when tampered with
    if str(data.get(SESSION_KEY)) != str(user_id) or BACKEND_SESSION_KEY not in data:
        return False
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if user is None or not user.is_active:
        return False
    profile = getattr(user, "profile", None)
    if (profile.role if profile is not None else None) != role:
        return False
    if not constant_time_compare(str(data.get(HASH_SESSION_KEY, "")), user.get_session_auth_hash()):
        return False
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    if session.expire_date - now < age / 2:
        Session.objects.filter(session_key=session_key).update(expire_date=now + age)
    return True


def _end_user_sockets(user_id: int) -> None:
    events.publish(events.staff_user_group(user_id), "session.ended", {"reason": ACCOUNT_CHANGED})


def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        events.publish(
            events.staff_session_group(session_key), "session.ended", {"reason": LOGGED_OUT}
        )


# What a loaded row said, read from the instance's own fields only: an instance loaded
# with deferred fields (``.only(…)``) must not fetch them here (each fetch would make
# another instance, and so on), and a row loaded without them is simply not watched.


def _signed_in_as(instance: Any) -> tuple[Any, Any] | None:
    loaded = instance.__dict__
    if "password" not in loaded or "is_active" not in loaded:
        return None
    return (loaded["password"], loaded["is_active"])


def _remember_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._nidaa_signed_in_as = _signed_in_as(instance)


def _on_user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_nidaa_signed_in_as", None)
    now = _signed_in_as(instance)
    if not created and before is not None and now is not None and before != now:
        _end_user_sockets(instance.pk)
    instance._nidaa_signed_in_as = now


def _remember_role(sender: Any, instance: AgentProfile, **kwargs: Any) -> None:
    instance._nidaa_role = instance.__dict__.get("role")  # type: ignore[attr-defined]


def _on_profile_saved(sender: Any, instance: AgentProfile, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_nidaa_role", None)
    now = instance.__dict__.get("role")
    if not created and before is not None and now is not None and before != now:
        _end_user_sockets(instance.user_id)
    instance._nidaa_role = now  # type: ignore[attr-defined]


def _on_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    # user.groups.add(…) names the user; group.user_set.add(…) names the users in pk_set.
    for user_id in [instance.pk] if not reverse else (pk_set or ()):
        _end_user_sockets(user_id)


def connect_receivers() -> None:
    user_model = get_user_model()
    user_logged_out.connect(_on_logout, dispatch_uid="nidaa.staff_sessions.logout")
    post_init.connect(_remember_user, sender=user_model, dispatch_uid="nidaa.ss.user_init")
    post_save.connect(_on_user_saved, sender=user_model, dispatch_uid="nidaa.ss.user_saved")
    post_init.connect(_remember_role, sender=AgentProfile, dispatch_uid="nidaa.ss.role_init")
    post_save.connect(_on_profile_saved, sender=AgentProfile, dispatch_uid="nidaa.ss.role_saved")
    m2m_changed.connect(
        _on_groups_changed, sender=user_model.groups.through, dispatch_uid="nidaa.ss.groups"
    )
