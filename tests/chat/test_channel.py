"""The web chat adapter: ticket updates go into the chat, and by e-mail when given."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from chat import services
from helpdesk.models import Message, Notification
from helpdesk.notify.delivery import notification_deliver
from helpdesk.services.distributor import conversation_end
from helpdesk.services.tickets import ticket_dispatch, ticket_register
from tests.support.factories import actor, make_staff, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(open_center: Any) -> Any:
    return open_center


def deliver_all() -> None:
    for notification in Notification.objects.order_by("pk"):
        notification_deliver(notification_id=notification.pk)


def test_it_puts_the_update_into_the_chat_even_after_the_chat_ended(org: Any) -> None:
    conversation = services.chat_start(name="Maryam", language="en")
    conversation_end(conversation=conversation, by="citizen")
    ticket = make_ticket(
        org, contact=conversation.contact, conversation=conversation, channel="webchat"
    )
    ticket_dispatch(ticket=ticket, actor=actor(make_staff("dispatcher")))
    deliver_all()
    updates = Message.objects.filter(conversation=conversation, event="notification")
    assert [update.text.split(":")[0] for update in updates] == ["Muscat Municipality"] * 2
    assert ticket.reference in updates.last().text  # type: ignore[union-attr, operator]
    assert "forwarded" in updates.last().text  # type: ignore[union-attr, operator]


def test_it_also_mails_the_update_to_the_address_given_in_the_pre_chat_form(org: Any) -> None:
    conversation = services.chat_start(name="Maryam", language="en", email="maryam@example.om")
    ticket = make_ticket(
        org,
        contact=conversation.contact,
        conversation=conversation,
        channel="webchat",
        register=False,
    )
    ticket_register(ticket=ticket, actor=actor(make_staff("agent")))
    deliver_all()
    assert Message.objects.filter(conversation=conversation, event="notification").count() == 1
    assert [message.to for message in mail.outbox] == [["maryam@example.om"]]
    assert ticket.reference in mail.outbox[0].subject


def test_it_refuses_a_malformed_pre_chat_address_in_the_citizens_language(org: Any) -> None:
    from helpdesk.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        services.chat_start(name="سعيد", language="ar", email="not-an-address")
    assert refused.value.code == "invalid_email"
