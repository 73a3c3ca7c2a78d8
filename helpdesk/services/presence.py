"""Agents' presence: on duty and available, away, off duty — and noticing who vanished.

The console sends a heartbeat while it is connected. A dropped connection does
not change anything at once (a laptop waking up or a train tunnel reconnects
within seconds); only when no heartbeat came for the organisation's grace
period does the sweep mark the agent off duty and put their conversations back
at the head of the queue.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import acd, events
from helpdesk.errors import InvalidInput, NotInScope
from helpdesk.models import AgentProfile, OrganisationSettings, Presence
from helpdesk.selectors.queue import SERVING_ROLES
from helpdesk.services.distributor import (
    agent_conversations_release,
    offers_withdraw,
)


def presence_set(*, user: Any, presence: str, reason: str = "") -> AgentProfile:
    """Change an agent's presence. Off duty releases their work; away stops new offers."""
    if presence not in Presence.values:
        raise InvalidInput(_("Unknown presence."), code="invalid_presence")
    profile = AgentProfile.objects.filter(user_id=user.pk).first()
    if profile is None or profile.role not in SERVING_ROLES:
        raise NotInScope(_("Only agents and supervisors serve conversations."))
    with transaction.atomic():
        # Conversations first, then the profile row: the distributor's lock order.
        if presence == Presence.OFF_DUTY:
            agent_conversations_release(user=user, reason=reason or "off_duty")
        elif presence == Presence.AWAY:
            offers_withdraw(user=user, reason=reason or "away")
        now = timezone.now()
        AgentProfile.objects.filter(pk=profile.pk).update(
            presence=presence, presence_changed_at=now, last_heartbeat_at=now
        )
        profile.refresh_from_db()
        payload = {
            "agent": user.pk,
            "presence": presence,
            "name": profile.public_name,
            "reason": reason,
        }
        for group in (events.SUPERVISORS_GROUP, events.agent_group(user.pk)):
            events.publish(group, "presence.changed", payload)
        if presence == Presence.AVAILABLE:
            acd.kick("agent_available")
    return profile


def presence_logged_out(*, user: Any) -> None:
    """Logging out ends the agent's shift at once: off duty, their chats back to the queue.

    (Without it they stayed on duty, holding their chats, for the whole grace period.)
    """
    if user is None or not getattr(user, "pk", None):
        return
    on_duty = (
        AgentProfile.objects.filter(user_id=user.pk, role__in=SERVING_ROLES)
        .exclude(presence=Presence.OFF_DUTY)
        .exists()
    )
    if on_duty:
        presence_set(user=user, presence=Presence.OFF_DUTY, reason="logged_out")


def presence_heartbeat(*, user: Any) -> int:
    """The console is alive; called on connect and every few seconds while connected.

    Returns the desk's sequence number, for the console to check it missed nothing.
    """
    profiles = AgentProfile.objects.filter(user_id=user.pk)
    profiles.update(last_heartbeat_at=timezone.now())
    return profiles.values_list("desk_seq", flat=True).first() or 0


def presence_lost_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Agents silent for longer than the grace period go off duty; returns their user ids."""
    now = now or timezone.now()
    grace = datetime.timedelta(seconds=OrganisationSettings.load().presence_grace_seconds)
    silent = (
        AgentProfile.objects.filter(role__in=SERVING_ROLES)
        .exclude(presence=Presence.OFF_DUTY)
        .filter(Q(last_heartbeat_at__isnull=True) | Q(last_heartbeat_at__lt=now - grace))
        .select_related("user")
    )
    lost = []
    for profile in silent:
        presence_set(user=profile.user, presence=Presence.OFF_DUTY, reason="connection_lost")
        lost.append(profile.user_id)
    return lost
