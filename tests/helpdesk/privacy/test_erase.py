"""Erasure on request: nothing of the citizen left in the database or the media folder."""

from __future__ import annotations

import json
import os
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from helpdesk.models import Contact, PrivacyErasure, Ticket
from helpdesk.privacy.erase import PLACEHOLDER, ErasureRefused, contact_erase
from helpdesk.roles import Actor
from helpdesk.selectors import reports
from helpdesk.selectors.tickets import ticket_public_lookup
from tests.helpdesk.privacy.helpers import (
    ADDRESS,
    EMAIL,
    INTERNAL_NOTE,
    NAME,
    PHONE,
    X_HANDLE,
    X_ID,
    make_citizen,
)
from tests.support.factories import make_org, make_staff

NEEDLES = (
    NAME,
    "Albalushi",
    PHONE,
    PHONE[1:],
    "91112233",
    EMAIL,
    "xylophone",
    ADDRESS,
    X_ID,
    X_HANDLE,
    INTERNAL_NOTE,
    "manhole.png",
)


def _database_dump() -> str:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = ["pg_dump", "--data-only", "--no-owner", "-d", str(db["NAME"])]
    if db.get("HOST"):
        command += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        command += ["-p", str(db["PORT"])]
    if db.get("USER"):
        command += ["-U", str(db["USER"])]
    return subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout


def _media_contents() -> list[tuple[str, bytes]]:
    root = Path(settings.MEDIA_ROOT)
    return [(str(p), p.read_bytes()) for p in root.rglob("*") if p.is_file()]


def _report_figures() -> list[Any]:
    tables = reports.report_tables(filters=reports.ReportFilter.last_days())
    return [(table.name, [list(map(str, row)) for row in table.rows]) for table in tables]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_erase_leaves_nothing_in_a_database_dump_or_the_media_folder() -> None:
    citizen = make_citizen(make_org())
    ticket_before = Ticket.objects.get(pk=citizen.ticket.pk)
    photo_path = Path(citizen.photo.file.path)
    assert photo_path.exists()
    dump = _database_dump()
    assert all(needle in dump for needle in (NAME, PHONE, "xylophone", X_ID))  # the dump sees
    figures = _report_figures()

    call_command(
        "privacy_erase",
        "--contact",
        PHONE,
        "--reason",
        "request PDPL-7",
        "--yes",
        "--by",
        "dpo",
        stdout=StringIO(),
    )

    dump = _database_dump()
    for needle in NEEDLES:
        assert needle not in dump, needle
    assert not photo_path.exists()
    for path, content in _media_contents():
        assert b"xylophone" not in content and b"91112233" not in content, path
    ticket = Ticket.objects.get(pk=citizen.ticket.pk)
    assert (ticket.reference, ticket.category_id, ticket.channel, ticket.created_at) == (
        ticket_before.reference,
        ticket_before.category_id,
        ticket_before.channel,
        ticket_before.created_at,
    )
    assert ticket.description == PLACEHOLDER
    assert ticket.conversation is not None and ticket.conversation.rating == 4
    assert _report_figures() == figures


@pytest.mark.django_db
def test_erase_records_who_when_why_and_how_much(org: Any) -> None:
    citizen = make_citizen(org)
    supervisor = make_staff("supervisor")
    erasure = contact_erase(
        contact=citizen.contact, actor=Actor(user=supervisor, role="supervisor"), reason="REQ-12"
    )
    stored = PrivacyErasure.objects.get(pk=erasure.pk)
    assert (stored.contact_id, stored.user, stored.reason) == (
        citizen.contact.pk,
        supervisor,
        "REQ-12",
    )
    assert stored.counts["tickets"] == 1
    assert stored.counts["messages"] >= 3
    assert stored.counts["files"] == 1
    assert stored.counts["identities"] == 1


@pytest.mark.django_db
def test_the_public_status_page_no_longer_answers_for_their_digits(org: Any) -> None:
    citizen = make_citizen(org)
    reference = citizen.ticket.reference
    assert ticket_public_lookup(reference=reference, phone_last_digits="2233") is not None
    call_command("privacy_erase", "--contact", EMAIL, "--reason", "R-1", "--yes", stdout=StringIO())
    assert ticket_public_lookup(reference=reference, phone_last_digits="2233") is None
    response = Client().post(
        "/api/v1/status/",
        json.dumps({"reference": reference, "phone_last_digits": "2233"}),
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_erase_is_refused_while_a_ticket_is_under_legal_hold(org: Any) -> None:
    citizen = make_citizen(org)
    Ticket.objects.filter(pk=citizen.ticket.pk).update(legal_hold=True)
    with pytest.raises(ErasureRefused):
        contact_erase(contact=citizen.contact, actor=Actor(user=None, role="system"), reason="R")
    assert Contact.objects.get(pk=citizen.contact.pk).phone == PHONE


@pytest.mark.django_db
def test_the_command_needs_a_reason_and_a_known_citizen(org: Any) -> None:
    make_citizen(org)
    with pytest.raises(CommandError):
        call_command("privacy_erase", "--contact", PHONE, "--reason", "  ", "--yes")
    with pytest.raises(CommandError):
        call_command("privacy_erase", "--contact", "+96899999999", "--reason", "R", "--yes")
    assert Contact.objects.get(phone=PHONE).name == NAME


@pytest.mark.django_db
def test_a_supervisor_erases_from_the_record_page_after_confirming(org: Any) -> None:
    citizen = make_citizen(org)
    client = Client()
    client.force_login(make_staff("supervisor"))
    url = f"/supervisor/contacts/{citizen.contact.pk}/erase/"
    refused = client.post(url, {"reason": "REQ-3", "confirm": citizen.contact.pk + 1})
    assert refused.status_code == 400
    assert Contact.objects.get(pk=citizen.contact.pk).name == NAME
    done = client.post(url, {"reason": "REQ-3", "confirm": citizen.contact.pk})
    assert done.status_code == 302
    assert Contact.objects.get(pk=citizen.contact.pk).name == ""
    assert PrivacyErasure.objects.filter(contact_id=citizen.contact.pk, reason="REQ-3").exists()


@pytest.mark.django_db
def test_other_roles_may_not_erase(org: Any) -> None:
    citizen = make_citizen(org)
    for role in ("agent", "dispatcher", "section_staff"):
        client = Client()
        client.force_login(make_staff(role))
        url = f"/supervisor/contacts/{citizen.contact.pk}/erase/"
        response = client.post(url, {"reason": "x", "confirm": citizen.contact.pk})
        assert response.status_code == 403, role
    assert Contact.objects.get(pk=citizen.contact.pk).name == NAME


@pytest.mark.django_db
def test_the_admin_offers_no_delete_for_a_contact_with_tickets(org: Any) -> None:
    citizen = make_citizen(org)
    admin = make_staff("administrator")
    admin.user_permissions.add(*Permission.objects.filter(content_type__model="contact"))
    client = Client()
    client.force_login(admin)
    response = client.post(f"/admin/helpdesk/contact/{citizen.contact.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Contact.objects.filter(pk=citizen.contact.pk).exists()
