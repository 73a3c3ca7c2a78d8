"""A number typed in a form is not texted until its owner proves it with a code."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from helpdesk.forms import portal_form_token
from helpdesk.models import Channel, Notification, Ticket
from helpdesk.services.contacts import contact_update
from helpdesk.services.intake import phone_ticket_log
from helpdesk.services.sms import sms_inbound_receive
from helpdesk.services.tickets import ticket_dispatch
from helpdesk.services.verification import (
    CODES_PER_ADDRESS,
    CODES_PER_NUMBER_HOUR,
    WRONG_CODES,
)
from tests.support.factories import Org, actor, make_contact, make_staff, make_ticket, make_waiting

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]

NUMBER = "+96891234567"


def _report(org: Org, phone: str = "9123 4567") -> dict[str, object]:
    return {
        "category": org.pothole.pk,
        "description": "Big pothole at the roundabout",
        "address": "Al Khuwair roundabout",
        "name": "Salim",
        "phone": phone,
        "website": "",
        "issued": portal_form_token(issued_at=time.time() - 30),
    }


def report(org: Org, phone: str = "9123 4567", *, language: str = "en", **extra: str) -> Client:
    """A browser that filed a portal report (its thanks page carries the reference)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language, **extra)
    assert client.post("/report/", _report(org, phone)).status_code == 302
    return client


