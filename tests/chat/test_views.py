"""The chat's HTTP endpoints: status, pre-chat session, leaving a message, uploads."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from chat import views
from chat.session import session_from_token
from helpdesk.models import Conversation, OrganisationSettings, Presence, Ticket
from tests.support.chat import agent_on_duty, open_around_the_clock
from tests.support.factories import make_org

pytestmark = pytest.mark.django_db


def post_json(path: str, body: Any, **extra: Any) -> Any:
    return Client().post(path, body, content_type="application/json", **extra)


@pytest.fixture
def closed_center() -> Any:
    org = make_org()
    settings = open_around_the_clock(fallback=org.garbage)
    settings.working_days = []  # no working day at all: closed whatever the clock says
    settings.save()
    return org


def png(size: tuple[int, int] = (20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="PNG")
    return out.getvalue()


def start(**body: Any) -> Any:
    return post_json("/chat/api/session", {"name": "Said", "language": "ar", **body})


def test_it_says_live_when_open_with_an_agent_on_duty(open_center: Any) -> None:
    status = Client().get("/chat/api/status").json()
    assert (status["mode"], status["reason"]) == ("live", None)


def test_it_says_offline_out_of_hours(closed_center: Any) -> None:
    agent_on_duty()
    status = Client().get("/chat/api/status").json()
    assert (status["mode"], status["reason"]) == ("offline", "closed")


def test_it_says_offline_when_nobody_is_on_duty(open_center: Any) -> None:
    from helpdesk.models import AgentProfile

    AgentProfile.objects.update(presence=Presence.AWAY)
    status = Client().get("/chat/api/status").json()
    assert (status["mode"], status["reason"]) == ("offline", "no_agents")


def test_it_says_offline_on_a_holiday(open_center: Any) -> None:
    from django.utils import timezone

    from helpdesk.models import Holiday

    Holiday.objects.create(date=timezone.localdate(), name_ar="عيد", name_en="Eid")
    assert Client().get("/chat/api/status").json()["reason"] == "closed"


def test_it_counts_only_agents_of_the_requested_desk(open_center: Any) -> None:
    assert Client().get("/chat/api/status?desk=tourism").json()["reason"] == "no_agents"


def test_it_uses_the_chat_hours_not_the_office_hours(open_center: Any) -> None:
    org = OrganisationSettings.load()
    org.chat_opens, org.chat_closes = datetime.time(0, 0), datetime.time(0, 0, 1)
    org.save()
    assert Client().get("/chat/api/status").json()["reason"] == "closed"


def test_it_starts_a_session_from_the_pre_chat_form(open_center: Any) -> None:
    response = start(phone="9123 4567", language="en")
    assert response.status_code == 201
    session = session_from_token(response.json()["token"])
    conversation = Conversation.objects.get(public_id=session.conversation_public_id)
    assert conversation.channel == "webchat"
    assert conversation.language == "en"
    assert conversation.contact.phone == "+96891234567"
    assert conversation.contact_id == session.contact_id


def test_it_routes_a_desk_session_to_that_skill(open_center: Any) -> None:
    agent_on_duty(skills=[open_center.tourism])
    token = start(desk="tourism").json()["token"]
    conversation = Conversation.objects.get(
        public_id=session_from_token(token).conversation_public_id
    )
    assert conversation.required_skill == open_center.tourism


def test_it_refuses_an_invalid_mobile_number(open_center: Any) -> None:
    response = start(phone="12")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_phone"
    assert not Conversation.objects.exists()


def test_it_wants_a_name(open_center: Any) -> None:
    assert start(name="  ").json()["error"]["code"] == "missing_name"


def test_it_refuses_malformed_json(open_center: Any) -> None:
    response = Client().post("/chat/api/session", "{", content_type="application/json")
    assert response.json()["error"]["code"] == "invalid_json"


def test_it_sends_the_citizen_to_leave_a_message_when_offline(closed_center: Any) -> None:
    response = start()
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "chat_offline"


def test_it_rate_limits_session_starts_per_address(open_center: Any) -> None:
    codes = [start().status_code for _ in range(views.SESSION_LIMIT.count + 1)]
    assert codes[-1] == 429
    assert set(codes[:-1]) == {201}


def leave(**body: Any) -> Any:
    return post_json(
        "/chat/api/message",
        {"name": "Said", "phone": "91234567", "text": "الشارع مظلم", "client_msg_id": "c1", **body},
    )


def test_it_turns_a_message_left_out_of_hours_into_a_new_ticket(closed_center: Any) -> None:
    response = leave()
    assert response.status_code == 201
    ticket = Ticket.objects.get(reference=response.json()["reference"])
    assert ticket.status == "new"  # tier 1 registers it in the morning
    assert ticket.category == closed_center.garbage
    assert ticket.channel == "webchat"
    assert ticket.description == "الشارع مظلم"
    conversation = ticket.conversation
    assert conversation is not None and conversation.state == "closed"
    texts = list(conversation.messages.values_list("sender_kind", "text", "event"))
    assert ("citizen", "الشارع مظلم", "") in texts
    closed = conversation.messages.get(event="closed")
    assert closed.data["reference"] == ticket.reference


def test_a_message_left_out_of_hours_never_waits_in_the_live_queue(closed_center: Any) -> None:
    from helpdesk.selectors.reports import ReportFilter, service_level

    leave()
    conversation = Ticket.objects.get().conversation
    assert conversation is not None and conversation.queued_at is None
    level = service_level(filters=ReportFilter.last_days(1))
    assert (level.queued, level.abandoned) == (0, 0)  # nobody was kept waiting


def test_a_message_left_on_a_desk_stays_in_that_desks_category(closed_center: Any) -> None:
    from helpdesk.models import Category

    tourism = Category.objects.create(
        code="tourism",
        name_ar="سياحة",
        name_en="Tourism",
        default_section=closed_center.potholes,
        sla_policy=closed_center.sla,
        skill=closed_center.tourism,
    )
    response = leave(desk="tourism", text="The fort was closed")
    assert Ticket.objects.get(reference=response.json()["reference"]).category == tourism


def test_it_makes_one_ticket_however_often_the_message_is_sent(closed_center: Any) -> None:
    first, again = leave(), leave()
    assert first.json()["reference"] == again.json()["reference"]
    assert Ticket.objects.count() == 1


def test_it_refuses_an_empty_left_message(closed_center: Any) -> None:
    assert leave(text=" ").json()["error"]["code"] == "empty"
    assert not Ticket.objects.exists()
    assert not Conversation.objects.exists()


def test_it_says_so_when_no_fallback_category_is_set(closed_center: Any) -> None:
    OrganisationSettings.objects.update(fallback_category=None)
    assert leave().json()["error"]["code"] == "no_fallback"


def test_it_refuses_a_left_message_without_a_client_id(closed_center: Any) -> None:
    assert leave(client_msg_id="").json()["error"]["code"] == "invalid_frame"


def upload(token: str, content: bytes, name: str = "photo.png") -> Any:
    file = SimpleUploadedFile(name, content, content_type="image/png")
    return Client().post("/chat/api/upload", {"token": token, "file": file})


def test_it_stores_an_uploaded_image_without_metadata(open_center: Any) -> None:
    token = start().json()["token"]
    response = upload(token, png())
    assert response.status_code == 201
    body = response.json()
    assert (body["content_type"], body["width"], body["height"]) == ("image/jpeg", 20, 20)


def test_it_refuses_an_upload_that_is_not_an_image(open_center: Any) -> None:
    token = start().json()["token"]
    assert upload(token, b"%PDF-1.4 not an image").json()["error"]["code"] == "not_an_image"


def test_it_refuses_an_upload_without_a_valid_session(open_center: Any) -> None:
    assert upload("forged", png()).json()["error"]["code"] == "invalid_session"


def test_it_refuses_an_upload_over_the_size_cap(open_center: Any, monkeypatch: Any) -> None:
    token = start().json()["token"]
    monkeypatch.setattr(views, "MAX_IMAGE_BYTES", 100)
    assert upload(token, png((200, 200))).json()["error"]["code"] == "too_large"


def test_the_demo_home_page_embeds_the_widget(db: None) -> None:
    page = Client().get("/").content.decode()
    assert "chat/widget.js" in page
    assert 'data-lang="ar"' in page
