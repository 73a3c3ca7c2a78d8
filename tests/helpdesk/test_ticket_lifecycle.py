"""The ticket state machine: every action, by every role, from every status."""

from __future__ import annotations

import pytest

from helpdesk.errors import InvalidInput, NotInScope, TransitionNotAllowed
from helpdesk.models import Role, Ticket, TicketEvent, TicketEventKind, TicketStatus
from helpdesk.roles import SYSTEM, SYSTEM_ROLE, Actor
from helpdesk.services.tickets import (
    TRANSITIONS,
    ticket_dispatch,
    ticket_forward_to_partner,
    ticket_reclassify,
    ticket_transition,
    transitions_for,
)
from tests.support.factories import Org, actor, make_staff, make_ticket

ALL_ROLES = [*Role.values, SYSTEM_ROLE]

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


def _actor_in_scope(role: str, org: Org) -> Actor:
    if role == SYSTEM_ROLE:
        return SYSTEM
    if role == Role.SECTION_STAFF:
        return actor(make_staff(role, sections=[org.potholes]))
    if role == Role.PARTNER:
        return actor(make_staff(role, partner=org.haya))
    return actor(make_staff(role))


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_it_allows_exactly_the_owning_roles_from_the_source_statuses(
    org: Org, action: str, role: str
) -> None:
    transition = TRANSITIONS[action]
    who = _actor_in_scope(role, org)
    ticket = make_ticket(org, register=False)
    Ticket.objects.filter(pk=ticket.pk).update(partner=org.haya)
    for status in TicketStatus.values:
        Ticket.objects.filter(pk=ticket.pk).update(status=status)
        ticket.refresh_from_db()
        allowed = status in transition.sources and role in transition.roles
        events_before = TicketEvent.objects.filter(ticket=ticket).count()
        if allowed:
            event = ticket_transition(ticket=ticket, action=action, actor=who, note="because")
            ticket.refresh_from_db()
            assert ticket.status == transition.target
            assert (event.from_status, event.to_status) == (status, transition.target)
            assert event.actor_role == role
            assert event.kind == TicketEventKind.TRANSITION
        else:
            with pytest.raises(TransitionNotAllowed):
                ticket_transition(ticket=ticket, action=action, actor=who, note="because")
            ticket.refresh_from_db()
            assert ticket.status == status
            assert TicketEvent.objects.filter(ticket=ticket).count() == events_before


def test_it_walks_the_muscat_three_line_flow(org: Org) -> None:
    agent = actor(make_staff(Role.AGENT))
    dispatcher = actor(make_staff(Role.DISPATCHER))
    section = actor(make_staff(Role.SECTION_STAFF, sections=[org.potholes]))
    ticket = make_ticket(org, by=agent)
    assert ticket.status == TicketStatus.REGISTERED
    assert ticket.resolution_due is not None and ticket.registered_at is not None
    ticket_dispatch(ticket=ticket, actor=dispatcher)
    ticket_transition(ticket=ticket, action="start", actor=section)
    ticket_transition(ticket=ticket, action="resolve", actor=section, note="Filled the hole.")
    ticket_transition(ticket=ticket, action="notify_citizen", actor=dispatcher, note="Called.")
    ticket_transition(ticket=ticket, action="close", actor=dispatcher)
    statuses = list(
        ticket.events.filter(kind=TicketEventKind.TRANSITION).values_list("to_status", flat=True)
    )
    assert statuses == [
        "new",
        "registered",
        "dispatched",
        "in_progress",
        "resolved",
        "citizen_notified",
        "closed",
    ]
    assert ticket.handled_by_id == section.user.pk


def test_it_keeps_section_staff_to_their_own_section(org: Org) -> None:
    other_section = actor(make_staff(Role.SECTION_STAFF, sections=[org.collection]))
    ticket = make_ticket(org)
    ticket_dispatch(ticket=ticket, actor=actor(make_staff(Role.DISPATCHER)))
    with pytest.raises(NotInScope):
        ticket_transition(ticket=ticket, action="start", actor=other_section)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED


def test_it_keeps_partners_to_what_was_forwarded_to_them(org: Org) -> None:
    omantel = actor(make_staff(Role.PARTNER, partner=org.omantel))
    ticket = make_ticket(org)
    ticket_forward_to_partner(
        ticket=ticket, actor=actor(make_staff(Role.DISPATCHER)), partner=org.haya
    )
    with pytest.raises(NotInScope):
        ticket_transition(ticket=ticket, action="partner_resolve", actor=omantel, note="done")


def test_it_requires_a_reason_to_return_a_ticket(org: Org) -> None:
    section = actor(make_staff(Role.SECTION_STAFF, sections=[org.potholes]))
    ticket = make_ticket(org)
    ticket_dispatch(ticket=ticket, actor=actor(make_staff(Role.DISPATCHER)))
    with pytest.raises(TransitionNotAllowed, match="needs a note"):
        ticket_transition(ticket=ticket, action="return", actor=section, note="  ")


def test_it_rejects_an_unknown_action_with_a_clear_message(org: Org) -> None:
    ticket = make_ticket(org)
    with pytest.raises(TransitionNotAllowed, match="Unknown action"):
        ticket_transition(ticket=ticket, action="teleport", actor=SYSTEM)


def test_it_records_a_reclassification_with_before_and_after(org: Org) -> None:
    dispatcher = actor(make_staff(Role.DISPATCHER))
    ticket = make_ticket(org)
    ticket_reclassify(ticket=ticket, actor=dispatcher, category=org.streetlight)
    ticket.refresh_from_db()
    assert ticket.section == org.lighting
    event = ticket.events.get(kind=TicketEventKind.CLASSIFICATION)
    assert event.data == {
        "before": {"category": "pothole", "section": "road-maintenance"},
        "after": {"category": "streetlight", "section": "lighting"},
    }


def test_it_offers_only_the_actions_the_actor_may_take(org: Org) -> None:
    dispatcher = actor(make_staff(Role.DISPATCHER))
    ticket = make_ticket(org)
    assert {t.action for t in transitions_for(ticket, dispatcher)} == {
        "dispatch",
        "forward_external",
    }


def test_it_refuses_a_ticket_without_details(org: Org) -> None:
    with pytest.raises(InvalidInput):
        make_ticket(org, description="   ")
    assert not Ticket.objects.exists()
