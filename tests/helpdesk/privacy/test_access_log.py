"""The access log: one row for each kind of staff read, cheap to write, shown to supervisors."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpdesk.attachments import attachment_url
from helpdesk.models import AccessLog
from helpdesk.privacy.access import access_log_flush, access_log_pending, access_record
from tests.helpdesk.privacy.helpers import make_citizen
from tests.support.factories import Org, make_staff


def _administrator(*models: str) -> Any:
    """An administrator granted every permission on ``models`` (the role's group has none)."""
    user = make_staff("administrator")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="helpdesk", content_type__model__in=models
        )
    )
    return user


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_opening_a_ticket_page_writes_one_row(org: Org) -> None:
    citizen = make_citizen(org)
    dispatcher = make_staff("dispatcher")
    assert _client(dispatcher).get(f"/tickets/{citizen.ticket.pk}/").status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.role, row.object_type, row.via, row.purpose) == (
        dispatcher,
        "dispatcher",
        "ticket",
        "page",
        "ticket_detail",
    )
    assert (row.contact_id, row.ticket_id, row.address) == (
        citizen.contact.pk,
        citizen.ticket.pk,
        "127.0.0.1",
    )


@pytest.mark.django_db
def test_reading_a_ticket_through_the_api_writes_one_row(org: Org) -> None:
    citizen = make_citizen(org)
    agent = make_staff("agent")
    assert _client(agent).get(f"/api/v1/tickets/{citizen.ticket.pk}/").status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.via, row.object_type, row.ticket_id) == (
        agent,
        "api",
        "ticket",
        citizen.ticket.pk,
    )


@pytest.mark.django_db
def test_staff_opening_an_attachment_is_logged_and_a_citizen_is_not(org: Org) -> None:
    citizen = make_citizen(org)
    url = attachment_url(citizen.photo)
    response = Client().get(url)
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert not AccessLog.objects.exists()
    section = make_staff("section_staff", sections=[org.potholes])
    response = _client(section).get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)  # type: ignore[attr-defined]  # served to the end
    row = AccessLog.objects.get()
    assert (row.object_type, row.object_id, row.contact_id) == (
        "attachment",
        str(citizen.photo.public_id),
        citizen.contact.pk,
    )


@pytest.mark.django_db
def test_opening_a_citizen_in_the_admin_is_logged(org: Org) -> None:
    citizen = make_citizen(org)
    admin = _administrator("contact")
    assert (
        _client(admin).get(f"/admin/helpdesk/contact/{citizen.contact.pk}/change/").status_code
        == 200
    )
    row = AccessLog.objects.get()
    assert (row.via, row.object_type, row.contact_id) == ("admin", "contact", citizen.contact.pk)


@pytest.mark.django_db
def test_reads_are_buffered_and_written_in_one_insert(org: Org) -> None:
    citizen = make_citizen(org)
    agent = make_staff("agent")
    for _ in range(5):
        access_record(
            user=agent, object_type="ticket", object_id=citizen.ticket.pk, via="page", purpose="x"
        )
    assert access_log_pending() == 5 and not AccessLog.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        assert access_log_flush() == 5
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    assert AccessLog.objects.count() == 5


def _reads(org: Org) -> tuple[Any, Any, Any]:
    citizen = make_citizen(org)
    agent, dispatcher = make_staff("agent"), make_staff("dispatcher")
    _client(agent).get(f"/tickets/{citizen.ticket.pk}/")
    _client(dispatcher).get(f"/tickets/{citizen.ticket.pk}/")
    AccessLog.objects.filter(user=dispatcher).update(
        at=timezone.now() - datetime.timedelta(days=10)
    )
    return citizen, agent, dispatcher


@pytest.mark.django_db
def test_supervisors_filter_the_access_log_and_export_it(org: Org) -> None:
    citizen, agent, dispatcher = _reads(org)
    client = _client(make_staff("supervisor"))
    page = client.get("/supervisor/audit/", {"staff": agent.username}).content.decode()
    assert agent.username in page and dispatcher.username not in page
    today = timezone.localdate().isoformat()
    page = client.get("/supervisor/audit/", {"start": today, "end": today}).content.decode()
    assert agent.username in page and dispatcher.username not in page
    page = client.get(
        "/supervisor/audit/", {"ticket": citizen.ticket.reference, "contact": citizen.contact.pk}
    ).content.decode()
    assert agent.username in page and dispatcher.username in page
    response = client.get("/supervisor/audit/", {"staff": dispatcher.username, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["at", "username", "role"]
    assert [r[1] for r in rows[1:]] == [dispatcher.username]
    assert client.get("/supervisor/audit/", {"start": "not a date"}).status_code == 400


@pytest.mark.django_db
def test_the_citizens_record_shows_who_looked(org: Org) -> None:
    citizen, agent, dispatcher = _reads(org)
    page = _client(make_staff("supervisor")).get(f"/supervisor/contacts/{citizen.contact.pk}/")
    text = page.content.decode()
    assert agent.username in text and dispatcher.username in text


@pytest.mark.parametrize("role", ["agent", "dispatcher", "section_staff"])
@pytest.mark.django_db
def test_other_roles_cannot_read_the_access_log(org: Org, role: str) -> None:
    client = _client(make_staff(role))
    assert client.get("/supervisor/audit/").status_code == 403
    assert client.get("/supervisor/contacts/1/").status_code == 403


@pytest.mark.django_db
def test_the_admin_cannot_edit_or_delete_the_access_log(org: Org) -> None:
    _reads(org)
    row = AccessLog.objects.first()
    assert row is not None
    client = _client(_administrator("accesslog"))
    assert client.get("/admin/helpdesk/accesslog/").status_code == 200
    client.post(f"/admin/helpdesk/accesslog/{row.pk}/change/", {"username": "someone else"})
    assert (
        client.post(f"/admin/helpdesk/accesslog/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    row.refresh_from_db()
    assert row.username != "someone else"
    assert AccessLog.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_finding_a_citizen_by_number_logs_each_result_shown(org: Org) -> None:
    citizen = make_citizen(org)
    page = _client(make_staff("supervisor")).get("/supervisor/contacts/", {"q": "91112233"})
    assert f"/supervisor/contacts/{citizen.contact.pk}/" in page.content.decode()
    row = AccessLog.objects.get()
    assert (row.object_type, row.contact_id, row.purpose) == (
        "contact",
        citizen.contact.pk,
        "privacy_contacts",
    )
