"""The whole ticket lifecycle tells the right people the right thing, in their language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from helpdesk import adapters
from helpdesk.models import (
    Conversation,
    ConversationState,
    Message,
    Notification,
    NotificationStatus,
    Role,
    Ticket,
)
from helpdesk.services.tickets import ticket_dispatch, ticket_forward_to_partner, ticket_transition
from tests.support.factories import Org, actor, make_contact, make_staff, make_ticket, readable

pytestmark = pytest.mark.django_db


def _walk_to_closed(org: Org, ticket: Ticket) -> None:
    dispatcher = actor(make_staff(Role.DISPATCHER))
    section = actor(make_staff(Role.SECTION_STAFF, sections=[org.potholes]))
    ticket_dispatch(ticket=ticket, actor=dispatcher)
    ticket_transition(ticket=ticket, action="start", actor=section)
    ticket_transition(
        ticket=ticket, action="resolve", actor=section, note="Patched the road on Monday."
    )
    ticket_transition(ticket=ticket, action="notify_citizen", actor=dispatcher, note="Called.")
    ticket_transition(ticket=ticket, action="close", actor=dispatcher)


def _sent(ticket: Ticket) -> list[Notification]:
    return list(Notification.objects.filter(ticket=ticket).order_by("pk"))


def test_it_tells_an_arabic_citizen_every_step_by_sms_in_arabic(org: Org) -> None:
    ticket = make_ticket(org, contact=make_contact(language="ar", preferred_channel="sms"))
    _walk_to_closed(org, ticket)
    sent = _sent(ticket)
    assert [n.template_key for n in sent] == [
        "ticket_registered",
        "forwarded_to_section",
        "resolved",
        "closed",
    ]
    assert {(n.channel, n.recipient, n.language) for n in sent} == {("sms", "+96891234567", "ar")}
    assert ticket.reference in readable(sent[0].body)
    assert "تم تسجيل بلاغكم" in sent[0].body
    assert "صيانة الطرق" in sent[1].body  # the section's Arabic name
    assert "Patched the road" in sent[2].body  # the resolution note reaches the citizen
    assert all(n.sms_encoding == "ucs2" for n in sent)


def test_it_e_mails_an_english_citizen_who_prefers_e_mail(org: Org) -> None:
    contact = make_contact(language="en", preferred_channel="email", email="said@example.org")
    ticket = make_ticket(org, contact=contact)
    [registered] = _sent(ticket)
    assert (registered.channel, registered.recipient) == ("email", "said@example.org")
    assert registered.subject == f"Your report {ticket.reference} is registered"
    assert registered.body.startswith("Dear Said,")


def test_it_faxes_a_citizen_who_prefers_fax(org: Org) -> None:
    contact = make_contact(preferred_channel="fax", fax="+96824123456")
    [registered] = _sent(make_ticket(org, contact=contact))
    assert (registered.channel, registered.recipient) == ("fax", "+96824123456")
    assert registered.subject  # a fax page gets the e-mail words, with a title


def test_it_falls_back_to_sms_when_the_preferred_channel_has_no_address(org: Org) -> None:
    contact = make_contact(preferred_channel="email", email="")
    [registered] = _sent(make_ticket(org, contact=contact))
    assert registered.channel == "sms"


def test_it_does_not_sms_a_landline(org: Org) -> None:
    contact = make_contact(phone="+96824123456", email="said@example.org")
    [registered] = _sent(make_ticket(org, contact=contact))
    assert registered.channel == "email"


def test_it_tells_the_citizen_which_agency_to_follow_up_with(org: Org) -> None:
    ticket = make_ticket(org, category=org.water, contact=make_contact(language="ar"))
    ticket_forward_to_partner(
        ticket=ticket, actor=actor(make_staff(Role.DISPATCHER)), partner=org.haya
    )
    to_citizen = Notification.objects.get(ticket=ticket, template_key="forwarded_to_partner")
    assert to_citizen.recipient == "+96891234567"
    assert "حيا للمياه" in to_citizen.body
    assert "يرجى المتابعة مع حيا للمياه على 1442." in to_citizen.body


def test_it_sends_the_partner_the_case_by_e_mail_and_sms(org: Org) -> None:
    ticket = make_ticket(org, category=org.water, address="Al Khuwair, near the mosque")
    ticket_forward_to_partner(
        ticket=ticket,
        actor=actor(make_staff(Role.DISPATCHER)),
        partner=org.haya,
        note="Water leaking for two days.",
    )
    cases = Notification.objects.filter(ticket=ticket, template_key="partner_case")
    by_channel = {n.channel: n for n in cases}
    assert set(by_channel) == {"email", "sms"}
    email = by_channel["email"]
    assert (email.recipient, email.language, email.partner) == (
        "haya@example.org",
        "ar+en",
        org.haya,
    )
    assert "السادة حيا للمياه" in email.body and "Dear Haya Water" in email.body
    assert "Water leaking for two days." in email.body
    assert "Al Khuwair, near the mosque" in email.body
    assert by_channel["sms"].recipient == "+96891000001"


def test_it_tells_no_one_about_a_change_that_was_rolled_back(org: Org) -> None:
    ticket = make_ticket(org)
    before = Notification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_dispatch(ticket=ticket, actor=actor(make_staff(Role.DISPATCHER)))
        raise RuntimeError("the request failed after the transition")
    assert Notification.objects.count() == before


class _ReachableChat:
    channel = "webchat"

    def __init__(self) -> None:
        self.delivered: list[Message] = []

    def deliver(self, message: Message) -> None:
        self.delivered.append(message)

    def is_reachable(self, conversation: Conversation) -> bool:
        return True


@pytest.fixture
def webchat() -> Iterator[_ReachableChat]:
    previous = adapters.adapter_for("webchat")
    adapter = _ReachableChat()
    adapters.register_adapter(adapter)
    yield adapter
    if previous is not None:
        adapters.register_adapter(previous)
    else:
        adapters._adapters.pop("webchat", None)


@pytest.mark.django_db(transaction=True)
def test_it_answers_in_the_citizens_chat_when_they_prefer_it(
    org: Org, webchat: _ReachableChat, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    contact = make_contact(preferred_channel="conversation", language="en")
    conversation = Conversation.objects.create(
        channel="webchat", contact=contact, state=ConversationState.ASSIGNED
    )
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(org, contact=contact, conversation=conversation, channel="webchat")
    [registered] = _sent(ticket)
    assert registered.channel == "conversation"
    run_worker()
    registered.refresh_from_db()
    assert registered.status == NotificationStatus.SENT
    [message] = webchat.delivered
    assert message.conversation_id == conversation.pk
    assert ticket.reference in message.text


def test_it_uses_sms_when_the_citizens_chat_is_closed(org: Org, webchat: _ReachableChat) -> None:
    contact = make_contact(preferred_channel="conversation")
    conversation = Conversation.objects.create(
        channel="webchat", contact=contact, state=ConversationState.CLOSED
    )
    [registered] = _sent(make_ticket(org, contact=contact, conversation=conversation))
    assert registered.channel == "sms"


@pytest.mark.django_db(transaction=True)
def test_it_delivers_the_whole_flow_to_the_demo_outbox(
    org: Org,
    outbox: Path,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(org, contact=make_contact(language="en"))
        _walk_to_closed(org, ticket)
    run_worker()
    lines = (outbox / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    assert len(texts) == 4
    assert texts[0].startswith(f"Muscat Municipality: your report {ticket.reference}")
    assert "has been solved" in texts[2]
    assert all(n.status == NotificationStatus.SENT for n in _sent(ticket))
    assert mail.outbox == []
