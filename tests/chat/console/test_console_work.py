"""The console's services: one ticket per conversation unless meant, the subject, logging out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chat.console.worklist import worklist_groups
from helpdesk import events
from helpdesk.errors import InvalidInput
from helpdesk.models import Conversation, Presence, SenderKind, Ticket
from helpdesk.services import distributor
from helpdesk.services.console import conversation_ticket_create, ticket_prefill
from helpdesk.services.conversations import message_append
from tests.support.factories import Org, make_agent, make_staff, make_waiting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _served(agent: Any, *texts: str) -> Conversation:
    conversation = make_waiting()
    for text in texts:
        message_append(
            conversation_id=conversation.pk,
            sender_kind=SenderKind.CITIZEN,
            channel=conversation.channel,
            text=text,
        )
    distributor.conversation_pick(user=agent, conversation=conversation)
    conversation.refresh_from_db()
    return conversation


def _ticket(agent: Any, conversation: Conversation, org: Org, **more: Any) -> Ticket:
    fields = {"category": org.pothole.code, "description": "حفرة", "subject": "حفرة", **more}
    return conversation_ticket_create(
        user=agent, conversation=str(conversation.public_id), fields=fields
    )


def test_it_refuses_a_second_ticket_unless_the_agent_means_it(org: Org) -> None:
    agent = make_agent()
    conversation = _served(agent, "حفرة كبيرة في الشارع")
    first = _ticket(agent, conversation, org)
    with pytest.raises(InvalidInput) as refused:
        _ticket(agent, conversation, org)
    assert refused.value.code == "ticket_exists"
    assert first.reference in refused.value.message
    second = _ticket(agent, conversation, org, another=True)
    assert second.reference != first.reference
    prefill = ticket_prefill(user=agent, conversation=str(conversation.public_id))
    assert [t["reference"] for t in prefill["existing"]] == [first.reference, second.reference]


def test_it_prefills_the_subject_from_all_the_citizens_words_not_the_first(org: Org) -> None:
    agent = make_agent()
    conversation = _served(agent, "0", "مرحبا", "توجد حفرة كبيرة في الطريق")
    prefill = ticket_prefill(user=agent, conversation=str(conversation.public_id))
    assert prefill["subject"] == org.pothole.name_ar


def test_it_takes_the_agent_off_duty_and_requeues_their_chats_at_logout(org: Org) -> None:
    agent = make_agent()
    conversation = _served(agent, "مرحبا")
    client = Client()
    client.force_login(agent)
    client.post(reverse("logout"))
    agent.profile.refresh_from_db()
    conversation.refresh_from_db()
    assert agent.profile.presence == Presence.OFF_DUTY
    assert conversation.state == "queued" and conversation.assignee_id is None
    assert conversation.messages.filter(event="requeued", data__reason="logged_out").exists()


def test_it_joins_each_role_to_the_worklist_groups_of_its_scope(org: Org) -> None:
    section_user = make_staff("section_staff", sections=[org.potholes])
    partner_user = make_staff("partner", partner=org.haya)
    assert worklist_groups(make_staff("dispatcher")) == [events.role_group("dispatcher")]
    assert worklist_groups(section_user) == [events.section_group(org.potholes.pk)]
    assert worklist_groups(partner_user) == [events.partner_group(org.haya.pk)]
    assert worklist_groups(make_staff("agent")) == []
