"""The live queue, the automatic distributor (ACD) and a conversation's life with agents.

One queue holds the waiting conversations of every channel, first served
first by priority then waiting time. The distributor offers the head of the
queue to the available agent with the skill, language and channel it needs
and spare capacity: least loaded first, then longest idle. Offers, assignment,
transfer, wrap-up and the end (``conversation_end``, whoever ends it) are
written here once, for every channel and both sockets; opening and the
assistant's hand-over to the queue are in ``conversations``.

Race-free across web processes: every decision that adds to an agent's load
(offer, assignment, transfer, pick, reassign) runs in one transaction that
first locks the organisation-settings row (``SELECT … FOR UPDATE``), so load
and line counts read under that lock are exact. Waiting conversations and
agent profiles are then locked with ``SKIP LOCKED``: a row another writer holds
(a citizen message being appended, a presence change) is passed over instead of
waited for, and picked up by the next round. Taking locks in the order
organisation → conversation → agent profile everywhere keeps deadlocks out.
SQLite serialises writers anyway (IMMEDIATE transactions).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import acd, events
from helpdesk.counters import counter_take
from helpdesk.errors import InvalidInput, NotFound, NotInScope
from helpdesk.models import (
    AgentProfile,
    Conversation,
    ConversationState,
    Disposition,
    OrganisationSettings,
    Presence,
    Skill,
)
from helpdesk.selectors.queue import (
    CITIZEN_ENDED,
    SERVING_ROLES,
    agent_loads,
    lines_in_use,
    queue_item_payload,
    queue_list,
    queue_places,
)
from helpdesk.services.conversations import (
    message_post,
    system_event_record,
)

logger = logging.getLogger(__name__)
BATCH = 100  # waiting conversations looked at per decision
# Who ends a conversation (``conversation_end``).
EndedBy = Literal["citizen", "agent", "system"]


# ---- locks and small helpers --------------------------------------------------------


def _org_locked() -> OrganisationSettings:
    OrganisationSettings.load()
    return OrganisationSettings.objects.select_for_update().get(pk=1)


def _conversation_locked(conversation: Conversation | str) -> Conversation:
    public_id = conversation if isinstance(conversation, str) else conversation.public_id
    try:
        return (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("contact")
            .get(public_id=public_id)
        )
    except (Conversation.DoesNotExist, ValueError, ValidationError):  # not a UUID
        raise NotFound(
            _("This conversation does not exist."), code="unknown_conversation"
        ) from None


def _profile(user: Any) -> AgentProfile:
    profile = AgentProfile.objects.select_related("user").filter(user_id=user.pk).first()
    if profile is None or profile.role not in SERVING_ROLES:
        raise NotInScope(_("Only agents and supervisors serve conversations."))
    return profile


def _can_supervise(user: Any) -> bool:
    return bool(user.has_perm("helpdesk.supervise"))


def _queue_changed(reason: str) -> None:
    """Consoles and the distributor learn of it from the next pass (``helpdesk.acd``)."""
    acd.kick(reason)


def _state_changed(conversation: Conversation, agent_name: str = "") -> None:
    payload = {
        "conversation": str(conversation.public_id),
        "state": conversation.state,
        "agent_name": agent_name,
    }
    events.publish(events.conversation_group(conversation.public_id), "conversation.state", payload)
    events.publish(
        events.conversation_staff_group(conversation.public_id), "conversation.state", payload
    )


def desk_event(user_id: int, event_type: str, payload: dict[str, Any]) -> None:
    """An event about an agent's desk, numbered with the desk's next ``desk_seq``.

    The number is taken in the same transaction as the change (the profile row
    is locked until commit, after the conversation rows: the lock order), so a
    console that sees a gap knows it missed an event and resynchronises.
    """
    taken = counter_take(AgentProfile, "desk_seq", key="user_id", value=user_id)
    if taken is None:  # not an agent (any more): no console to tell
        return
    events.publish(events.agent_group(user_id), event_type, {**payload, "desk_seq": int(taken[0])})


def _ended(conversation: Conversation, user_id: int, reason: str) -> None:
    desk_event(
        user_id,
        "assignment.ended",
        {"conversation": str(conversation.public_id), "reason": reason},
    )


def _withdrawn(conversation: Conversation, user_id: int) -> None:
    desk_event(user_id, "offer.withdrawn", {"conversation": str(conversation.public_id)})


# ---- who may take what ---------------------------------------------------------------


@dataclass
class _Candidate:
    profile: AgentProfile
    load: int
    skill_ids: set[int] = field(default_factory=set)

    def serves(self, conversation: Conversation) -> bool:
        profile = self.profile
        if conversation.required_skill_id and conversation.required_skill_id not in self.skill_ids:
            return False
        if profile.languages and conversation.language not in profile.languages:
            return False
        return not profile.channels or conversation.channel in profile.channels

    @property
    def has_room(self) -> bool:
        return self.load < self.profile.max_concurrent


def _available_candidates() -> list[_Candidate]:
    profiles = list(
        AgentProfile.objects.filter(
            presence=Presence.AVAILABLE, role__in=SERVING_ROLES, user__is_active=True
        )
        .select_related("user")
        .prefetch_related("skills")
    )
    loads = agent_loads([p.user_id for p in profiles])
    candidates = [_Candidate(p, loads[p.user_id], {s.pk for s in p.skills.all()}) for p in profiles]
    return [c for c in candidates if c.has_room]


_NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _best_for(conversation: Conversation, candidates: Iterable[_Candidate]) -> _Candidate | None:
    skipped = set(conversation.offer_skipped or [])
    eligible = [c for c in candidates if c.has_room and c.serves(conversation)]
    if not eligible:
        return None
    # Someone who has not already passed on it, then least loaded, then longest idle.
    return min(
        eligible,
        key=lambda c: (
            c.profile.user_id in skipped,
            c.load,
            c.profile.last_assigned_at or _NEVER,
            c.profile.user_id,
        ),
    )


# ---- distribution ---------------------------------------------------------------------


def distribute(*, limit: int = 500) -> int:
    """Hand waiting conversations to agents until nobody or nothing fits; returns how many.

    Then every waiting citizen is told their place in line.
    """
    handed = acd_pass(broadcast=False, limit=limit)
    queue_positions_publish()
    return handed


def acd_pass(*, broadcast: bool = True, limit: int = 500, memo: BroadcastMemo | None = None) -> int:
    """One distributor pass: hand out what fits, then (``broadcast``) tell consoles and citizens.

    The services' own ``kick``s are folded into this pass while it runs.
    """
    with acd.passing():
        handed = 0
        while handed < limit:
            batch = _distribute_batch(limit - handed)
            if not batch:
                break
            handed += batch
        if broadcast:
            queue_broadcast(memo=memo)
    return handed


def _distribute_batch(limit: int) -> int:
    """One transaction: as many hand-overs as agents, lines and the queue allow."""
    with transaction.atomic():
        org = _org_locked()
        lines_free = org.max_lines - lines_in_use()
        if lines_free <= 0:
            return 0
        candidates = _available_candidates()
        if not candidates:
            return 0
        waiting = (
            Conversation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("contact", "required_skill")
            .filter(state=ConversationState.QUEUED)
            .order_by("-priority", "queued_at", "pk")[:BATCH]
        )
        locked: dict[int, AgentProfile | None] = {}
        handed = 0
        for conversation in waiting:
            if handed >= min(limit, lines_free) or not candidates:
                break
            while (best := _best_for(conversation, candidates)) is not None:
                pk = best.profile.pk
                if pk not in locked:
                    locked[pk] = (
                        AgentProfile.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("user")
                        .filter(pk=pk, presence=Presence.AVAILABLE)
                        .first()
                    )
                profile = locked[pk]
                if profile is None:  # changing presence right now: leave them be
                    candidates.remove(best)
                    continue
                _hand_over(conversation, profile, org)
                best.load += 1
                if not best.has_room:
                    candidates.remove(best)
                handed += 1
                break
    return handed


def _hand_over(
    conversation: Conversation, profile: AgentProfile, org: OrganisationSettings
) -> None:
    if org.auto_accept:
        _assign(conversation, profile)
        return
    now = timezone.now()
    conversation.state = ConversationState.OFFERED
    conversation.offered_to = profile.user
    conversation.offer_expires_at = now + datetime.timedelta(seconds=org.offer_timeout_seconds)
    conversation.save(update_fields=["state", "offered_to", "offer_expires_at"])
    system_event_record(conversation, event="offered", data={"agent_name": profile.public_name})
    desk_event(
        profile.user_id,
        "offer.new",
        {
            "conversation": str(conversation.public_id),
            "expires_at": conversation.offer_expires_at.isoformat(),
            "item": queue_item_payload(conversation),
        },
    )
    _state_changed(conversation)
    _queue_changed("offered")


def _assign(conversation: Conversation, profile: AgentProfile) -> None:
    now = timezone.now()
    conversation.state = ConversationState.ASSIGNED
    conversation.assignee = profile.user
    conversation.assigned_at = now
    conversation.offered_to = None
    conversation.offer_expires_at = None
    conversation.offer_skipped = []
    conversation.save(
        update_fields=[
            "state",
            "assignee",
            "assigned_at",
            "offered_to",
            "offer_expires_at",
            "offer_skipped",
        ]
    )
    AgentProfile.objects.filter(pk=profile.pk).update(last_assigned_at=now)
    system_event_record(conversation, event="assigned", data={"agent_name": profile.public_name})
    desk_event(
        profile.user_id,
        "assignment.new",
        {"conversation": str(conversation.public_id), "item": queue_item_payload(conversation)},
    )
    _state_changed(conversation, agent_name=profile.public_name)
    _queue_changed("assigned")


def _requeue(conversation: Conversation, *, skip_user_id: int | None = None) -> None:
    """Back into the queue; it keeps its first ``queued_at``, so it goes to the head."""
    skipped = list(conversation.offer_skipped or [])
    if skip_user_id is not None and skip_user_id not in skipped:
        skipped.append(skip_user_id)
    conversation.state = ConversationState.QUEUED
    conversation.assignee = None
    conversation.assigned_at = None
    conversation.offered_to = None
    conversation.offer_expires_at = None
    conversation.offer_skipped = skipped
    conversation.queued_at = conversation.queued_at or timezone.now()
    conversation.save(
        update_fields=[
            "state",
            "assignee",
            "assigned_at",
            "offered_to",
            "offer_expires_at",
            "offer_skipped",
            "queued_at",
        ]
    )
    _state_changed(conversation)
    _queue_changed("requeued")


class BroadcastMemo:
    """What the engine told consoles and citizens last, so that it repeats nothing."""

    def __init__(self) -> None:
        self.queue: list[dict[str, Any]] | None = None
        self.positions: dict[str, tuple[int, int]] = {}


def queue_broadcast(*, memo: BroadcastMemo | None = None) -> None:
    """One ``queue.changed`` with the list itself to every console, and places to citizens.

    With a ``memo`` (the engine's), only what changed since the last broadcast.
    """
    queue = queue_list()
    if memo is None or memo.queue != queue:
        events.publish(events.AGENTS_GROUP, "queue.changed", {"reason": "changed", "queue": queue})
        if memo is not None:
            memo.queue = queue
    queue_positions_publish(memo=memo)


# Citizens told their place in line after each change. Further back, a place moves
# with every arrival ahead and says little; telling thousands on every change was
# work in proportion to the queue (bench/NOTES.md). They hear once they move up.
POSITIONS_TOLD = 200


def queue_positions_publish(*, memo: BroadcastMemo | None = None) -> None:
    """Tell waiting citizens their place in line and the estimated wait (if it changed)."""
    places = queue_places(limit=POSITIONS_TOLD)
    for place in places:
        public_id = str(place.conversation.public_id)
        now = (place.position, place.estimated_wait_seconds)
        if memo is not None and memo.positions.get(public_id) == now:
            continue
        events.publish(
            events.conversation_group(place.conversation.public_id),
            "queue.position",
            {
                "conversation": public_id,
                "position": place.position,
                "estimated_wait_seconds": place.estimated_wait_seconds,
            },
        )
    if memo is not None:
        memo.positions = {
            str(p.conversation.public_id): (p.position, p.estimated_wait_seconds) for p in places
        }


# ---- offers ---------------------------------------------------------------------------


def offer_accept(*, user: Any, conversation: Conversation | str) -> Conversation:
    """The agent takes the conversation offered to them (its slot was already counted)."""
    profile = _profile(user)
    with transaction.atomic():
        locked = _conversation_locked(conversation)
        if locked.state != ConversationState.OFFERED or locked.offered_to_id != user.pk:
            raise InvalidInput(_("This offer is no longer yours."), code="offer_gone")
        _assign(locked, profile)
    return locked


def offer_decline(*, user: Any, conversation: Conversation | str) -> Conversation:
    _profile(user)
    with transaction.atomic():
        locked = _conversation_locked(conversation)
        if locked.state != ConversationState.OFFERED or locked.offered_to_id != user.pk:
            raise InvalidInput(_("This offer is no longer yours."), code="offer_gone")
        _withdrawn(locked, user.pk)
        _requeue(locked, skip_user_id=user.pk)
        system_event_record(locked, event="requeued", data={"reason": "declined"})
    return locked


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Offers nobody answered in time go to the next agent; returns how many."""
    now = now or timezone.now()
    expired = 0
    due = Conversation.objects.filter(state=ConversationState.OFFERED, offer_expires_at__lt=now)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            conversation = (
                Conversation.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=ConversationState.OFFERED, offer_expires_at__lt=now)
                .first()
            )
            if conversation is None or conversation.offered_to_id is None:
                continue
            agent = AgentProfile.objects.select_related("user").get(
                user_id=conversation.offered_to_id
            )
            system_event_record(
                conversation, event="offer_expired", data={"agent_name": agent.public_name}
            )
            _withdrawn(conversation, agent.user_id)
            _requeue(conversation, skip_user_id=agent.user_id)
            expired += 1
    return expired


