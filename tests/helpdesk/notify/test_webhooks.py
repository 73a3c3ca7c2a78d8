"""What the SMS gateway calls back: delivery reports and citizens' replies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from helpdesk.models import (
    InboundSms,
    Notification,
    NotificationStatus,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.notify.delivery import notification_deliver
from tests.support.factories import Org, make_contact, make_ticket
from tests.support.sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db

DLR = "/notify/sms/dlr/hook-token/"
INBOUND = "/notify/sms/inbound/hook-token/"


@pytest.fixture
def sent_sms(org: Org, gateway: FakeSmsGateway) -> Notification:
    ticket = make_ticket(org)
    notification = Notification.objects.get(ticket=ticket, channel="sms")
    assert notification_deliver(notification_id=notification.pk) == "sent"
    notification.refresh_from_db()
    return notification


def test_it_records_a_delivery_report_by_the_gateway_message_id(
    client: Client, sent_sms: Notification
) -> None:
    response = client.get(DLR, {"id": sent_sms.provider_message_id, "status": "DELIVRD"})
    assert response.status_code == 200
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == "delivered"
    assert sent_sms.delivered_at is not None


def test_it_records_a_failed_delivery_by_our_reference(
    client: Client, sent_sms: Notification
) -> None:
    response = client.post(
        DLR,
        {"reference": sent_sms.idempotency_key, "status": "UNDELIV"},
    )
    assert response.status_code == 200
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == "undelivered"
    assert sent_sms.status == NotificationStatus.SENT
    assert sent_sms.delivered_at is None


def test_it_accepts_a_json_delivery_report(client: Client, sent_sms: Notification) -> None:
    client.post(
        DLR,
        {"id": sent_sms.provider_message_id, "status": "delivered"},
        content_type="application/json",
    )
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == "delivered"


def test_it_rejects_a_delivery_report_with_the_wrong_token(
    client: Client, sent_sms: Notification
) -> None:
    response = client.get(
        "/notify/sms/dlr/guess/", {"id": sent_sms.provider_message_id, "status": "DELIVRD"}
    )
    assert response.status_code == 404
    sent_sms.refresh_from_db()
    assert sent_sms.delivery_status == ""


def test_it_disables_the_webhooks_without_a_token(
    client: Client, settings: Any, sent_sms: Notification
) -> None:
    settings.NIDAA_SMS_GATEWAY = {**settings.NIDAA_SMS_GATEWAY, "WEBHOOK_TOKEN": ""}
    assert client.get("/notify/sms/dlr//", {"status": "x"}).status_code == 404
    assert client.get(DLR, {"status": "DELIVRD"}).status_code == 404


def test_it_answers_ok_to_a_report_about_an_unknown_message(
    client: Client, gateway: FakeSmsGateway
) -> None:
    response = client.get(DLR, {"id": "nope", "status": "DELIVRD"})
    assert response.status_code == 200
    assert response.content == b"UNKNOWN"


def test_it_attaches_a_reply_to_the_citizens_open_ticket(
    client: Client, org: Org, gateway: FakeSmsGateway
) -> None:
    contact = make_contact(phone="+96891234567")
    older = make_ticket(org, contact=contact)
    newer = make_ticket(org, contact=contact)
    response = client.post(INBOUND, {"from": "96891234567", "text": "الحفرة ما زالت", "id": "in-1"})
    assert response.status_code == 200
    inbound = InboundSms.objects.get(gateway_id="in-1")
    assert inbound.ticket == newer
    event = TicketEvent.objects.get(ticket=newer, kind=TicketEventKind.INBOUND)
    assert event.note == "الحفرة ما زالت"
    assert not TicketEvent.objects.filter(ticket=older, kind=TicketEventKind.INBOUND).exists()


def test_it_attaches_a_reply_to_the_ticket_its_text_names(
    client: Client, org: Org, gateway: FakeSmsGateway
) -> None:
    contact = make_contact(phone="+96891234567")
    named = make_ticket(org, contact=contact)
    make_ticket(org, contact=contact)
    year, number = named.reference.split("-")[1:]
    text = f"بخصوص البلاغ {year}/{number}"
    client.post(INBOUND, {"from": "+96891234567", "text": text, "id": "in-2"})
    assert InboundSms.objects.get(gateway_id="in-2").ticket == named


def test_it_skips_closed_tickets(client: Client, org: Org, gateway: FakeSmsGateway) -> None:
    contact = make_contact(phone="+96891234567")
    ticket = make_ticket(org, contact=contact)
    ticket.__class__.objects.filter(pk=ticket.pk).update(status=TicketStatus.CLOSED)
    client.post(INBOUND, {"from": "+96891234567", "text": "thanks", "id": "in-3"})
    inbound = InboundSms.objects.get(gateway_id="in-3")
    assert inbound.ticket is None
    assert inbound.contact is not None
    assert inbound.contact.phone == contact.phone


def test_it_keeps_a_message_from_an_unknown_sender(client: Client, gateway: FakeSmsGateway) -> None:
    response = client.post(INBOUND, {"from": "+96899999999", "text": "hello?", "id": "in-4"})
    assert response.status_code == 200
    inbound = InboundSms.objects.get(gateway_id="in-4")
    assert (inbound.sender, inbound.text, inbound.ticket) == ("+96899999999", "hello?", None)
    # A new citizen, known by the number they wrote from (which proves it), in a conversation.
    assert inbound.contact is not None
    assert inbound.contact.phone == "+96899999999"
    assert inbound.contact.phone_verified_at is not None
    assert inbound.contact.conversations.get().channel == "sms"


def test_it_stores_a_redelivered_reply_once(
    client: Client, org: Org, gateway: FakeSmsGateway
) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96891234567"))
    for _ in range(2):
        client.post(INBOUND, {"from": "+96891234567", "text": "again", "id": "in-5"})
    assert InboundSms.objects.filter(gateway_id="in-5").count() == 1
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEventKind.INBOUND).count() == 1


def test_it_rejects_an_inbound_message_without_sender(
    client: Client, gateway: FakeSmsGateway
) -> None:
    assert client.post(INBOUND, {"text": "x", "id": "in-6"}).status_code == 400
    assert not InboundSms.objects.exists()