def sms(number: str = NUMBER, template: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(channel="sms", recipient=number)
    if template is not None:
        found = found.filter(template_key=template)
    return list(found.order_by("pk"))


def ask_code(client: Client, **extra: str) -> int:
    return client.post("/report/thanks/", {"action": "send"}, **extra).status_code


def texted_code(number: str = NUMBER) -> str:
    body = sms(number, "phone_code")[-1].body
    found = re.search(r"\d{6}", body)
    assert found is not None, body
    return found.group()


def type_code(client: Client, code: str) -> tuple[int, str]:
    response = client.post("/report/thanks/", {"action": "check", "code": code})
    return response.status_code, response.content.decode()


def test_someone_elses_number_gets_no_ticket_sms(org: Org) -> None:
    report(org)
    ticket = Ticket.objects.get()
    ticket_dispatch(ticket=ticket, actor=actor(make_staff("dispatcher")))
    assert sms() == []


def test_the_reference_is_on_the_screen_with_the_offer_to_verify(org: Org) -> None:
    client = report(org)
    page = client.get("/report/thanks/").content.decode()
    assert Ticket.objects.get().reference in page
    assert "Send me a code" in page
    assert "4567" in page and "+9689123" not in page


def test_an_honest_citizen_who_verifies_gets_the_reference_and_later_updates(org: Org) -> None:
    client = report(org)
    assert ask_code(client) == 200
    status, page = type_code(client, texted_code())
    assert status == 200
    assert 'id="verified"' in page
    ticket = Ticket.objects.get()
    [registered] = sms(template="ticket_registered")
    assert ticket.reference in registered.body
    ticket_dispatch(ticket=ticket, actor=actor(make_staff("dispatcher")))
    assert len(sms(template="forwarded_to_section")) == 1


def test_a_verified_number_needs_no_code_for_its_next_report(org: Org) -> None:
    client = report(org)
    ask_code(client)
    type_code(client, texted_code())
    report(org)
    assert len(sms(template="ticket_registered")) == 2
    assert len(sms(template="phone_code")) == 1


def test_the_code_is_kept_hashed(org: Org) -> None:
    client = report(org)
    ask_code(client)
    stored = str(cache.get(f"phone-code:{NUMBER}"))
    assert texted_code() not in stored and len(stored) == 64


def test_the_code_sms_is_in_the_citizens_language(org: Org) -> None:
    ask_code(report(org, language="ar"))
    assert "رمز التحقق" in sms(template="phone_code")[0].body


def log_call(org: Org, phone: str, conversation: Any = None) -> None:
    """An agent logs the caller's number (with ``conversation``: copied from a chat)."""
    phone_ticket_log(
        actor=actor(make_staff("agent")),
        channel=Channel.PHONE,
        caller_name="Salim",
        caller_phone=phone,
        category=org.pothole,
        subject="Pothole",
        description="A pothole near the exit.",
        conversation=conversation,
    )


def test_a_number_staff_logged_from_a_call_is_texted_without_a_code(org: Org) -> None:
    log_call(org, "9123 4567")
    assert len(sms(template="ticket_registered")) == 1


def test_an_sms_from_the_number_verifies_it_and_sends_what_was_held(org: Org) -> None:
    report(org)
    sms_inbound_receive(gateway_id="in-1", sender=NUMBER, text="Any news?")
    assert len(sms(template="ticket_registered")) == 1
    report(org)
    assert len(sms(template="ticket_registered")) == 2


def test_codes_per_number_are_limited_with_a_clear_answer(org: Org) -> None:
    client = report(org)
    codes = [ask_code(client) for _ in range(CODES_PER_NUMBER_HOUR.count + 1)]
    assert codes == [200] * CODES_PER_NUMBER_HOUR.count + [429]
    page = client.post("/report/thanks/", {"action": "send"}).content.decode()
    assert "Too many codes sent to this number" in page
    assert len(sms(template="phone_code")) == CODES_PER_NUMBER_HOUR.count


def test_codes_per_address_are_limited_whatever_the_number(org: Org) -> None:
    answers = []
    for n in range(CODES_PER_ADDRESS.count + 1):
        filed = report(org, f"9123 40{n:02d}", REMOTE_ADDR=f"198.51.100.{n}")
        answers.append(ask_code(filed, REMOTE_ADDR="203.0.113.9"))
    assert answers == [200] * CODES_PER_ADDRESS.count + [429]


def test_five_wrong_codes_pause_the_number_even_for_the_right_code(org: Org) -> None:
    client = report(org)
    ask_code(client)
    right = texted_code()
    wrong = "000000" if right != "000000" else "111111"
    answers = [type_code(client, wrong)[0] for _ in range(WRONG_CODES.count)]
    assert answers == [400] * (WRONG_CODES.count - 1) + [429]
    status, page = type_code(client, right)
    assert status == 429 and "Too many wrong codes" in page
    assert sms(template="ticket_registered") == []


def test_an_honest_citizen_who_mistypes_once_is_verified(org: Org) -> None:
    client = report(org)
    ask_code(client)
    right = texted_code()
    status, page = type_code(client, "12")
    assert status == 400 and "That code is not right" in page
    assert type_code(client, right)[0] == 200
    assert len(sms(template="ticket_registered")) == 1


def test_a_limit_answers_in_arabic(org: Org) -> None:
    client = report(org, language="ar")
    for _ in range(CODES_PER_NUMBER_HOUR.count):
        ask_code(client)
    page = client.post("/report/thanks/", {"action": "send"}).content.decode()
    assert "رموز كثيرة" in page


def test_arabic_digits_are_accepted(org: Org) -> None:
    client = report(org, language="ar")
    ask_code(client)
    typed = texted_code().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert type_code(client, typed)[0] == 200


def test_a_number_an_agent_copies_from_a_chat_is_not_proven(org: Org) -> None:
    log_call(org, "9555 0001", conversation=make_waiting())
    assert sms("+96895550001", "ticket_registered") == []


def test_a_changed_number_is_not_proven_by_the_old_ones_proof(org: Org) -> None:
    contact = make_contact(phone="+96899887766")
    contact_update(contact, phone="9555 0001")
    make_ticket(org, contact=contact)
    assert sms("+96895550001", "ticket_registered") == []


def test_an_upgrade_counts_numbers_proven_before_verification_existed(org: Org) -> None:
    import importlib

    from django.apps import apps

    from helpdesk.models import ContactIdentity

    backfill = importlib.import_module(
        "helpdesk.migrations.0015_phone_verification_backfill"
    ).backfill
    caller = make_contact(verified=False, phone="+96891110001")
    make_ticket(org, contact=caller, channel=Channel.PHONE)  # staff logged the call
    texter = make_contact(verified=False, phone="+96891110002")
    ContactIdentity.objects.create(contact=texter, channel="sms", external_id=texter.phone)
    typed = make_contact(verified=False, phone="+96891110003")
    make_ticket(org, contact=typed, channel=Channel.PORTAL)  # typed in a form: not proven
    backfill(apps, None)
    for contact, proven in ((caller, True), (texter, True), (typed, False)):
        contact.refresh_from_db()
        assert (contact.phone_verified_at is not None) is proven, contact.phone
