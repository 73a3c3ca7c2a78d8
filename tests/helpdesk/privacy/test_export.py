"""Access on request: the archive holds what was stored, and every export is logged."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from helpdesk.models import AccessLog
from tests.helpdesk.privacy.helpers import (
    ADDRESS,
    CHAT_TEXT,
    DESCRIPTION,
    EMAIL,
    INTERNAL_NOTE,
    NAME,
    PHONE,
    X_HANDLE,
    make_citizen,
)
from tests.support.factories import make_staff


def _check_archive(content: bytes, reference: str) -> None:
    archive = zipfile.ZipFile(io.BytesIO(content))
    data = json.loads(archive.read("data.json"))
    assert (data["contact"]["name"], data["contact"]["phone"], data["contact"]["email"]) == (
        NAME,
        PHONE,
        EMAIL,
    )
    assert data["identities"][0]["handle"] == X_HANDLE
    texts = [m["text"] for c in data["conversations"] for m in c["messages"]]
    assert CHAT_TEXT in texts
    assert INTERNAL_NOTE not in texts  # staff's internal notes are not the citizen's data
    [ticket] = data["tickets"]
    assert (ticket["reference"], ticket["description"], ticket["address"]) == (
        reference,
        DESCRIPTION,
        ADDRESS,
    )
    assert ticket["location"] == {"lat": 23.588, "lng": 58.383}
    assert any(reference in n["text"] for n in data["notifications"])
    [photo] = data["attachments"]
    assert len(archive.read(photo["file"])) == photo["size"]
    page = archive.read("index.html").decode()
    assert "بياناتك الشخصية" in page and "Your personal data" in page
    assert CHAT_TEXT in page and reference in page


@pytest.mark.django_db
def test_the_command_writes_json_a_page_in_both_languages_and_the_files(
    org: Any, tmp_path: Path
) -> None:
    citizen = make_citizen(org)
    out = tmp_path / "citizen.zip"
    call_command(
        "privacy_export", "--contact", PHONE, "--out", str(out), "--by", "dpo", stdout=StringIO()
    )
    _check_archive(out.read_bytes(), citizen.ticket.reference)
    row = AccessLog.objects.get(via="command")
    assert (row.username, row.contact_id, row.purpose) == (
        "dpo",
        citizen.contact.pk,
        "privacy_export",
    )


@pytest.mark.django_db
def test_the_command_finds_the_citizen_by_id_or_e_mail_and_says_when_it_cannot(
    org: Any, tmp_path: Path
) -> None:
    citizen = make_citizen(org)
    for query in (str(citizen.contact.pk), EMAIL):
        call_command("privacy_export", "--contact", query, "--out", str(tmp_path / "a.zip"))
    with pytest.raises(CommandError, match="nobody@example"):
        call_command("privacy_export", "--contact", "nobody@example.org", "--out", "x.zip")


@pytest.mark.django_db
def test_a_supervisor_exports_from_the_record_page_and_it_is_logged(org: Any) -> None:
    citizen = make_citizen(org)
    supervisor = make_staff("supervisor")
    client = Client()
    client.force_login(supervisor)
    response = client.post(f"/supervisor/contacts/{citizen.contact.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    _check_archive(response.content, citizen.ticket.reference)
    row = AccessLog.objects.get(via="export")
    assert (row.user, row.role, row.contact_id) == (supervisor, "supervisor", citizen.contact.pk)


@pytest.mark.django_db
def test_only_supervisors_and_administrators_export(org: Any) -> None:
    citizen = make_citizen(org)
    for role in ("agent", "dispatcher", "section_staff", "partner"):
        kwargs = {"partner": org.haya} if role == "partner" else {}
        client = Client()
        client.force_login(make_staff(role, **kwargs))
        response = client.post(f"/supervisor/contacts/{citizen.contact.pk}/export/")
        assert response.status_code == 403, role
    assert not AccessLog.objects.filter(via="export").exists()
