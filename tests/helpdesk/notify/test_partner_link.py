"""The two-way partner link, against the example receiver of docs/partners.md run as the partner.

``examples/partner_receiver.py`` is started as a real HTTP server on 127.0.0.1;
Nidaa's real ``db_worker`` delivers the callbacks through the outbox, and the
partner answers through the REST API with its bearer token.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from helpdesk.errors import InvalidInput, NotInScope
from helpdesk.models import Notification, NotificationStatus, Role, Ticket
from helpdesk.partner_callbacks import signature
from helpdesk.services.api_tokens import partner_token_issue
from helpdesk.services.partners import partner_callback_configure
from helpdesk.services.sms import sms_inbound_receive
from helpdesk.services.tickets import ticket_forward_to_partner, ticket_transition
from tests.support.factories import Org, actor, make_staff, make_ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

RECEIVER = Path(__file__).resolve().parents[3] / "examples" / "partner_receiver.py"
SECRET = "s3cret-of-haya-water-0123456789abcdef"


@dataclass
class FakePartner:
    url: str
    log: Path

    def entries(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line]


def _start(tmp_path: Path, *extra: str) -> Iterator[FakePartner]:
    log = tmp_path / "received.jsonl"
    command = [sys.executable, str(RECEIVER), "--port", "0", "--secret", SECRET]
    process = subprocess.Popen(
        [*command, "--log", str(log), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("listening on "), line
        yield FakePartner(url=line.split()[-1], log=log)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def fake_partner(tmp_path: Path) -> Iterator[FakePartner]:
    """The example receiver, failing its first delivery with a 500."""
    yield from _start(tmp_path, "--fail-first", "1")


@pytest.fixture
def steady_partner(tmp_path: Path) -> Iterator[FakePartner]:
    """The example receiver, answering every valid delivery."""
    yield from _start(tmp_path)


@pytest.fixture
def people(org: Org, settings: Any) -> dict[str, Any]:
    settings.NIDAA_PARTNER_CALLBACK_ALLOW_HTTP = True  # the fake partner has no TLS
    org.haya.api_enabled = True
    org.haya.save()
    return {
        "agent": make_staff(Role.AGENT),
        "dispatcher": make_staff(Role.DISPATCHER),
        "haya": make_staff(Role.PARTNER, partner=org.haya),
        "omantel": make_staff(Role.PARTNER, partner=org.omantel),
    }


def _connect(org: Org, people: dict[str, Any], url: str) -> None:
    partner_callback_configure(
        partner=org.haya, actor=actor(people["haya"]), url=url, secret=SECRET
    )


def _forward(org: Org, people: dict[str, Any], capture: Any) -> Ticket:
    with capture(execute=True):
        ticket = make_ticket(org, category=org.water, subject="Water leak in Ruwi")
        ticket_forward_to_partner(
            ticket=ticket, actor=actor(people["dispatcher"]), partner=org.haya, note="Main pipe"
        )
    return ticket


def _make_retries_due() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_it_delivers_a_signed_callback_and_retries_after_the_partner_fails(
    org: Org,
    people: dict[str, Any],
    fake_partner: FakePartner,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _connect(org, people, fake_partner.url)
    ticket = _forward(org, people, django_capture_on_commit_callbacks)
    callback = Notification.objects.get(ticket=ticket, channel="partner_callback")
    assert callback.recipient == "haya"

    run_worker()
    callback.refresh_from_db()
    assert callback.status == NotificationStatus.QUEUED
    assert "500" in callback.last_error
    assert [e["outcome"] for e in fake_partner.entries()] == ["failed_on_purpose"]

    _make_retries_due()
    run_worker()
    callback.refresh_from_db()
    assert callback.status == NotificationStatus.SENT
    assert callback.attempts == 2
    failed, accepted = fake_partner.entries()
    assert accepted["outcome"] == "accepted"  # the receiver checked the signature
    assert accepted["delivery"] == failed["delivery"] == callback.idempotency_key
    assert accepted["type"] == "ticket.forwarded"
    assert accepted["reference"] == ticket.reference
    assert accepted["status"] == "forwarded_external"
    assert accepted["note"] == "Main pipe"


def test_a_callback_signed_with_another_secret_is_refused_and_not_retried(
    org: Org,
    people: dict[str, Any],
    steady_partner: FakePartner,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner_callback_configure(
        partner=org.haya,
        actor=actor(people["haya"]),
        url=steady_partner.url,
        secret="an-old-secret-the-partner-rotated-away",
    )
    ticket = _forward(org, people, django_capture_on_commit_callbacks)
    run_worker()
    callback = Notification.objects.get(ticket=ticket, channel="partner_callback")
    assert callback.status == NotificationStatus.FAILED
    assert "401" in callback.last_error
    assert [e["why"] for e in steady_partner.entries()] == ["bad signature"]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_the_receiver_refuses_a_forged_or_replayed_request(fake_partner: FakePartner) -> None:
    body = b'{"type": "ticket.closed"}'
    now = str(int(time.time()))
    forged = requests.post(
        fake_partner.url,
        data=body,
        headers={
            "X-Nidaa-Timestamp": now,
            "X-Nidaa-Signature": signature("not-the-secret-" * 3, now, body),
        },
        timeout=10,
    )
    old = str(int(time.time()) - 3600)
    replayed = requests.post(
        fake_partner.url,
        data=body,
        headers={"X-Nidaa-Timestamp": old, "X-Nidaa-Signature": signature(SECRET, old, body)},
        timeout=10,
    )
    assert (forged.status_code, replayed.status_code) == (401, 401)
    assert [e["why"] for e in fake_partner.entries()] == [
        "bad signature",
        "timestamp outside the tolerance (replayed or clock skew)",
    ]


def test_a_partner_update_through_the_api_is_in_the_agents_timeline_and_told_back(
    org: Org,
    people: dict[str, Any],
    steady_partner: FakePartner,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner = steady_partner
    _connect(org, people, partner.url)
    ticket = _forward(org, people, django_capture_on_commit_callbacks)
    _token, raw = partner_token_issue(user=people["haya"], name="Haya CRM")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with django_capture_on_commit_callbacks(execute=True):
        noted = api.post(
            f"/api/v1/tickets/{ticket.pk}/notes/",
            {"note": "Crew sent to Ruwi", "public": False},
            content_type="application/json",
        )
        resolved = api.post(
            f"/api/v1/tickets/{ticket.pk}/transitions/",
            {"action": "partner_resolve", "note": "Valve replaced"},
            content_type="application/json",
        )
    assert (noted.status_code, resolved.status_code) == (201, 200)

    agent = Client()
    agent.force_login(people["agent"])
    page = agent.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Crew sent to Ruwi" in page
    assert "Valve replaced" in page
    assert (
        "<strong>The partner&#x27;s system (signed callback) →</strong>"
        ' <bdi dir="ltr">haya</bdi>' in page
    )
    assert resolved.json()["events"][-1]["note"] == "Valve replaced"

    with django_capture_on_commit_callbacks(execute=True):
        sms_inbound_receive(gateway_id="in-1", sender=ticket.contact.phone, text="Still leaking")
        ticket_transition(
            ticket=ticket,
            action="reopen",
            actor=actor(people["dispatcher"]),
            note="Citizen says it leaks",
        )
    run_worker()
    _make_retries_due()
    run_worker()
    told = [(e["type"], e["actor_role"]) for e in partner.entries() if e["outcome"] == "accepted"]
    assert sorted(told) == sorted(
        [
            ("ticket.forwarded", "dispatcher"),
            ("ticket.note_added", "partner"),
            ("ticket.resolved", "partner"),
            ("ticket.citizen_replied", "system"),
            ("ticket.reopened", "dispatcher"),
        ]
    )


def test_only_tickets_of_a_listening_partner_are_told(
    org: Org, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _connect(org, people, "https://haya.example/nidaa")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(org)
        ticket_forward_to_partner(
            ticket=ticket, actor=actor(people["dispatcher"]), partner=org.omantel
        )
    assert not Notification.objects.filter(channel="partner_callback").exists()


def test_a_partner_sets_its_callback_on_its_own_page_and_sees_the_new_secret_once(
    org: Org, people: dict[str, Any]
) -> None:
    browser = Client()
    browser.force_login(people["haya"])
    browser.post(
        "/partner/callback/",
        {"callback_url": "https://crm.haya.example/nidaa", "new_secret": "1"},
    )
    org.haya.refresh_from_db()
    assert org.haya.callback_url == "https://crm.haya.example/nidaa"
    assert len(org.haya.callback_secret) >= 32
    first = browser.get("/partner/").content.decode()
    assert org.haya.callback_secret in first
    assert org.haya.callback_secret not in browser.get("/partner/").content.decode()


def test_it_refuses_an_insecure_or_short_callback_and_keeps_the_old_one(
    org: Org, people: dict[str, Any], settings: Any
) -> None:
    _connect(org, people, "https://crm.haya.example/nidaa")
    settings.NIDAA_PARTNER_CALLBACK_ALLOW_HTTP = False
    haya = actor(people["haya"])
    with pytest.raises(InvalidInput, match="https://"):
        partner_callback_configure(partner=org.haya, actor=haya, url="http://crm.haya.example/")
    with pytest.raises(InvalidInput) as short:
        partner_callback_configure(
            partner=org.haya, actor=haya, url="https://crm.haya.example/", secret="short"
        )
    assert short.value.code == "invalid_callback_secret"
    org.haya.refresh_from_db()
    assert (org.haya.callback_url, org.haya.callback_secret) == (
        "https://crm.haya.example/nidaa",
        SECRET,
    )


def test_a_partner_cannot_change_another_agencys_callback(org: Org, people: dict[str, Any]) -> None:
    with pytest.raises(NotInScope):
        partner_callback_configure(
            partner=org.haya, actor=actor(people["omantel"]), url="https://evil.example/"
        )
    org.haya.refresh_from_db()
    assert org.haya.callback_url == ""