# ---- agents leaving --------------------------------------------------------------------


def offers_withdraw(*, user: Any, reason: str) -> int:
    """Take back the offers waiting for an agent who stepped away; they go to the next one."""
    name = user.profile.public_name
    withdrawn = 0
    with transaction.atomic():
        offered = Conversation.objects.select_for_update().filter(
            state=ConversationState.OFFERED, offered_to_id=user.pk
        )
        for conversation in offered.order_by("pk"):
            system_event_record(
                conversation, event="offer_expired", data={"agent_name": name, "reason": reason}
            )
            _withdrawn(conversation, user.pk)
            _requeue(conversation, skip_user_id=user.pk)
            withdrawn += 1
    return withdrawn


def agent_conversations_release(*, user: Any, reason: str) -> int:
    """An agent left (off duty, connection lost): their conversations go back to the head.

    Offers go to the next agent; conversations being served are requeued with
    their first ``queued_at``; a wrap-up is closed. Never lost, never stuck.
    """
    name = user.profile.public_name
    with transaction.atomic():
        released = offers_withdraw(user=user, reason=reason)
        held = Conversation.objects.select_for_update().filter(
            state__in=(ConversationState.ASSIGNED, ConversationState.WRAP_UP), assignee_id=user.pk
        )
        for conversation in held.order_by("pk"):
            if conversation.state == ConversationState.ASSIGNED:
                system_event_record(
                    conversation, event="agent_left", data={"agent_name": name, "reason": reason}
                )
                _ended(conversation, user.pk, reason)
                _requeue(conversation, skip_user_id=user.pk)
                system_event_record(conversation, event="requeued", data={"reason": reason})
            else:
                _close(conversation, disposition=conversation.disposition, reason=reason)
            released += 1
    return released


