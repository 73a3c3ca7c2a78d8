"""Open311 GeoReport v2: discovery, services, filing a request, reading it back, errors."""

from __future__ import annotations

import datetime
import io
import json
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from helpdesk.models import Attachment, Notification, Open311ApiKey, Role, Ticket, TicketStatus
from helpdesk.services.open311 import open311_key_issue, open311_key_revoke
from helpdesk.services.tickets import ticket_transition
from helpdesk.views.public import PORTAL_PER_ADDRESS
from tests.support.factories import (
    Org,
    actor,
    client_for,
    make_staff,
    make_ticket,
    readable,
    verify_phone,
)
from tests.support.images import png_bytes

pytestmark = [pytest.mark.django_db]

V2 = "/open311/v2"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def key() -> str:
    return open311_key_issue(name="i-Muscat")[1]


def _request(key: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "pothole",
        "lat": "23.588000",
        "long": "58.382900",
        "description": "Big pothole at the roundabout",
        "first_name": "Salim",
        "last_name": "Al Harthy",
        "phone": "9123 4567",
        "email": "salim@example.om",
    }
    data.update(overrides)
    return data


def _file(key: str, fmt: str = "json", **overrides: Any) -> Any:
    # Apps send no CSRF token: the endpoint must not ask for one.
    return Client(enforce_csrf_checks=True).post(f"{V2}/requests.{fmt}", _request(key, **overrides))


def _xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - our own server's answer


def _errors_xml(body: bytes) -> list[tuple[str, str]]:
    root = _xml(body)
    assert root.tag == "errors"
    return [(e.findtext("code") or "", e.findtext("description") or "") for e in root]


