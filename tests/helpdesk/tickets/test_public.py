"""The public report form and the status page: no login, no personal data, spam-proofed."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helpdesk.forms import portal_form_token
from helpdesk.media import MAX_IMAGE_BYTES
from helpdesk.models import (
    Attachment,
    Conversation,
    ConversationState,
    Disposition,
    Message,
    SenderKind,
    Ticket,
    TicketStatus,
)
from helpdesk.public_status import FAILED_PER_ADDRESS, FAILED_PER_REFERENCE, PER_ADDRESS
from helpdesk.selectors.reports import ReportFilter, service_level
from helpdesk.services.distributor import distribute
from tests.support.factories import Org, make_agent, make_ticket
from tests.support.images import png_bytes

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


def _report(org: Org, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": org.pothole.pk,
        "description": "Big pothole at the roundabout",
        "address": "Al Khuwair roundabout",
        "latitude": "23.588000",
        "longitude": "58.382900",
        "name": "Salim",
        "phone": "9123 4567",
        "website": "",
        "issued": portal_form_token(issued_at=time.time() - 30),
    }
    data.update(overrides)
    return data


def test_it_registers_a_portal_report_with_photo_and_location(org: Org) -> None:
    client = Client()
    photo = SimpleUploadedFile("hole.png", png_bytes(), "image/png")
    response = client.post("/report/", _report(org, photo=photo))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.status) == ("portal", TicketStatus.REGISTERED)
    assert (ticket.latitude, ticket.longitude) == (Decimal("23.588000"), Decimal("58.382900"))
    assert ticket.contact.phone == "+96891234567"
    stored = Attachment.objects.get(ticket=ticket)
    assert (stored.purpose, stored.content_type) == ("evidence", "image/jpeg")
    thanks = client.get(response["Location"])
    assert ticket.reference in thanks.content.decode()


def test_it_files_a_report_without_opening_a_session(org: Org) -> None:
    client = Client()
    response = client.post("/report/", _report(org))
    assert response.status_code == 302
    assert Session.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_it_shows_the_reference_only_to_the_browser_that_filed_the_report(org: Org) -> None:
    response = Client().post("/report/", _report(org))
    reference = Ticket.objects.get().reference
    stranger = Client().get(response["Location"])
    assert stranger.status_code == 302
    assert reference not in stranger.content.decode()


def test_it_takes_a_typed_address_without_coordinates(org: Org) -> None:
    response = Client().post("/report/", _report(org, latitude="", longitude=""))
    assert response.status_code == 302
    assert Ticket.objects.get().address == "Al Khuwair roundabout"


def test_it_asks_where_when_there_is_neither_location_nor_address(org: Org) -> None:
    response = Client().post("/report/", _report(org, latitude="", longitude="", address=""))
    assert response.status_code == 400
    assert "address or landmark" in response.content.decode()
    assert not Ticket.objects.exists()


def test_it_refuses_a_filled_honeypot(org: Org) -> None:
    response = Client().post("/report/", _report(org, website="http://spam.example"))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_refuses_a_form_sent_faster_than_a_person_types(org: Org) -> None:
    response = Client().post("/report/", _report(org, issued=portal_form_token()))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_refuses_a_forged_form_token(org: Org) -> None:
    response = Client().post("/report/", _report(org, issued="1700000000"))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_rate_limits_reports_per_address(org: Org) -> None:
    client = Client()
    codes = [client.post("/report/", _report(org)).status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    assert Ticket.objects.count() == 5


def test_it_refuses_a_non_image_photo_and_keeps_nothing(org: Org) -> None:
    fake = SimpleUploadedFile("hole.png", b"%PDF-1.4 not an image", "image/png")
    response = Client().post("/report/", _report(org, photo=fake))
    assert response.status_code == 400
    assert "not an image we accept" in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_an_oversized_photo_and_keeps_nothing(org: Org) -> None:
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * MAX_IMAGE_BYTES, "image/png")
    response = Client().post("/report/", _report(org, photo=big))
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Ticket.objects.exists()


def test_it_refuses_an_invalid_mobile_number(org: Org) -> None:
    response = Client().post("/report/", _report(org, phone="12"))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_needs_the_csrf_token_on_the_report_form(org: Org) -> None:
    response = Client(enforce_csrf_checks=True).post("/report/", _report(org))
    assert response.status_code == 403
    assert not Ticket.objects.exists()


# ---- status page ----------------------------------------------------------------------


def test_it_shows_the_status_and_public_timeline_without_personal_data(org: Org) -> None:
    ticket = make_ticket(org)
    page = Client().post("/status/", {"reference": ticket.reference, "digits": "4567"})
    body = page.content.decode()
    assert page.status_code == 200
    assert ticket.reference in body and 'id="result"' in body
    assert ticket.contact.phone not in body and ticket.contact.name not in body


def test_it_accepts_the_reference_as_citizens_type_it(org: Org) -> None:
    ticket = make_ticket(org)
    year, number = ticket.reference.split("-")[1:]
    page = Client().post("/status/", {"reference": f"{year}/{int(number)}", "digits": "٤٥٦٧"})
    assert 'id="result"' in page.content.decode()


def test_it_answers_unknown_and_mismatched_input_the_same_way(org: Org) -> None:
    ticket = make_ticket(org)
    wrong_digits = Client().post("/status/", {"reference": ticket.reference, "digits": "0000"})
    unknown = Client(REMOTE_ADDR="10.0.0.2").post(
        "/status/", {"reference": "MCT-2020-999999", "digits": "4567"}
    )

    def answer(response: object) -> str:
        found = re.search(
            r'<p class="error" role="alert" id="not-found">(.*?)</p>', response.content.decode()
        )  # type: ignore[attr-defined]
        assert found is not None
        return found.group(1)

    assert answer(wrong_digits) == answer(unknown)
    assert wrong_digits.status_code == unknown.status_code == 200
    assert 'id="result"' not in wrong_digits.content.decode()


def test_it_rate_limits_guessing_from_one_address(org: Org) -> None:
    client = Client()
    codes = [
        client.post("/status/", {"reference": f"MCT-2026-{n:06d}", "digits": "1234"}).status_code
        for n in range(PER_ADDRESS.count + 1)
    ]
    assert codes[-1] == 429 and set(codes[:-1]) == {200}


def test_it_locks_an_address_out_of_a_reference_after_five_wrong_tries(org: Org) -> None:
    ticket = make_ticket(org)
    client = Client(REMOTE_ADDR="10.0.1.1")
    codes = [
        client.post("/status/", {"reference": ticket.reference, "digits": f"{n:04d}"}).status_code
        for n in range(FAILED_PER_ADDRESS.count)
    ]
    assert set(codes) == {200}
    locked = client.post(
        "/status/", {"reference": ticket.reference, "digits": "4567"}, HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert locked.status_code == 429 and 'id="result"' not in locked.content.decode()
    assert "تجاوزت عدد المحاولات" in locked.content.decode()


def guess_from_many_addresses(reference: str, guesses: int) -> None:
    for n in range(guesses):
        Client(REMOTE_ADDR=f"10.0.{n // FAILED_PER_ADDRESS.count}.{n % 250}").post(
            "/status/", {"reference": reference, "digits": f"{n:04d}"}
        )


def test_an_attacker_guessing_from_many_addresses_cannot_lock_the_owner_out(org: Org) -> None:
    ticket = make_ticket(org)
    guess_from_many_addresses(ticket.reference, FAILED_PER_REFERENCE.count + 10)
    owner = Client(REMOTE_ADDR="192.168.7.7").post(
        "/status/", {"reference": ticket.reference, "digits": "4567"}
    )
    assert owner.status_code == 200 and 'id="result"' in owner.content.decode()


def test_once_a_reference_is_under_attack_each_guess_costs_a_new_address(org: Org) -> None:
    ticket = make_ticket(org)
    guess_from_many_addresses(ticket.reference, FAILED_PER_REFERENCE.count)
    guesser = Client(REMOTE_ADDR="172.16.0.9")
    first = guesser.post("/status/", {"reference": ticket.reference, "digits": "9999"})
    assert first.status_code == 200 and 'id="not-found"' in first.content.decode()
    second = guesser.post("/status/", {"reference": ticket.reference, "digits": "4567"})
    assert second.status_code == 429 and 'id="result"' not in second.content.decode()


def test_an_honest_citizen_who_mistypes_twice_is_answered(org: Org) -> None:
    ticket = make_ticket(org)
    client = Client(REMOTE_ADDR="10.9.9.9")
    for digits in ("4566", "4576"):
        assert (
            client.post("/status/", {"reference": ticket.reference, "digits": digits}).status_code
            == 200
        )
    answered = client.post("/status/", {"reference": ticket.reference, "digits": "4567"})
    assert answered.status_code == 200 and 'id="result"' in answered.content.decode()


def test_it_gives_the_same_answer_in_the_api(org: Org) -> None:
    ticket = make_ticket(org)

    def ask(reference: str, digits: str) -> object:
        return Client().post(
            "/api/v1/status/",
            json.dumps({"reference": reference, "phone_last_digits": digits}),
            content_type="application/json",
        )

    found = ask(ticket.reference, "4567")
    assert found.status_code == 200  # type: ignore[attr-defined]
    payload = found.json()["ticket"]  # type: ignore[attr-defined]
    assert payload["status"] == "registered" and "contact" not in payload
    wrong, unknown = ask(ticket.reference, "1111"), ask("MCT-2019-000001", "4567")
    assert wrong.status_code == unknown.status_code == 404  # type: ignore[attr-defined]
    assert wrong.json() == unknown.json()  # type: ignore[attr-defined]


# ---- the report as a contact: one inbound path, then its ticket --------------------------


def test_it_files_the_report_as_the_first_message_of_its_conversation(org: Org) -> None:
    photo = SimpleUploadedFile("hole.png", png_bytes(), "image/png")
    Client().post("/report/", _report(org, photo=photo))
    ticket = Ticket.objects.get()
    conversation = ticket.conversation
    assert conversation is not None
    assert (conversation.channel, conversation.contact) == ("portal", ticket.contact)
    [report] = Message.objects.filter(conversation=conversation, sender_kind=SenderKind.CITIZEN)
    assert report.text == "Big pothole at the roundabout"
    assert (report.latitude, report.longitude) == (Decimal("23.588000"), Decimal("58.382900"))
    assert Attachment.objects.get(message=report).ticket == ticket


def test_it_closes_the_conversation_as_handled_by_the_portal(org: Org) -> None:
    Client().post("/report/", _report(org))
    conversation = Conversation.objects.get()
    assert conversation.state == ConversationState.CLOSED
    assert conversation.disposition == Disposition.TICKET_CREATED
    closed = Message.objects.get(conversation=conversation, event="closed")
    assert closed.data == {"disposition": "ticket_created", "reason": "portal_report"}


def test_it_never_puts_a_report_in_the_live_queue_nor_its_figures(org: Org) -> None:
    make_agent()
    Client().post("/report/", _report(org))
    assert distribute() == 0
    conversation = Conversation.objects.get()
    assert (conversation.queued_at, conversation.assignee, conversation.offered_to) == (
        None,
        None,
        None,
    )
    level = service_level(filters=ReportFilter.last_days(1))
    assert (level.queued, level.abandoned) == (0, 0)


def test_a_refused_report_leaves_no_conversation(org: Org) -> None:
    fake = SimpleUploadedFile("hole.png", b"%PDF-1.4 not an image", "image/png")
    assert Client().post("/report/", _report(org, photo=fake)).status_code == 400
    assert not Conversation.objects.exists() and not Message.objects.exists()