# ---- moving work between agents ----------------------------------------------------------


def _target_profile(to_agent: Any) -> AgentProfile:
    profile = (
        AgentProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user_id=to_agent.pk, role__in=SERVING_ROLES, user__is_active=True)
        .first()
    )
    if profile is None:
        raise InvalidInput(_("That person does not serve conversations."), code="not_an_agent")
    if profile.presence == Presence.OFF_DUTY:
        raise InvalidInput(
            _("%(name)s is off duty.") % {"name": profile.public_name}, code="agent_off_duty"
        )
    if agent_loads([profile.user_id])[profile.user_id] >= profile.max_concurrent:
        raise InvalidInput(
            _("%(name)s has no free slot.") % {"name": profile.public_name}, code="agent_full"
        )
    return profile


def is_ended_by_citizen(conversation: Conversation) -> bool:
    """Closed by the citizen and not yet wrapped up by its agent (no disposition chosen).

    It stays on the agent's console for the wrap-up and a ticket until the agent closes it.
    """
    return (
        conversation.state == ConversationState.CLOSED and conversation.disposition == CITIZEN_ENDED
    )


def _ensure_handles(conversation: Conversation, user: Any) -> None:
    if conversation.state not in (ConversationState.ASSIGNED, ConversationState.WRAP_UP):
        raise InvalidInput(_("This conversation is not being served."), code="not_assigned")
    if conversation.assignee_id != user.pk and not _can_supervise(user):
        raise NotInScope(_("This conversation is not yours."))


