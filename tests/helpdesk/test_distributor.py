"""The live queue and the distributor, one behaviour per test (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from helpdesk.errors import InvalidInput, NotInScope
from helpdesk.models import (
    AgentProfile,
    Conversation,
    Message,
    OrganisationSettings,
    Presence,
)
from helpdesk.selectors.queue import queue_places
from helpdesk.services.distributor import (
    conversation_end,
    conversation_pick,
    conversation_reassign,
    conversation_transfer,
    distribute,
    offer_accept,
    offer_decline,
    offers_expire,
)
from helpdesk.services.presence import presence_heartbeat, presence_lost_sweep, presence_set
from tests.support.factories import make_agent, make_staff, make_waiting

pytestmark = pytest.mark.django_db


def _events(conversation: Conversation) -> list[tuple[str, dict]]:
    rows = Message.objects.filter(conversation=conversation, sender_kind="system").order_by("seq")
    return [(m.event, m.data) for m in rows]


def _state(conversation: Conversation) -> Conversation:
    conversation.refresh_from_db()
    return conversation


def _auto_accept(on: bool = True) -> None:
    OrganisationSettings.load()
    OrganisationSettings.objects.update(auto_accept=on)


def test_it_offers_the_head_of_the_queue_to_an_available_agent(org) -> None:
    agent = make_agent(display_name="Aisha")
    waiting = make_waiting()
    assert distribute() == 1
    waiting = _state(waiting)
    assert waiting.state == "offered"
    assert waiting.offered_to_id == agent.pk
    assert waiting.offer_expires_at > timezone.now()
    assert ("offered", {"agent_name": "Aisha"}) in _events(waiting)


def test_it_leaves_the_queue_alone_when_nobody_is_available(org) -> None:
    make_agent(available=False)
    waiting = make_waiting()
    assert distribute() == 0
    assert _state(waiting).state == "queued"


def test_it_gives_the_least_loaded_agent_first(org) -> None:
    _auto_accept()
    busy = make_agent(max_concurrent=3)
    idle = make_agent(max_concurrent=3)
    make_waiting(state="assigned", assignee=busy, assigned_at=timezone.now())
    waiting = make_waiting()
    distribute()
    assert _state(waiting).assignee_id == idle.pk


def test_it_gives_the_longest_idle_agent_first_when_loads_are_equal(org) -> None:
    _auto_accept()
    recent = make_agent()
    long_idle = make_agent()
    now = timezone.now()
    AgentProfile.objects.filter(user=recent).update(last_assigned_at=now)
    AgentProfile.objects.filter(user=long_idle).update(
        last_assigned_at=now - datetime.timedelta(hours=1)
    )
    waiting = make_waiting()
    distribute()
    assert _state(waiting).assignee_id == long_idle.pk


def test_it_never_gives_an_agent_more_than_their_capacity(org) -> None:
    _auto_accept()
    agent = make_agent(max_concurrent=2)
    conversations = [make_waiting() for _ in range(4)]
    assert distribute() == 2
    assert Conversation.objects.filter(assignee=agent, state="assigned").count() == 2
    assert [_state(c).state for c in conversations] == ["assigned", "assigned", "queued", "queued"]


def test_it_respects_the_centers_simultaneous_lines(org) -> None:
    _auto_accept()
    OrganisationSettings.objects.update(max_lines=3)
    for _ in range(3):
        make_agent(max_concurrent=2)
    for _ in range(8):
        make_waiting()
    assert distribute() == 3
    assert Conversation.objects.filter(state="queued").count() == 5


def test_it_serves_higher_priority_first_then_the_longest_waiting(org) -> None:
    _auto_accept()
    make_agent(max_concurrent=2)
    now = timezone.now()
    old_normal = make_waiting(priority=1, queued_at=now - datetime.timedelta(minutes=9))
    new_urgent = make_waiting(priority=3, queued_at=now)
    older_normal = make_waiting(priority=1, queued_at=now - datetime.timedelta(minutes=10))
    distribute()
    assert _state(new_urgent).state == "assigned"
    assert _state(older_normal).state == "assigned"
    assert _state(old_normal).state == "queued"


def test_it_offers_a_conversation_needing_a_skill_only_to_agents_with_it(org) -> None:
    _auto_accept()
    make_agent(skills=[org.general])
    tourism_agent = make_agent(skills=[org.tourism])
    waiting = make_waiting(required_skill=org.tourism)
    distribute()
    assert _state(waiting).assignee_id == tourism_agent.pk


def test_it_waits_rather_than_give_a_skill_to_an_agent_without_it(org) -> None:
    make_agent(skills=[org.general])
    waiting = make_waiting(required_skill=org.tourism)
    assert distribute() == 0
    assert _state(waiting).state == "queued"


def test_it_offers_only_to_agents_speaking_the_language(org) -> None:
    _auto_accept()
    make_agent(languages=["ar"])
    english = make_agent(languages=["ar", "en"])
    waiting = make_waiting(language="en")
    distribute()
    assert _state(waiting).assignee_id == english.pk


def test_it_offers_only_to_agents_serving_the_channel(org) -> None:
    _auto_accept()
    chat_only = make_agent()
    AgentProfile.objects.filter(user=chat_only).update(channels=["webchat"])
    social = make_agent()
    AgentProfile.objects.filter(user=social).update(channels=["x", "facebook"])
    waiting = make_waiting(channel="x")
    distribute()
    assert _state(waiting).assignee_id == social.pk


def test_accepting_an_offer_assigns_and_names_the_agent(org) -> None:
    agent = make_agent(display_name="Salim")
    waiting = make_waiting()
    distribute()
    offer_accept(user=agent, conversation=str(waiting.public_id))
    waiting = _state(waiting)
    assert (waiting.state, waiting.assignee_id, waiting.offered_to_id) == (
        "assigned",
        agent.pk,
        None,
    )
    assert ("assigned", {"agent_name": "Salim"}) in _events(waiting)


def test_nobody_else_can_accept_an_offer(org) -> None:
    make_agent()
    other = make_agent(available=False)
    waiting = make_waiting()
    distribute()
    with pytest.raises(InvalidInput):
        offer_accept(user=other, conversation=str(waiting.public_id))


def test_an_unanswered_offer_moves_to_the_next_agent(org) -> None:
    first = make_agent()
    second = make_agent()
    AgentProfile.objects.filter(user=second).update(last_assigned_at=timezone.now())
    waiting = make_waiting()
    distribute()
    assert _state(waiting).offered_to_id == first.pk
    offers_expire(now=timezone.now() + datetime.timedelta(minutes=5))
    distribute()
    waiting = _state(waiting)
    assert waiting.offered_to_id == second.pk
    events = [e for e, _ in _events(waiting)]
    assert events.count("offer_expired") == 1
    assert events[-1] == "offered"


def test_an_offer_not_yet_due_stays(org) -> None:
    agent = make_agent()
    waiting = make_waiting()
    distribute()
    assert offers_expire() == 0
    assert _state(waiting).offered_to_id == agent.pk


def test_an_unanswered_offer_comes_back_to_the_only_agent(org) -> None:
    agent = make_agent()
    waiting = make_waiting()
    distribute()
    offers_expire(now=timezone.now() + datetime.timedelta(minutes=5))
    distribute()
    assert _state(waiting).offered_to_id == agent.pk


def test_a_declined_offer_goes_to_someone_else(org) -> None:
    first = make_agent()
    second = make_agent()
    AgentProfile.objects.filter(user=second).update(last_assigned_at=timezone.now())
    waiting = make_waiting()
    distribute()
    offer_decline(user=first, conversation=str(waiting.public_id))
    distribute()
    assert _state(waiting).offered_to_id == second.pk


def test_transfer_to_a_colleague_offers_it_to_them_with_a_private_note(org) -> None:
    _auto_accept()
    first = make_agent(display_name="Aisha")
    waiting = make_waiting()
    distribute()
    colleague = make_agent(display_name="Salim")
    _auto_accept(False)
    conversation_transfer(
        user=first, conversation=str(waiting.public_id), to_agent=colleague, note="Needs Salim"
    )
    waiting = _state(waiting)
    assert (waiting.state, waiting.offered_to_id, waiting.assignee_id) == (
        "offered",
        colleague.pk,
        None,
    )
    note = Message.objects.get(conversation=waiting, is_internal=True)
    assert note.text == "Needs Salim"
    assert ("transferred", {"from": "Aisha", "to": "Salim", "agent_name": "Salim"}) in _events(
        waiting
    )


def test_transfer_to_a_queue_sets_the_skill_and_skips_the_sender(org) -> None:
    _auto_accept()
    first = make_agent(skills=[org.general, org.tourism])
    waiting = make_waiting()
    distribute()
    tourism = make_agent(skills=[org.tourism])
    conversation_transfer(user=first, conversation=str(waiting.public_id), to_skill=org.tourism)
    distribute()
    waiting = _state(waiting)
    assert waiting.required_skill_id == org.tourism.pk
    assert waiting.assignee_id == tourism.pk


def test_transfer_to_a_full_colleague_is_refused(org) -> None:
    _auto_accept()
    first = make_agent()
    waiting = make_waiting()
    distribute()
    full = make_agent(max_concurrent=1)
    make_waiting(state="assigned", assignee=full)
    with pytest.raises(InvalidInput):
        conversation_transfer(user=first, conversation=str(waiting.public_id), to_agent=full)
    assert _state(waiting).assignee_id == first.pk


def test_an_agent_cannot_transfer_a_colleagues_conversation(org) -> None:
    owner = make_agent()
    other = make_agent()
    served = make_waiting(state="assigned", assignee=owner)
    with pytest.raises(NotInScope):
        conversation_transfer(user=other, conversation=str(served.public_id), to_skill=None)


def test_a_supervisor_reassigns_a_served_conversation(org) -> None:
    first = make_agent()
    second = make_agent(display_name="Salim")
    supervisor = make_staff("supervisor", display_name="Fatma")
    served = make_waiting(state="assigned", assignee=first)
    conversation_reassign(
        supervisor=supervisor, conversation=str(served.public_id), to_agent=second
    )
    served = _state(served)
    assert (served.state, served.assignee_id) == ("assigned", second.pk)
    assert ("reassigned", {"by": "Fatma", "agent_name": "Salim"}) in _events(served)


def test_an_agent_may_not_reassign(org) -> None:
    first = make_agent()
    second = make_agent()
    served = make_waiting(state="assigned", assignee=first)
    with pytest.raises(NotInScope):
        conversation_reassign(supervisor=second, conversation=str(served.public_id), to_agent=first)


def test_closing_needs_a_disposition_code(org) -> None:
    agent = make_agent()
    served = make_waiting(state="assigned", assignee=agent)
    with pytest.raises(InvalidInput):
        conversation_end(
            conversation=str(served.public_id), by="agent", user=agent, disposition="whatever"
        )


def test_closing_frees_the_slot_for_the_next_in_line(org) -> None:
    _auto_accept()
    agent = make_agent(max_concurrent=1)
    served = make_waiting(state="assigned", assignee=agent)
    waiting = make_waiting()
    assert distribute() == 0
    conversation_end(
        conversation=str(served.public_id), by="agent", user=agent, disposition="answered"
    )
    distribute()
    assert _state(served).disposition == "answered"
    assert _state(waiting).assignee_id == agent.pk


@pytest.mark.parametrize("by", ["agent", "citizen"])
def test_whoever_ends_the_chat_the_freed_agent_takes_the_next_in_line_at_once(
    org, by: str, django_capture_on_commit_callbacks
) -> None:
    _auto_accept()
    agent = make_agent(max_concurrent=1)
    served = make_waiting(state="assigned", assignee=agent)
    waiting = make_waiting()
    # As a socket's frame runs: the end commits, and the distributor runs after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        if by == "agent":
            conversation_end(conversation=served, by="agent", user=agent, disposition="answered")
        else:
            conversation_end(conversation=served, by="citizen")
    assert _state(served).state == "closed"
    assert _state(waiting).assignee_id == agent.pk


def test_a_citizen_who_leaves_before_the_offer_is_answered_withdraws_it(org) -> None:
    agent = make_agent(display_name="Aisha")
    offered = make_waiting()
    distribute()
    desk_seq = AgentProfile.objects.get(user=agent).desk_seq
    conversation_end(conversation=offered, by="citizen")
    offered = _state(offered)
    assert offered.state == "closed"
    assert (offered.offered_to_id, offered.offer_expires_at) == (None, None)
    # One desk event, offer.withdrawn, tells the agent's console to drop the offer.
    assert AgentProfile.objects.get(user=agent).desk_seq == desk_seq + 1
    assert _events(offered)[-1] == ("closed", {"reason": "citizen_ended"})


def test_the_citizen_ending_a_served_chat_leaves_it_to_the_agents_wrap_up(org) -> None:
    agent = make_agent()
    served = make_waiting(state="assigned", assignee=agent)
    conversation_end(conversation=served, by="citizen")
    assert (_state(served).state, served.disposition) == ("closed", "citizen_ended")
    # The agent's close records how it ended; it is not closed a second time.
    conversation_end(conversation=served, by="agent", user=agent, disposition="answered")
    assert _state(served).disposition == "answered"
    assert [event for event, _data in _events(served)].count("closed") == 1


def test_the_system_must_say_why_it_ends_a_conversation(org) -> None:
    with pytest.raises(ValueError):
        conversation_end(conversation=make_waiting(), by="system")


def test_ending_a_closed_conversation_again_changes_nothing(org) -> None:
    served = make_waiting(state="assigned", assignee=make_agent())
    conversation_end(conversation=served, by="citizen")
    conversation_end(conversation=served, by="citizen")
    assert [event for event, _data in _events(served)].count("closed") == 1


def test_picking_from_the_queue_follows_the_supervisors_switch(org) -> None:
    agent = make_agent(available=False)
    AgentProfile.objects.filter(user=agent).update(presence=Presence.AWAY)
    waiting = make_waiting()
    OrganisationSettings.load()
    OrganisationSettings.objects.update(agents_may_pick=False)
    with pytest.raises(NotInScope):
        conversation_pick(user=agent, conversation=str(waiting.public_id))
    OrganisationSettings.objects.update(agents_may_pick=True)
    conversation_pick(user=agent, conversation=str(waiting.public_id))
    assert _state(waiting).assignee_id == agent.pk


def test_a_lost_connection_puts_the_agents_conversations_back_at_the_head(org) -> None:
    gone = make_agent(display_name="Aisha")
    now = timezone.now()
    served = make_waiting(
        state="assigned", assignee=gone, queued_at=now - datetime.timedelta(minutes=1)
    )
    later = make_waiting(queued_at=now)
    OrganisationSettings.load()
    OrganisationSettings.objects.update(presence_grace_seconds=60)
    AgentProfile.objects.filter(user=gone).update(
        last_heartbeat_at=now - datetime.timedelta(seconds=61)
    )
    assert presence_lost_sweep() == [gone.pk]
    served = _state(served)
    assert (served.state, served.assignee_id) == ("queued", None)
    assert [p.conversation.pk for p in queue_places()] == [served.pk, later.pk]
    assert AgentProfile.objects.get(user=gone).presence == Presence.OFF_DUTY
    assert [e for e, _ in _events(served)][-2:] == ["agent_left", "requeued"]


def test_a_heartbeat_within_the_grace_period_keeps_the_agent(org) -> None:
    agent = make_agent()
    served = make_waiting(state="assigned", assignee=agent)
    AgentProfile.objects.filter(user=agent).update(
        last_heartbeat_at=timezone.now() - datetime.timedelta(seconds=600)
    )
    presence_heartbeat(user=agent)
    assert presence_lost_sweep() == []
    assert _state(served).assignee_id == agent.pk


def test_going_away_withdraws_pending_offers_but_keeps_served_ones(org) -> None:
    agent = make_agent()
    served = make_waiting(state="assigned", assignee=agent)
    offered = make_waiting()
    distribute()
    assert _state(offered).offered_to_id == agent.pk
    presence_set(user=agent, presence=Presence.AWAY)
    assert _state(offered).state == "queued"
    assert _state(served).assignee_id == agent.pk


def test_queue_places_estimate_the_wait_from_capacity(org) -> None:
    make_agent(available=False)
    first = make_waiting()
    second = make_waiting()
    places = queue_places()
    assert [(p.conversation.pk, p.position) for p in places] == [(first.pk, 1), (second.pk, 2)]
    assert 0 < places[0].estimated_wait_seconds <= places[1].estimated_wait_seconds
