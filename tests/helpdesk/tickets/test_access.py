"""Role and scope on every page and endpoint; out-of-scope ids are 404, never 403."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from helpdesk.models import Ticket, TicketEvent, TicketStatus
from helpdesk.services.api_tokens import partner_token_issue, partner_token_revoke
from helpdesk.services.tickets import ticket_dispatch, ticket_forward_to_partner
from tests.support.factories import Org, actor, client_for, make_ticket, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org: Org) -> dict:
    people = staff(org)
    tier2 = actor(people["dispatcher"])
    road = make_ticket(org)  # section A: road upkeep
    ticket_dispatch(ticket=road, actor=tier2)
    rubbish = make_ticket(org, category=org.garbage, description="Bins overflowing")  # section B
    ticket_dispatch(ticket=rubbish, actor=tier2)
    leak = make_ticket(org, category=org.water, description="Leak")
    ticket_forward_to_partner(ticket=leak, actor=tier2, partner=org.haya)
    for partner in (org.haya, org.omantel):
        partner.api_enabled = True
        partner.save()
    return {"people": people, "road": road, "rubbish": rubbish, "leak": leak}


STAFF_PAGES = ["", "act/", "forward/", "resolve/", "callback/", "classify/", "notes/"]


def test_it_hides_section_bs_ticket_from_section_a_on_every_page(setup: dict) -> None:
    section_a = client_for(setup["people"]["section_a"])
    other = setup["rubbish"]
    assert section_a.get(f"/tickets/{other.pk}/").status_code == 404
    for suffix in STAFF_PAGES[1:]:
        response = section_a.post(
            f"/tickets/{other.pk}/{suffix}", {"action": "start", "note": "x", "public_reply": "x"}
        )
        assert response.status_code in (403, 404), suffix
    other.refresh_from_db()
    assert other.status == TicketStatus.DISPATCHED
    assert other.reference not in section_a.get("/tickets/").content.decode()
    assert other.reference not in section_a.get("/section/").content.decode()


def test_it_hides_section_bs_ticket_from_section_a_in_the_api(setup: dict) -> None:
    section_a = client_for(setup["people"]["section_a"])
    other = setup["rubbish"]
    events_before = TicketEvent.objects.filter(ticket=other).count()
    assert section_a.get(f"/api/v1/tickets/{other.pk}/").status_code == 404
    for path, body in [
        ("transitions/", {"action": "start"}),
        ("notes/", {"note": "sneaky"}),
    ]:
        response = section_a.post(
            f"/api/v1/tickets/{other.pk}/{path}", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    listed = section_a.get("/api/v1/tickets/").json()
    assert [t["reference"] for t in listed["results"]] == [setup["road"].reference]
    assert TicketEvent.objects.filter(ticket=other).count() == events_before


def test_it_answers_a_guessed_id_like_a_missing_one(setup: dict) -> None:
    section_a = client_for(setup["people"]["section_a"])
    missing = Ticket.objects.order_by("-pk").first().pk + 100
    hidden = section_a.get(f"/api/v1/tickets/{setup['rubbish'].pk}/")
    absent = section_a.get(f"/api/v1/tickets/{missing}/")
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())


def test_it_shows_a_partner_only_what_was_forwarded_to_it(setup: dict) -> None:
    haya = client_for(setup["people"]["partner_haya"])
    omantel = client_for(setup["people"]["partner_omantel"])
    leak = setup["leak"]
    assert [t["reference"] for t in haya.get("/api/v1/tickets/").json()["results"]] == [
        leak.reference
    ]
    assert omantel.get("/api/v1/tickets/").json()["results"] == []
    assert omantel.get(f"/tickets/{leak.pk}/").status_code == 404
    assert haya.get(f"/tickets/{setup['road'].pk}/").status_code == 404
    assert leak.reference in haya.get("/partner/").content.decode()
    assert leak.reference not in omantel.get("/partner/").content.decode()


def test_it_scopes_a_partner_token_like_the_partner_user(setup: dict) -> None:
    _token, raw = partner_token_issue(user=setup["people"]["partner_omantel"])
    bearer = {"authorization": f"Bearer {raw}"}
    leak = setup["leak"]
    assert Client().get("/api/v1/tickets/", headers=bearer).json()["count"] == 0
    assert Client().get(f"/api/v1/tickets/{leak.pk}/", headers=bearer).status_code == 404
    response = Client().post(
        f"/api/v1/tickets/{leak.pk}/transitions/",
        json.dumps({"action": "partner_resolve", "note": "not ours"}),
        content_type="application/json",
        headers=bearer,
    )
    assert response.status_code == 404
    leak.refresh_from_db()
    assert leak.status == TicketStatus.FORWARDED_EXTERNAL


def test_it_refuses_a_revoked_or_unknown_token(setup: dict) -> None:
    token, raw = partner_token_issue(user=setup["people"]["partner_haya"])
    assert (
        Client().get("/api/v1/tickets/", headers={"authorization": f"Bearer {raw}"}).status_code
        == 200
    )
    partner_token_revoke(token=token)
    for value in (raw, "ndp_guess", "garbage"):
        response = Client().get("/api/v1/tickets/", headers={"authorization": f"Bearer {value}"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_it_stores_only_the_hash_of_a_token(setup: dict) -> None:
    token, raw = partner_token_issue(user=setup["people"]["partner_haya"])
    token.refresh_from_db()
    assert raw not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64


def test_it_keeps_anonymous_users_to_the_public_pages(setup: dict) -> None:
    anonymous = Client()
    road = setup["road"]
    for path in [
        "/tickets/",
        f"/tickets/{road.pk}/",
        "/dispatch/",
        "/section/",
        "/partner/",
        "/tickets/new/",
    ]:
        response = anonymous.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
    assert anonymous.get("/api/v1/tickets/").status_code == 401
    assert anonymous.post(f"/tickets/{road.pk}/act/", {"action": "start"}).status_code == 302
    road.refresh_from_db()
    assert road.status == TicketStatus.DISPATCHED
    assert anonymous.get("/status/").status_code == 200
    assert anonymous.get("/report/").status_code == 200


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("section_a", "/dispatch/"),
        ("partner_haya", "/dispatch/"),
        ("agent", "/section/"),
        ("dispatcher", "/partner/"),
        ("section_a", "/tickets/new/"),
        ("partner_haya", "/tickets/new/"),
    ],
)
def test_it_refuses_workspaces_of_other_roles(setup: dict, who: str, path: str) -> None:
    assert client_for(setup["people"][who]).get(path).status_code == 403


def test_it_refuses_a_section_forwarding_its_own_ticket(setup: dict) -> None:
    section_a = client_for(setup["people"]["section_a"])
    road = setup["road"]
    response = section_a.post(f"/tickets/{road.pk}/forward/", {"partner": "haya"})
    assert response.status_code == 403
    road.refresh_from_db()
    assert (road.status, road.partner) == (TicketStatus.DISPATCHED, None)


def test_it_needs_the_csrf_token_for_session_writes_in_the_api(setup: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["people"]["section_a"])
    road = setup["road"]
    response = client.post(
        f"/api/v1/tickets/{road.pk}/transitions/",
        json.dumps({"action": "start"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    road.refresh_from_db()
    assert road.status == TicketStatus.DISPATCHED


def test_it_accepts_a_session_write_with_the_csrf_token(setup: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["people"]["section_a"])
    client.get("/section/")
    token = client.cookies["csrftoken"].value
    road = setup["road"]
    response = client.post(
        f"/api/v1/tickets/{road.pk}/transitions/",
        json.dumps({"action": "start"}),
        content_type="application/json",
        headers={"x-csrftoken": token},
    )
    assert response.status_code == 200


def test_the_partner_token_command_prints_a_working_token(setup: dict) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("partner_token", setup["people"]["partner_haya"].username, stdout=out)
    raw = out.getvalue().strip()
    response = Client().get("/api/v1/tickets/", headers={"authorization": f"Bearer {raw}"})
    assert [t["reference"] for t in response.json()["results"]] == [setup["leak"].reference]