def conversation_transfer(
    *,
    user: Any,
    conversation: Conversation | str,
    to_agent: Any = None,
    to_skill: Skill | None = None,
    note: str = "",
) -> Conversation:
    """Hand a conversation to a named colleague (offered to them) or back to a queue."""
    _profile(user)
    if to_agent is not None and to_agent.pk == user.pk:
        raise InvalidInput(_("Choose a colleague, not yourself."), code="transfer_to_self")
    with transaction.atomic():
        org = _org_locked()
        locked = _conversation_locked(conversation)
        _ensure_handles(locked, user)
        previous = locked.assignee_id
        from_name = user.profile.public_name
        if note.strip():
            message_post(
                conversation=locked,
                sender_kind="agent",
                user=user,
                text=note,
                is_internal=True,
            )
        if to_agent is not None:
            target = _target_profile(to_agent)
            system_event_record(
                locked,
                event="transferred",
                data={
                    "from": from_name,
                    "to": target.public_name,
                    "agent_name": target.public_name,
                },
            )
            if previous is not None:
                _ended(locked, previous, "transferred")
            locked.assignee, locked.assigned_at, locked.offer_skipped = None, None, []
            locked.save(update_fields=["assignee", "assigned_at", "offer_skipped"])
            _hand_over(locked, target, org)
        else:
            if to_skill is not None:
                locked.required_skill = to_skill
                locked.save(update_fields=["required_skill"])
            system_event_record(
                locked,
                event="transferred",
                data={
                    "from": from_name,
                    "to": "queue",
                    "skill": to_skill.code if to_skill else "",
                    "agent_name": "",
                },
            )
            if previous is not None:
                _ended(locked, previous, "transferred")
            _requeue(locked, skip_user_id=previous)
    return locked