def test_it_files_a_request_whose_id_is_the_ticket_reference_everywhere(
    org: Org, key: str, django_capture_on_commit_callbacks: Any
) -> None:
    verify_phone("+96891234567", language="en")  # an app's number: texted once proven
    app = Client(enforce_csrf_checks=True)
    [endpoint] = app.get("/open311/discovery.json").json()["endpoints"]
    services = app.get(f"{endpoint['url'].removeprefix('http://testserver')}/services.json").json()
    assert "pothole" in {s["service_code"] for s in services}
    photo = SimpleUploadedFile("hole.png", png_bytes(), "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = app.post(f"{V2}/requests.json", {**_request(key), "media": photo})
    assert response.status_code == 200, response.content
    [answer] = response.json()
    ticket = Ticket.objects.get()
    assert answer["service_request_id"] == ticket.reference
    assert (ticket.channel, ticket.status) == ("app", TicketStatus.REGISTERED)
    assert ticket.contact.name == "Salim Al Harthy"
    assert ticket.contact.email == "salim@example.om"
    assert Attachment.objects.get(ticket=ticket).content_type == "image/jpeg"
    sms = Notification.objects.get(ticket=ticket, channel="sms")
    assert sms.recipient == "+96891234567"
    assert ticket.reference in readable(sms.body)  # bidi marks aside (issue 13)

    dispatch = client_for(make_staff(Role.DISPATCHER)).get("/dispatch/")
    assert ticket.reference in dispatch.content.decode()

    status_page = Client().post("/status/", {"reference": ticket.reference, "digits": "4567"})
    assert status_page.status_code == 200
    assert ticket.reference in status_page.content.decode()

    [read] = Client().get(f"{V2}/requests/{ticket.reference}.json?api_key={key}").json()
    assert read["service_request_id"] == ticket.reference
    assert read["status"] == "open"
    assert read["description"] == "Big pothole at the roundabout"
    assert (read["lat"], read["long"]) == (23.588, 58.3829)

    [token] = Client().get(f"{V2}/tokens/{answer['token']}.json").json()
    assert token == {"service_request_id": ticket.reference, "token": answer["token"]}


def test_it_keeps_a_media_url_as_a_link_with_a_typed_address(org: Org, key: str) -> None:
    response = _file(
        key, lat="", long="", address_string="Al Khuwair", media_url="https://app.example/p/1.jpg"
    )
    assert response.status_code == 200, response.content
    ticket = Ticket.objects.get()
    assert (ticket.address, ticket.latitude) == ("Al Khuwair", None)
    assert Attachment.objects.get(ticket=ticket).external_url == "https://app.example/p/1.jpg"
    page = client_for(make_staff(Role.DISPATCHER)).get(f"/tickets/{ticket.pk}/")
    assert 'href="https://app.example/p/1.jpg"' in page.content.decode()
    [read] = Client().get(f"{V2}/requests/{ticket.reference}.json?api_key={key}").json()
    assert read["media_url"] == "https://app.example/p/1.jpg"


def test_it_answers_a_request_in_xml(org: Org, key: str) -> None:
    response = _file(key, "xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = _xml(response.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == Ticket.objects.get().reference  # type: ignore[union-attr]


def test_it_shows_status_but_not_the_citizens_words_without_the_filing_key(
    org: Org, key: str
) -> None:
    reference = _file(key).json()[0]["service_request_id"]
    other_key = open311_key_issue(name="another app")[1]
    for query in ("", f"?api_key={other_key}"):
        [read] = Client().get(f"{V2}/requests/{reference}.json{query}").json()
        assert read["status"] == "open"
        assert read["service_code"] == "pothole"
        assert (read["description"], read["address"], read["lat"], read["media_url"]) == (
            None,
            None,
            None,
            None,
        )


def test_it_lists_only_requests_filed_through_open311(org: Org, key: str) -> None:
    make_ticket(org)  # a phone call's ticket: never listed
    reference = _file(key).json()[0]["service_request_id"]
    listed = Client().get(f"{V2}/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [reference]


def test_it_filters_requests_by_ids_service_dates_and_status(org: Org, key: str) -> None:
    pothole = _file(key).json()[0]["service_request_id"]
    garbage = _file(key, service_code="garbage").json()[0]["service_request_id"]
    closed = Ticket.objects.get(reference=garbage)
    supervisor = actor(make_staff(Role.SUPERVISOR))
    for action in ("dispatch", "start", "resolve"):
        ticket_transition(ticket=closed, action=action, actor=supervisor, note="Collected today")
    [read] = Client().get(f"{V2}/requests/{garbage}.json").json()
    assert (read["status"], read["status_notes"]) == ("closed", "Collected today")
    today = timezone.localdate()
    week_ago = (today - datetime.timedelta(days=7)).isoformat()
    cases = {
        f"service_request_id={pothole},{garbage}": {pothole, garbage},
        f"service_request_id={pothole}&service_code=garbage": {pothole},
        "service_code=garbage": {garbage},
        "service_code=pothole,garbage": {pothole, garbage},
        "status=open": {pothole},
        "status=closed": {garbage},
        "status=open,closed": {pothole, garbage},
        f"start_date={week_ago}T00:00:00Z": {pothole, garbage},
        f"start_date={week_ago}T00:00:00Z&end_date={week_ago}T23:00:00Z": set(),
    }
    for query, expected in cases.items():
        response = Client().get(f"{V2}/requests.json?{query}")
        assert response.status_code == 200, (query, response.content)
        assert {r["service_request_id"] for r in response.json()} == expected, query


@pytest.mark.parametrize(
    ("change", "status", "phrase"),
    [
        ({"api_key": ""}, 403, "api_key was not provided"),
        ({"api_key": "o311_wrong"}, 403, "api_key is not valid"),
        ({"service_code": ""}, 400, "service_code was not provided"),
        ({"service_code": "unicorns"}, 404, "no service with this service_code"),
        ({"phone": ""}, 400, "phone was not provided"),
        ({"lat": "north"}, 400, "lat is not a number"),
        ({"lat": "", "long": ""}, 400, "Tell us where"),
        ({"description": ""}, 400, "Describe the case"),
        ({"media_url": "file:///etc/passwd"}, 400, "media_url is not a web address"),
        ({"email": "not-an-address"}, 400, "e-mail address is not valid"),
    ],
)
def test_it_answers_bad_requests_with_the_specifications_error_list(
    org: Org, key: str, change: dict[str, str], status: int, phrase: str
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        f"{V2}/requests.json", _request(key, **change)
    )
    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status
    assert phrase in error["description"]
    assert not Ticket.objects.exists()


def test_it_answers_errors_in_xml_when_xml_was_asked(org: Org) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(f"{V2}/requests.xml", _request(""))
    assert response.status_code == 403
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert _errors_xml(response.content) == [("403", "api_key was not provided.")]


def test_it_refuses_a_revoked_key(org: Org) -> None:
    issued, raw = open311_key_issue(name="old app")
    open311_key_revoke(key=issued)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(f"{V2}/requests.json", _request(raw))
    assert response.status_code == 403
    assert "revoked" in response.json()[0]["description"]


def test_it_rate_limits_reports_per_address_like_the_portal(org: Org, key: str) -> None:
    codes = [_file(key).status_code for _ in range(PORTAL_PER_ADDRESS.count + 1)]
    assert codes[-1] == 429
    assert codes[:-1] == [200] * PORTAL_PER_ADDRESS.count
    assert Ticket.objects.count() == PORTAL_PER_ADDRESS.count


def test_it_answers_unknown_formats_and_requests_with_404(org: Org) -> None:
    assert Client().get(f"{V2}/services.yaml").status_code == 404
    missing = Client().get(f"{V2}/requests/MCT-2026-999999.xml")
    assert missing.status_code == 404
    assert _errors_xml(missing.content)[0][0] == "404"
    assert Client().get(f"{V2}/tokens/nope.json").status_code == 404
    assert Client().get(f"{V2}/services/unicorns.json").status_code == 404


def test_it_lists_services_in_arabic_or_english(org: Org) -> None:
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get(f"{V2}/services.json").json()
    english = Client(HTTP_ACCEPT_LANGUAGE="ar").get(f"{V2}/services.json?locale=en").json()
    by_code = {s["service_code"]: s for s in english}
    assert by_code["pothole"]["service_name"] == org.pothole.name_en
    assert by_code["pothole"]["group"] == "Roads"
    assert by_code["pothole"]["metadata"] is False
    assert by_code["pothole"]["type"] == "realtime"
    assert {s["service_code"]: s for s in arabic}["pothole"]["service_name"] == org.pothole.name_ar
    header_english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"{V2}/services.json").json()
    assert header_english == english


def test_it_lists_services_in_xml(org: Org) -> None:
    response = Client().get(f"{V2}/services.xml?locale=en")
    root = _xml(response.content)
    assert root.tag == "services"
    codes = {s.findtext("service_code"): s for s in root.findall("service")}
    assert codes["pothole"].findtext("metadata") == "false"
    assert codes["pothole"].findtext("service_name") == org.pothole.name_en


def test_it_defines_a_service(org: Org) -> None:
    assert Client().get(f"{V2}/services/pothole.json").json() == {
        "service_code": "pothole",
        "attributes": [],
    }
    root = _xml(Client().get(f"{V2}/services/pothole.xml").content)
    assert (root.tag, root.findtext("service_code")) == ("service_definition", "pothole")


def test_it_publishes_the_discovery_file(org: Org) -> None:
    discovery = Client().get("/open311/discovery.json").json()
    [endpoint] = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    root = _xml(Client().get("/open311/discovery.xml").content)
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "application/json",
        "text/xml",
    ]


def test_it_prints_a_new_key_on_the_last_line_and_stores_only_its_hash(org: Org) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("open311_key", "--name", "i-Muscat", stdout=out, stderr=io.StringIO())
    raw = out.getvalue().strip().splitlines()[-1]
    stored = Open311ApiKey.objects.get()
    assert stored.name == "i-Muscat"
    assert raw not in json.dumps(list(Open311ApiKey.objects.values()), default=str)
    assert _file(raw).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_works_with_an_open311_client_library(org: Org, key: str, live_servers: Any) -> None:
    from georeport import GeoReport

    [server] = live_servers(1)
    root = f"{server.url}{V2}"
    reference = Client().post(f"{V2}/requests.json", _request(key)).json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        client = GeoReport(root, output_format=fmt)
        services = client.get_service_list()
        assert "pothole" in {s["service_code"] for s in services}, fmt
        assert client.get_service_definition("pothole")["service_code"] == "pothole"
        one = client.get_service_request(reference)
        assert (one["service_request_id"], one["status"]) == (reference, "open"), fmt
        listed = client.get_service_requests(service_code="pothole", status="open")
        listed = [listed] if isinstance(listed, dict) else listed
        assert [r["service_request_id"] for r in listed] == [reference], fmt


def test_it_explains_errors_in_arabic_by_default(org: Org) -> None:
    response = Client().post(f"{V2}/requests.json", _request(""))
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": "لم يُرسل المفتاح api_key."}]
