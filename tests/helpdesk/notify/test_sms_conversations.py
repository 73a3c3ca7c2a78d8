"""A citizen's text enters the one inbound path: a conversation on channel SMS that an
agent takes from the live queue and answers by SMS.

The gateway calls the real webhook (as it would, with its token); the agent works
through the console's services; the answer leaves through the fake gateway.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from helpdesk.models import (
    Conversation,
    ConversationState,
    InboundSms,
    Message,
    Notification,
    NotificationStatus,
    SenderKind,
)
from helpdesk.notify.delivery import notification_deliver
from helpdesk.services.console import console_reply
from helpdesk.services.distributor import distribute, offer_accept
from tests.support.factories import Org, make_agent, make_contact, make_ticket
from tests.support.sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db

INBOUND = "/notify/sms/inbound/hook-token/"
NUMBER = "+96891234567"


def _text(client: Client, text: str, gateway_id: str, sender: str = "96891234567") -> None:
    response = client.post(INBOUND, {"from": sender, "text": text, "id": gateway_id})
    assert response.status_code == 200


def _citizen_texts(conversation: Conversation) -> list[str]:
    return list(
        Message.objects.filter(conversation=conversation, sender_kind=SenderKind.CITIZEN)
        .order_by("seq")
        .values_list("text", flat=True)
    )


def test_it_puts_a_citizens_text_in_the_live_queue(
    client: Client, org: Org, gateway: FakeSmsGateway
) -> None:
    ticket = make_ticket(org, contact=make_contact(phone=NUMBER))
    _text(client, "الحفرة ما زالت", "in-1")
    conversation = Conversation.objects.get(channel="sms")
    assert conversation.state == ConversationState.QUEUED
    assert conversation.queued_at is not None
    assert conversation.contact == ticket.contact
    assert _citizen_texts(conversation) == ["الحفرة ما زالت"]
    assert InboundSms.objects.get(gateway_id="in-1").ticket == ticket


def test_it_offers_the_text_to_an_available_agent(client: Client, gateway: FakeSmsGateway) -> None:
    agent = make_agent()
    _text(client, "Is anyone there?", "in-1")
    assert distribute() == 1
    conversation = Conversation.objects.get(channel="sms")
    assert conversation.state == ConversationState.OFFERED
    assert conversation.offered_to == agent


def test_it_adds_the_next_text_to_the_open_conversation_of_that_number(
    client: Client, gateway: FakeSmsGateway
) -> None:
    _text(client, "The street light is out", "in-1")
    _text(client, "+96891234567 near the mosque", "in-2", sender="+96891234567")
    conversation = Conversation.objects.get(channel="sms")
    assert _citizen_texts(conversation) == [
        "The street light is out",
        "+96891234567 near the mosque",
    ]


def test_it_opens_a_new_conversation_after_the_last_one_closed(
    client: Client, gateway: FakeSmsGateway
) -> None:
    _text(client, "first", "in-1")
    Conversation.objects.update(state=ConversationState.CLOSED)
    _text(client, "second", "in-2")
    assert Conversation.objects.filter(channel="sms").count() == 2
    assert Conversation.objects.get(channel="sms", state=ConversationState.QUEUED).subject == (
        "second"
    )


def test_it_keeps_a_redelivered_text_once_in_the_conversation(
    client: Client, gateway: FakeSmsGateway
) -> None:
    for _ in range(2):
        _text(client, "again", "in-1")
    assert _citizen_texts(Conversation.objects.get(channel="sms")) == ["again"]


def test_it_keeps_an_empty_text_without_bothering_an_agent(
    client: Client, gateway: FakeSmsGateway
) -> None:
    _text(client, "", "in-1")
    assert InboundSms.objects.filter(gateway_id="in-1").exists()
    assert not Conversation.objects.exists()


def _agent_answers(
    client: Client, capture: Any, text: str, *, internal: bool = False
) -> Conversation:
    """The citizen texts, an agent takes the conversation from the queue and writes
    ``text`` in it (a private note when ``internal``); returns the conversation."""
    agent = make_agent()
    _text(client, "Any news about my report?", "in-1")
    distribute()
    conversation = Conversation.objects.get(channel="sms")
    offer_accept(user=agent, conversation=str(conversation.public_id))
    with capture(execute=True):
        console_reply(
            user=agent,
            conversation=str(conversation.public_id),
            text=text,
            client_id="c-1",
            internal=internal,
        )
    return conversation


def test_an_agents_answer_goes_back_to_the_citizen_by_sms(
    client: Client, gateway: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _agent_answers(
        client, django_capture_on_commit_callbacks, "A crew is on its way today."
    )
    sms = Notification.objects.get(channel="sms", message__conversation=conversation)
    assert sms.recipient == NUMBER
    assert notification_deliver(notification_id=sms.pk) == "sent"
    [params] = gateway.delivered.values()
    assert (params["to"], params["text"]) == ("96891234567", "A crew is on its way today.")
    assert params["ref"] == sms.idempotency_key


def test_an_agents_private_note_is_not_texted(
    client: Client, gateway: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    _agent_answers(client, django_capture_on_commit_callbacks, "Sounds upset", internal=True)
    assert not Notification.objects.filter(channel="sms", message__isnull=False).exists()


def test_an_answer_the_gateway_refuses_is_reported_in_the_conversation(
    client: Client, gateway: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _agent_answers(client, django_capture_on_commit_callbacks, "Hi")
    sms = Notification.objects.get(channel="sms", message__conversation=conversation)
    gateway.fail_next(400, "102 invalid destination")
    assert notification_deliver(notification_id=sms.pk) == "failed"
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.FAILED
    assert Message.objects.filter(conversation=conversation, event="delivery_failed").exists()