def conversation_reassign(
    *, supervisor: Any, conversation: Conversation | str, to_agent: Any
) -> Conversation:
    """A supervisor moves a waiting, offered or served conversation to an agent directly."""
    if not _can_supervise(supervisor):
        raise NotInScope(_("Only a supervisor may reassign conversations."))
    with transaction.atomic():
        _org_locked()
        locked = _conversation_locked(conversation)
        if locked.state not in (
            ConversationState.QUEUED,
            ConversationState.OFFERED,
            ConversationState.ASSIGNED,
        ):
            raise InvalidInput(
                _("Only waiting or served conversations can be reassigned."), code="not_open"
            )
        if to_agent.pk in (locked.assignee_id, locked.offered_to_id):
            raise InvalidInput(_("It is already with that agent."), code="same_agent")
        target = _target_profile(to_agent)
        system_event_record(
            locked,
            event="reassigned",
            data={"by": supervisor.profile.public_name, "agent_name": target.public_name},
        )
        if locked.state == ConversationState.OFFERED and locked.offered_to_id is not None:
            _withdrawn(locked, locked.offered_to_id)
        if locked.state == ConversationState.ASSIGNED and locked.assignee_id is not None:
            _ended(locked, locked.assignee_id, "reassigned")
        _assign(locked, target)
    return locked


def conversation_pick(*, user: Any, conversation: Conversation | str) -> Conversation:
    """An agent takes a waiting conversation from the queue, where the supervisor allows it."""
    _profile(user)
    with transaction.atomic():
        org = _org_locked()
        if not org.agents_may_pick:
            raise NotInScope(_("Picking from the queue is turned off by the supervisor."))
        locked = _conversation_locked(conversation)
        if locked.state != ConversationState.QUEUED:
            raise InvalidInput(_("Someone else took it already."), code="not_waiting")
        if lines_in_use() >= org.max_lines:
            raise InvalidInput(_("Every line of the center is busy."), code="lines_full")
        target = _target_profile(user)
        _assign(locked, target)
    return locked


# ---- the end of a conversation -----------------------------------------------------------


def conversation_wrap_up(*, user: Any, conversation: Conversation | str) -> Conversation:
    with transaction.atomic():
        locked = _conversation_locked(conversation)
        _ensure_handles(locked, user)
        if locked.state == ConversationState.WRAP_UP:
            return locked
        locked.state = ConversationState.WRAP_UP
        locked.save(update_fields=["state"])
        system_event_record(locked, event="wrap_up", data={})
        _state_changed(locked)
        _queue_changed("wrap_up")
    return locked


