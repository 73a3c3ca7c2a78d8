"""Reads for the live queue, the agent console and the supervisor's wallboard."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncHour
from django.urls import reverse
from django.utils import timezone

from helpdesk.models import (
    AgentProfile,
    CannedReply,
    Conversation,
    ConversationState,
    Message,
    Presence,
    Role,
    Ticket,
)
from helpdesk.payloads import conversation_payload, message_payload

SERVING_ROLES = (Role.AGENT, Role.SUPERVISOR)
# An agent is busy with what is offered to them, assigned to them or in wrap-up.
LOAD_STATES = (ConversationState.OFFERED, ConversationState.ASSIGNED, ConversationState.WRAP_UP)
# A line is in use while a citizen is offered to or talking with an agent.
LINE_STATES = (ConversationState.OFFERED, ConversationState.ASSIGNED)
DEFAULT_HANDLE_SECONDS = 240
# One replay never sends more than this; the socket asks again from there.
REPLAY_LIMIT = 500
# Who reads a transcript: the citizen, or staff (internal notes too).
Audience = Literal["citizen", "staff"]
QUEUE_LIST_LENGTH = 100  # the waiting conversations a console lists
# The reason (and provisional disposition) of a chat the citizen ended (``conversation_end``).
CITIZEN_ENDED = "citizen_ended"
# How long a chat the citizen ended waits on its agent's desk for the wrap-up.
ENDED_KEPT = datetime.timedelta(hours=12)


def queue_waiting_list() -> QuerySet[Conversation]:
    """Every waiting conversation, first served first: priority, then waiting time."""
    return (
        Conversation.objects.filter(state=ConversationState.QUEUED)
        .select_related("contact", "required_skill")
        .order_by("-priority", "queued_at", "pk")
    )


def agent_load_q(user_id: int) -> Q:
    return Q(state=ConversationState.OFFERED, offered_to_id=user_id) | Q(
        state__in=(ConversationState.ASSIGNED, ConversationState.WRAP_UP), assignee_id=user_id
    )


def agent_loads(user_ids: list[int]) -> dict[int, int]:
    """How many conversations each agent holds now (offers, assignments, wrap-up)."""
    loads = dict.fromkeys(user_ids, 0)
    offered = (
        Conversation.objects.filter(state=ConversationState.OFFERED, offered_to_id__in=user_ids)
        .values("offered_to_id")
        .annotate(n=Count("pk"))
    )
    for row in offered:
        loads[row["offered_to_id"]] += row["n"]
    held = (
        Conversation.objects.filter(
            state__in=(ConversationState.ASSIGNED, ConversationState.WRAP_UP),
            assignee_id__in=user_ids,
        )
        .values("assignee_id")
        .annotate(n=Count("pk"))
    )
    for row in held:
        loads[row["assignee_id"]] += row["n"]
    return loads


def lines_in_use() -> int:
    return Conversation.objects.filter(state__in=LINE_STATES).count()


def _average_handle_seconds() -> float:
    since = timezone.now() - datetime.timedelta(days=1)
    rows = (
        Conversation.objects.filter(
            state=ConversationState.CLOSED, closed_at__gte=since, assigned_at__isnull=False
        )
        .order_by("-closed_at")
        .values_list("assigned_at", "closed_at")[:100]
    )
    spans = [
        (closed - assigned).total_seconds()
        for assigned, closed in rows
        if assigned is not None and closed is not None and closed > assigned
    ]
    return sum(spans) / len(spans) if spans else DEFAULT_HANDLE_SECONDS


def agents_available(*, skill_code: str = "") -> bool:
    """Whether an agent is available now (with the service desk's skill, when one is named)."""
    agents = AgentProfile.objects.filter(presence=Presence.AVAILABLE)
    if skill_code:
        agents = agents.filter(skills__code=skill_code)
    return agents.exists()


def _serving_capacity() -> int:
    profiles = AgentProfile.objects.filter(
        presence=Presence.AVAILABLE, role__in=SERVING_ROLES, user__is_active=True
    )
    return sum(profiles.values_list("max_concurrent", flat=True))


@dataclass(frozen=True)
class QueuePlace:
    conversation: Conversation
    position: int
    estimated_wait_seconds: int


def queue_places(*, limit: int | None = None) -> list[QueuePlace]:
    """Each waiting conversation's place in line and a rough wait estimate.

    The estimate assumes the agents now available free a slot every average
    handling time (closed conversations of the last day); it is a hint for
    the citizen, not a promise. ``limit``: only the first so many in line.
    """
    waiting = list(
        Conversation.objects.filter(state=ConversationState.QUEUED)
        .only("id", "public_id")
        .order_by("-priority", "queued_at", "pk")[:limit]
    )
    if not waiting:
        return []
    servers = max(1, _serving_capacity())
    handle = _average_handle_seconds()
    return [
        QueuePlace(
            conversation=conversation,
            position=index,
            estimated_wait_seconds=int(math.ceil(index / servers) * handle),
        )
        for index, conversation in enumerate(waiting, start=1)
    ]


# ---- the agent console ------------------------------------------------------------


def queue_item_payload(conversation: Conversation) -> dict[str, Any]:
    payload = conversation_payload(conversation)
    payload["skill"] = conversation.required_skill.name if conversation.required_skill else ""
    payload["offer_expires_at"] = (
        conversation.offer_expires_at.isoformat() if conversation.offer_expires_at else None
    )
    payload["contact"]["phone"] = conversation.contact.phone
    return payload


def queue_list() -> list[dict[str, Any]]:
    """The waiting conversations a console lists, head first, as it shows them."""
    return [queue_item_payload(c) for c in queue_waiting_list()[:QUEUE_LIST_LENGTH]]


def agent_conversations(user_id: int) -> QuerySet[Conversation]:
    """What is on an agent's desk: offers waiting for an answer and conversations served."""
    return (
        Conversation.objects.filter(agent_load_q(user_id))
        .select_related("contact", "required_skill")
        .order_by("assigned_at", "pk")
    )


def desk_last_seqs(user_id: int) -> dict[str, int]:
    """The last sequence number of each conversation on an agent's desk."""
    return {
        str(public_id): last_seq
        for public_id, last_seq in Conversation.objects.filter(agent_load_q(user_id)).values_list(
            "public_id", "last_seq"
        )
    }


def console_snapshot(user_id: int, *, queue: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The whole state a console needs after (re)connecting; replaces what it had.

    ``queue``: the waiting list when the caller already has a recent one (the
    last broadcast), so that a reconnecting crowd does not read it once each.
    """
    from helpdesk.models import OrganisationSettings

    profile = AgentProfile.objects.select_related("user").get(user_id=user_id)
    org = OrganisationSettings.load()
    desk = list(agent_conversations(user_id))
    ended = list(
        Conversation.objects.filter(
            state=ConversationState.CLOSED,
            assignee_id=user_id,
            disposition=CITIZEN_ENDED,
            closed_at__gte=timezone.now() - ENDED_KEPT,
        )
        .select_related("contact", "required_skill")
        .order_by("closed_at", "pk")
    )
    tickets = desk_tickets([c.pk for c in desk + ended])
    return {
        "agent": {
            "id": user_id,
            "name": profile.public_name,
            "presence": profile.presence,
            "max_concurrent": profile.max_concurrent,
        },
        # Desk events after this one are news; a gap means some were missed.
        "desk_seq": profile.desk_seq,
        "agents_may_pick": org.agents_may_pick,
        "queue": queue if queue is not None else queue_list(),
        "offers": [queue_item_payload(c) for c in desk if c.state == ConversationState.OFFERED],
        "conversations": [
            {**queue_item_payload(c), "tickets": tickets.get(c.pk, [])}
            for c in desk + ended
            if c.state != ConversationState.OFFERED
        ],
    }


def desk_tickets(conversation_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """The tickets registered from each conversation: reference and staff link, oldest first."""
    found: dict[int, list[dict[str, str]]] = {}
    rows = (
        Ticket.objects.filter(conversation_id__in=conversation_ids)
        .order_by("pk")
        .values_list("conversation_id", "pk", "reference")
    )
    for conversation_id, pk, reference in rows:
        found.setdefault(conversation_id, []).append(
            {"reference": reference, "url": reverse("ticket_detail", args=[pk])}
        )
    return found


def conversation_messages_after(
    conversation: Conversation | int,
    *,
    audience: Audience,
    after_seq: int,
    up_to_seq: int | None = None,
) -> list[dict[str, Any]]:
    """The transcript after ``after_seq`` (up to ``up_to_seq``) in order, as ``audience`` sees it.

    The citizen sees what was said to them; staff also see internal notes and what
    only staff are shown. At most ``REPLAY_LIMIT``: a socket asks again from there.
    """
    messages = (
        Message.objects.filter(conversation=conversation, seq__gt=after_seq)
        .select_related("sender_user__profile")
        .prefetch_related("attachments")
        .order_by("seq")
    )
    if audience == "citizen":
        messages = messages.filter(is_internal=False)
    if up_to_seq is not None:
        messages = messages.filter(seq__lte=up_to_seq)
    for_staff = audience == "staff"
    return [message_payload(m, for_staff=for_staff) for m in messages[:REPLAY_LIMIT]]


def contact_history(conversation: Conversation) -> dict[str, Any]:
    """The contact's earlier conversations and tickets, newest first."""
    earlier = (
        Conversation.objects.filter(contact_id=conversation.contact_id)
        .exclude(pk=conversation.pk)
        .order_by("-created_at")[:20]
    )
    tickets = (
        Ticket.objects.filter(contact_id=conversation.contact_id)
        .select_related("category")
        .order_by("-created_at")[:20]
    )
    return {
        "conversation": str(conversation.public_id),
        "contact": {
            "name": conversation.contact.name,
            "phone": conversation.contact.phone,
            "email": conversation.contact.email,
        },
        "conversations": [
            {
                "id": str(c.public_id),
                "channel": c.get_channel_display(),
                "state": c.get_state_display(),
                "subject": c.subject,
                "created_at": c.created_at.isoformat(),
                "disposition": c.disposition,
            }
            for c in earlier
        ],
        "tickets": [
            {
                "reference": t.reference,
                "url": reverse("ticket_detail", args=[t.pk]),
                "status": t.get_status_display(),
                "category": t.category.name,
                "created_at": t.created_at.isoformat(),
            }
            for t in tickets
        ],
    }


def canned_reply_list() -> list[dict[str, str]]:
    return [
        {
            "code": r.code,
            "title_ar": r.title_ar,
            "title_en": r.title_en,
            "text_ar": r.text_ar,
            "text_en": r.text_en,
        }
        for r in CannedReply.objects.filter(is_active=True)
    ]


def serving_agents() -> QuerySet[AgentProfile]:
    return (
        AgentProfile.objects.filter(role__in=SERVING_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


# ---- the supervisor's wallboard --------------------------------------------------

WALLBOARD_HOURS = 8
SERVICE_LEVEL_SECONDS = 20


def _level(value: float, warning: float, alarm: float) -> str:
    """``ok``, ``warning`` (amber) or ``alarm`` (red) against the administrator's thresholds."""
    return "alarm" if value >= alarm else ("warning" if value >= warning else "ok")


def _hour_counts(
    field: str, since: datetime.datetime, tz: datetime.tzinfo
) -> dict[datetime.datetime, int]:
    rows = (
        Conversation.objects.filter(**{f"{field}__gte": since})
        .annotate(hour=TruncHour(field, tzinfo=tz))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["hour"]: row["n"] for row in rows}


def wallboard_hours(*, now: datetime.datetime, hours: int = WALLBOARD_HOURS) -> dict[str, Any]:
    """Conversations that arrived and that an agent answered, per hour of the last ``hours``."""
    tz = timezone.get_current_timezone()
    current = timezone.localtime(now, tz).replace(minute=0, second=0, microsecond=0)
    starts = [current - datetime.timedelta(hours=n) for n in range(hours - 1, -1, -1)]
    arrived = _hour_counts("created_at", starts[0], tz)
    answered = _hour_counts("assigned_at", starts[0], tz)
    return {
        "hours": [start.strftime("%H:00") for start in starts],
        "arrived": [arrived.get(start, 0) for start in starts],
        "answered": [answered.get(start, 0) for start in starts],
    }


def wallboard_service_level(*, since: datetime.datetime) -> dict[str, Any]:
    """Today's conversations that reached the queue, and how many an agent answered in 20 s."""
    figures = Conversation.objects.filter(created_at__gte=since, queued_at__isnull=False).aggregate(
        queued=Count("pk"),
        within=Count(
            "pk",
            filter=Q(
                assigned_at__isnull=False,
                assigned_at__lte=F("queued_at") + datetime.timedelta(seconds=SERVICE_LEVEL_SECONDS),
            ),
        ),
    )
    queued, within = figures["queued"], figures["within"]
    return {
        "queued": queued,
        "within": within,
        "percent": None if not queued else round(100 * within / queued, 1),
    }


def _labelled(conversation: Conversation, payload: dict[str, Any]) -> dict[str, Any]:
    """A row of the wallboard: channel and state as people read them, in their language."""
    return {
        **payload,
        "channel_label": str(conversation.get_channel_display()),
        "state_label": str(conversation.get_state_display()),
    }


def wallboard() -> dict[str, Any]:
    from helpdesk.models import OrganisationSettings

    org = OrganisationSettings.load()
    now = timezone.now()
    waiting = list(queue_waiting_list())
    longest = max(((now - c.queued_at).total_seconds() for c in waiting if c.queued_at), default=0)
    agents = list(serving_agents())
    loads = agent_loads([a.user_id for a in agents])
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = Conversation.objects.filter(created_at__gte=day_start)
    active = (
        Conversation.objects.filter(state__in=(*LOAD_STATES,))
        .select_related("contact", "assignee__profile", "offered_to__profile")
        .order_by("assigned_at", "pk")
    )
    presence_counts = dict.fromkeys(Presence.values, 0)
    for agent in agents:
        presence_counts[agent.presence] = presence_counts.get(agent.presence, 0) + 1
    level = wallboard_service_level(since=day_start)
    return {
        "waiting": len(waiting),
        "waiting_level": _level(len(waiting), org.waiting_warning, org.waiting_alarm),
        "longest_wait_seconds": int(longest),
        "longest_wait_level": _level(
            longest, org.longest_wait_warning_seconds, org.longest_wait_alarm_seconds
        ),
        "thresholds": {
            "waiting": [org.waiting_warning, org.waiting_alarm],
            "longest_wait_seconds": [
                org.longest_wait_warning_seconds,
                org.longest_wait_alarm_seconds,
            ],
            "service_level_target_percent": org.service_level_target_percent,
        },
        "service_level": level,
        "by_presence": [
            {"presence": value, "label": str(label), "count": presence_counts.get(value, 0)}
            for value, label in Presence.choices
        ],
        "hours": wallboard_hours(now=now),
        "lines_in_use": lines_in_use(),
        "queue": [_labelled(c, queue_item_payload(c)) for c in waiting[:50]],
        "active": [
            {
                **_labelled(c, queue_item_payload(c)),
                "agent_name": (
                    (c.assignee or c.offered_to).profile.public_name  # type: ignore[union-attr]
                    if (c.assignee or c.offered_to) is not None
                    else ""
                ),
            }
            for c in active
        ],
        "agents": [
            {
                "id": a.user_id,
                "username": a.user.get_username(),
                "name": a.public_name,
                "presence": a.presence,
                "presence_label": str(a.get_presence_display()),
                "load": loads.get(a.user_id, 0),
                "max_concurrent": a.max_concurrent,
                "last_heartbeat_at": a.last_heartbeat_at.isoformat()
                if a.last_heartbeat_at
                else None,
            }
            for a in agents
        ],
        "today": {
            "received": today.count(),
            "served": today.filter(assigned_at__isnull=False).count(),
            "closed": today.filter(state=ConversationState.CLOSED).count(),
            "tickets": Ticket.objects.filter(
                created_at__gte=day_start, conversation__isnull=False
            ).count(),
        },
    }
