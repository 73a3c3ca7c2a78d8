"""E-mail intake: RFC 822 messages from an mbox, a maildir or stdin become tickets once."""

from __future__ import annotations

import io
import mailbox
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from helpdesk.jobs import core_jobs, maildir_ingest
from helpdesk.models import Attachment, Conversation, Ticket, TicketEventKind, TicketStatus
from tests.support.factories import Org
from tests.support.images import png_bytes

pytestmark = pytest.mark.django_db


def _mail(
    message_id: str,
    *,
    subject: str = "Garbage not collected",
    body: str = "",
    reply_to: str = "",
    attach: list[tuple[bytes, str, str]] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Mona <mona@example.org>"
    message["To"] = "1111@mm.gov.om.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(body or "The garbage in Qurum has not been collected for 3 days.")
    for content, maintype_subtype, name in attach:
        maintype, subtype = maintype_subtype.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def _ingest_mbox(path: Path, *messages: EmailMessage) -> str:
    box = mailbox.mbox(path)
    for message in messages:
        box.add(message)
    box.flush()
    out = io.StringIO()
    call_command("email_ingest", mbox=str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_opens_a_new_ticket_with_the_attachment_from_an_email(org: Org, tmp_path: Path) -> None:
    _ingest_mbox(
        tmp_path / "in.mbox",
        _mail("<a1@example.org>", attach=[(png_bytes(), "image/png", "bins.png")]),
    )
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.status) == ("email", TicketStatus.NEW)
    assert ticket.category == org.garbage  # suggested from the keywords
    assert ticket.contact.email == "mona@example.org"
    assert ticket.conversation.channel == "email"
    photo = Attachment.objects.get(ticket=ticket)
    assert photo.content_type == "image/jpeg" and photo.original_name == "bins.png"


def test_it_ingests_the_same_mailbox_twice_without_duplicates(org: Org, tmp_path: Path) -> None:
    path = tmp_path / "in.mbox"
    _ingest_mbox(path, _mail("<a1@example.org>"), _mail("<a2@example.org>", subject="Pothole"))
    out = io.StringIO()
    call_command("email_ingest", mbox=str(path), stdout=out)
    assert Ticket.objects.count() == 2
    assert "created 0, already known 2" in out.getvalue()


def test_it_adds_a_reply_to_the_ticket_of_its_thread(org: Org, tmp_path: Path) -> None:
    _ingest_mbox(tmp_path / "a.mbox", _mail("<root@example.org>"))
    _ingest_mbox(
        tmp_path / "b.mbox",
        _mail(
            "<r1@example.org>",
            subject="Re: Garbage",
            body="Still there today.",
            reply_to="<root@example.org>",
        ),
    )
    ticket = Ticket.objects.get()
    assert Conversation.objects.count() == 1
    assert ticket.events.filter(kind=TicketEventKind.INBOUND, note__contains="Still there").exists()


def test_it_keeps_the_message_and_notes_a_refused_attachment(org: Org, tmp_path: Path) -> None:
    _ingest_mbox(
        tmp_path / "in.mbox",
        _mail("<a3@example.org>", attach=[(b"not really", "image/png", "fake.png")]),
    )
    ticket = Ticket.objects.get()
    assert not Attachment.objects.filter(ticket=ticket).exists()
    assert ticket.events.filter(kind=TicketEventKind.NOTE, note__contains="fake.png").exists()


def test_it_reads_a_maildir(org: Org, tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir")
    box.add(_mail("<m1@example.org>"))
    call_command("email_ingest", maildir=str(tmp_path / "Maildir"), stdout=io.StringIO())
    assert Ticket.objects.count() == 1


def test_the_scheduler_ingests_what_arrived_in_the_maildir_once(
    org: Org, tmp_path: Path, settings: Any
) -> None:
    settings.NIDAA_EMAIL_MAILDIR = str(tmp_path / "Maildir")
    box = mailbox.Maildir(tmp_path / "Maildir")
    box.add(_mail("<m1@example.org>"))
    assert "email.ingest" in [job.name for job in core_jobs()]
    assert maildir_ingest() == "1 e-mail(s) ingested, 0 already known, 0 refused"
    assert maildir_ingest() == ""  # read: moved to cur/, not read again
    [read] = list(box)
    assert read.get_subdir() == "cur" and "S" in read.get_flags()
    assert Ticket.objects.count() == 1


def test_it_reads_one_message_from_stdin(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _mail("<s1@example.org>").as_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("email_ingest", stdout=io.StringIO())
    assert Ticket.objects.get().subject == "Garbage not collected"