# Why a conversation ended, when the party that ended it names no other reason.
END_REASONS: dict[str, str] = {"citizen": CITIZEN_ENDED, "agent": "agent_closed"}


def conversation_end(
    *,
    conversation: Conversation | str,
    by: EndedBy,
    reason: str = "",
    user: Any = None,
    disposition: str = "",
    data: dict[str, Any] | None = None,
) -> Conversation:
    """End a conversation, whoever ends it: the one way any channel closes one.

    Whoever ends it, an offer is withdrawn from the agent's desk, an assignment
    ends there, the citizen's and the staff's clients are told, and the
    distributor runs once this commits, so the freed agent takes the next in line.

    - ``by="agent"``: ``user``, who serves it (or supervises), closes it with a
      ``disposition`` code. A chat the citizen ended already only gets the code
      (the agent's wrap-up); it is not closed twice.
    - ``by="citizen"``: the citizen left. A chat an agent served stays on their desk
      for the wrap-up, with the disposition ``citizen_ended`` until they record one.
    - ``by="system"``: the center closed it, for the ``reason`` given (a message left
      out of hours, the agent gone during the wrap-up, a portal report converted to its
      ticket with the ``disposition`` ``ticket_created``).

    ``data``: added to the ``closed`` event the transcript records (a ticket's
    ``reference``). Ending a closed conversation again changes nothing.
    """
    reason = reason or END_REASONS.get(by, "")
    if not reason:
        raise ValueError("the system names the reason a conversation ends")
    if (by == "agent" or disposition) and disposition not in Disposition.values:
        raise InvalidInput(_("Choose how the conversation ended."), code="invalid_disposition")
    with transaction.atomic():
        locked = _conversation_locked(conversation)
        if by == "agent":
            if is_ended_by_citizen(locked) and locked.assignee_id == user.pk:
                # The citizen ended it; the agent's wrap-up records how it ended.
                locked.disposition = disposition
                locked.save(update_fields=["disposition"])
                system_event_record(locked, event="wrap_up", data={"disposition": disposition})
                return locked
            _ensure_handles(locked, user)
        elif locked.state == ConversationState.CLOSED:
            return locked
        _close(
            locked,
            disposition=disposition or locked.disposition or reason,
            reason=reason,
            data=data,
        )
    if isinstance(conversation, Conversation):  # the caller's instance shows the end too
        conversation.state, conversation.closed_at = locked.state, locked.closed_at
        conversation.disposition = locked.disposition
    return locked


def _close(
    conversation: Conversation,
    *,
    disposition: str,
    reason: str,
    data: dict[str, Any] | None = None,
) -> None:
    offered_to = (
        conversation.offered_to_id if conversation.state == ConversationState.OFFERED else None
    )
    conversation.state = ConversationState.CLOSED
    conversation.closed_at = timezone.now()
    conversation.disposition = disposition
    conversation.offered_to = None
    conversation.offer_expires_at = None
    conversation.save(
        update_fields=["state", "closed_at", "disposition", "offered_to", "offer_expires_at"]
    )
    recorded = {"reason": reason, **(data or {})}
    if disposition and disposition != reason:  # a code someone chose, not the reason again
        recorded["disposition"] = disposition
    system_event_record(conversation, event="closed", data=recorded)
    _state_changed(conversation)
    if offered_to is not None:
        _withdrawn(conversation, offered_to)
    if conversation.assignee_id is not None:
        _ended(conversation, conversation.assignee_id, reason)
    if conversation.queued_at is not None or conversation.assignee_id is not None:
        # One that never waited nor was served (a portal report) frees no place.
        _queue_changed("closed")


def agents_may_pick_set(*, user: Any, allowed: bool) -> OrganisationSettings:
    """The supervisor's switch: may agents take conversations from the queue themselves?"""
    if not _can_supervise(user):
        raise NotInScope(_("Only a supervisor may change this."))
    with transaction.atomic():
        org = _org_locked()
        org.agents_may_pick = allowed
        org.save(update_fields=["agents_may_pick"])
        # Consoles re-read their desk and queue: what they may do has changed.
        events.publish(
            events.AGENTS_GROUP,
            "queue.changed",
            {"reason": "settings", "queue": queue_list()},
        )
    return org
