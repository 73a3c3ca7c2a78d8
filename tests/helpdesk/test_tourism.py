"""The tourism desk: ratings and complaints of establishments, suggestions, and the officials.

Officials of the Ministry of Tourism (role ``tourism_official``) read the desk's
contacts and nothing else: the role × data matrix below.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from helpdesk.models import (
    EstablishmentRating,
    Role,
    Suggestion,
    Ticket,
    TicketStatus,
)
from tests.support.factories import (
    Org,
    make_staff,
    make_ticket,
    make_tourism_desk,
    make_waiting,
    verify_phone,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def desk(org: Org) -> dict[str, Any]:
    complaint, hotel = make_tourism_desk(org)
    return {
        "complaint": complaint,
        "hotel": hotel,
        "tourism_ticket": make_ticket(
            org, category=complaint, subject="Dirty pool at the hotel", description="Dirty pool"
        ),
        "municipal_ticket": make_ticket(org, subject="Pothole in Ruwi", description="Pothole"),
        "official": make_staff(Role.TOURISM_OFFICIAL),
    }


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---- the public door --------------------------------------------------------------------------


def test_the_desk_page_embeds_the_chat_of_the_tourism_desk(desk: dict[str, Any]) -> None:
    page = Client().get("/tourism/").content.decode()
    assert 'data-desk="tourism"' in page
    assert "/tourism/rate/qurum-shore-hotel/" in page


def test_a_visitor_rates_an_establishment(desk: dict[str, Any]) -> None:
    response = Client().post(
        "/tourism/rate/qurum-shore-hotel/", {"score": "4", "comment": "Lovely view"}
    )
    assert response.status_code == 200
    assert "your rating was recorded" in response.content.decode()
    rating = EstablishmentRating.objects.get()
    assert (rating.score, rating.comment, rating.ticket) == (4, "Lovely view", None)


def test_a_rating_that_asks_for_a_follow_up_becomes_a_registered_complaint(
    desk: dict[str, Any],
) -> None:
    visitor = Client()
    response = visitor.post(
        "/tourism/rate/qurum-shore-hotel/",
        {"score": "1", "comment": "No hot water", "follow_up": "on", "phone": "99887766"},
        follow=True,
    )
    rating = EstablishmentRating.objects.get()
    assert rating.ticket is not None
    # A number typed here is not yet proven: the report's confirmation page shows the
    # reference and offers the code that lets the municipality text it.
    assert response.redirect_chain == [("/report/thanks/", 302)]
    assert rating.ticket.reference in response.content.decode()
    assert 'name="action" value="send"' in response.content.decode()
    assert rating.ticket.category == desk["complaint"]
    assert rating.ticket.status == TicketStatus.REGISTERED
    assert "Qurum Shore Hotel" in rating.ticket.address


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "6"}, "Select a valid choice"),
        ({"score": "2", "follow_up": "on", "comment": "Rude"}, "Give a mobile number"),
        ({"score": "2", "follow_up": "on", "phone": "91234567"}, "Tell us what went wrong"),
    ],
)
def test_it_refuses_a_bad_rating_with_a_reason_and_keeps_nothing(
    desk: dict[str, Any], data: dict[str, str], message: str
) -> None:
    tickets = Ticket.objects.count()
    response = Client().post("/tourism/rate/qurum-shore-hotel/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EstablishmentRating.objects.exists()
    assert Ticket.objects.count() == tickets


def test_a_complaint_from_a_proven_number_is_confirmed_on_the_rating_page(
    desk: dict[str, Any],
) -> None:
    verify_phone("+96891234567")
    response = Client().post(
        "/tourism/rate/qurum-shore-hotel/",
        {"score": "1", "comment": "No hot water", "follow_up": "on", "phone": "91234567"},
    )
    rating = EstablishmentRating.objects.get()
    assert response.status_code == 200
    assert rating.ticket is not None and rating.ticket.reference in response.content.decode()


def test_a_suggestion_is_kept_under_its_topic_and_is_no_complaint(desk: dict[str, Any]) -> None:
    tickets = Ticket.objects.count()
    response = Client().post(
        "/tourism/suggest/",
        {"topic": "transport", "text": "A bus to the fort", "establishment": desk["hotel"].pk},
    )
    assert "your suggestion was recorded" in response.content.decode()
    suggestion = Suggestion.objects.get()
    assert (suggestion.topic, suggestion.establishment) == ("transport", desk["hotel"])
    assert Ticket.objects.count() == tickets


# ---- the officials: role × data --------------------------------------------------------------


def test_the_official_lands_on_the_tourism_workspace(desk: dict[str, Any]) -> None:
    response = _as(desk["official"]).get("/home/")
    assert response["Location"] == "/tourism/official/"


def test_the_official_sees_the_desks_tickets_ratings_and_suggestions(
    desk: dict[str, Any],
) -> None:
    EstablishmentRating.objects.create(establishment=desk["hotel"], score=2, comment="Slow")
    Suggestion.objects.create(topic="events", text="A winter food festival")
    official = _as(desk["official"])
    page = official.get("/tourism/official/").content.decode()
    assert desk["tourism_ticket"].reference in page
    assert "Qurum Shore Hotel" in page
    assert "A winter food festival" in page
    assert desk["municipal_ticket"].reference not in page
    detail = official.get(f"/tickets/{desk['tourism_ticket'].pk}/")
    assert detail.status_code == 200
    assert 'action="/tickets/' not in detail.content.decode()  # read only: no forms
    api = official.get("/api/v1/tickets/").json()
    assert [t["reference"] for t in api["results"]] == [desk["tourism_ticket"].reference]


@pytest.mark.parametrize(
    "path",
    [
        "/tickets/{municipal}/",
        "/api/v1/tickets/{municipal}/",
        "/tickets/",
        "/console/",
        "/supervisor/",
        "/supervisor/wallboard.json",
        "/dispatch/",
        "/section/",
        "/partner/",
        "/reports/",
        "/admin/helpdesk/partner/",
        "/admin/helpdesk/conversation/",
    ],
)
def test_the_official_sees_nothing_outside_the_tourism_desk(
    desk: dict[str, Any], org: Org, path: str
) -> None:
    make_waiting(subject="a municipal chat")
    response = _as(desk["official"]).get(path.format(municipal=desk["municipal_ticket"].pk))
    assert response.status_code in (302, 403, 404)
    body = response.content.decode()
    assert desk["municipal_ticket"].reference not in body
    assert "Haya Water" not in body
    assert "a municipal chat" not in body


def test_the_official_cannot_write_on_a_tourism_ticket(desk: dict[str, Any]) -> None:
    official = _as(desk["official"])
    ticket = desk["tourism_ticket"]
    noted = official.post(
        f"/api/v1/tickets/{ticket.pk}/notes/", {"note": "x"}, content_type="application/json"
    )
    moved = official.post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        {"action": "dispatch"},
        content_type="application/json",
    )
    assert (noted.status_code, moved.status_code) == (409, 409)
    assert not ticket.events.filter(kind="note").exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.PARTNER, Role.SECTION_STAFF])
def test_other_roles_do_not_open_the_tourism_workspace(
    desk: dict[str, Any], org: Org, role: str
) -> None:
    extra: dict[str, Any] = {"partner": org.haya} if role == Role.PARTNER else {}
    response = _as(make_staff(role, **extra)).get("/tourism/official/")
    assert response.status_code == 403


def test_an_establishments_record_shows_ratings_and_complaints_per_month(
    desk: dict[str, Any],
) -> None:
    Client().post("/tourism/rate/qurum-shore-hotel/", {"score": "5"})
    Client().post(
        "/tourism/rate/qurum-shore-hotel/",
        {"score": "2", "comment": "Cold room", "follow_up": "on", "phone": "91234567"},
    )
    page = _as(desk["official"]).get("/tourism/official/establishments/qurum-shore-hotel/")
    body = page.content.decode()
    complaint = EstablishmentRating.objects.get(score=2).ticket
    assert complaint is not None and complaint.reference in body
    months = page.context["months"]
    assert [(m.ratings, m.average, m.complaints) for m in months] == [(2, 3.5, 1)]
    assert "Cold room" in body


@pytest.mark.parametrize("model", ["establishment", "establishmentrating", "suggestion"])
def test_an_administrator_manages_the_desk_in_the_admin(desk: dict[str, Any], model: str) -> None:
    admin = make_staff(Role.ADMINISTRATOR)
    EstablishmentRating.objects.create(establishment=desk["hotel"], score=3)
    Suggestion.objects.create(topic="other", text="More benches")
    response = _as(admin).get(f"/admin/helpdesk/{model}/")
    assert response.status_code == 200
