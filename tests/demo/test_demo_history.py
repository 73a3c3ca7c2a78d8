"""The demo's month of history: realistic, consistent with the lifecycle, once only, repeatable."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from demo.history import history_generate
from helpdesk.models import (
    Channel,
    Conversation,
    SLAAlert,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.selectors import reports
from helpdesk.services.tickets import TRANSITIONS

NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)  # a Thursday, 14:00 in Muscat


@pytest.fixture
def organisation(db: None, settings: Any) -> None:
    settings.NIDAA_DEMO_HISTORY_DAYS = 0
    call_command("demo_setup", stdout=StringIO())


def _fingerprint() -> list[Any]:
    return [
        list(
            Conversation.objects.order_by("created_at", "public_id").values_list(
                "channel", "created_at", "assigned_at", "closed_at", "rating", "assignee__username"
            )
        ),
        list(Ticket.objects.order_by("reference").values_list("reference", "status", "channel")),
    ]


def test_it_writes_the_same_history_for_the_same_seed(organisation: None) -> None:
    class Undo(Exception):
        pass

    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                history_generate(days=5, seed=7, now=NOW)
                prints.append(_fingerprint())
                raise Undo
        except Undo:
            pass
    assert prints[0] == prints[1]
    assert prints[0][0], "no conversations written"


def test_it_writes_once_and_then_nothing(organisation: None) -> None:
    first = history_generate(days=3, now=NOW)
    counts = (Conversation.objects.count(), Ticket.objects.count(), TicketEvent.objects.count())
    again = history_generate(days=3, now=NOW)
    assert first.conversations > 0 and not first.skipped
    assert again.skipped
    assert (
        Conversation.objects.count(),
        Ticket.objects.count(),
        TicketEvent.objects.count(),
    ) == counts


def test_every_ticket_follows_the_lifecycle_and_nothing_lies_in_the_future(
    organisation: None,
) -> None:
    history_generate(days=14, now=NOW)
    since = NOW - datetime.timedelta(days=16)
    assert not Conversation.objects.filter(created_at__gt=NOW).exists()
    assert not Conversation.objects.filter(created_at__lt=since).exists()
    assert not TicketEvent.objects.filter(created_at__gt=NOW).exists()
    for ticket in Ticket.objects.prefetch_related("events"):
        status = ""
        for event in ticket.events.all():
            if event.kind != TicketEventKind.TRANSITION:
                continue
            assert event.from_status == status, ticket.reference
            action = event.data["action"]
            if action != "create":
                assert status in TRANSITIONS[action].sources, (ticket.reference, action)
                assert TRANSITIONS[action].target == event.to_status
            status = event.to_status
        assert ticket.status == status, ticket.reference


def test_it_reaches_every_tier_and_channel(organisation: None) -> None:
    history_generate(days=14, now=NOW)
    reached = set(TicketEvent.objects.values_list("to_status", flat=True))
    assert reached >= {
        TicketStatus.REGISTERED,
        TicketStatus.DISPATCHED,
        TicketStatus.FORWARDED_EXTERNAL,
        TicketStatus.IN_PROGRESS,
        TicketStatus.RETURNED,
        TicketStatus.RESOLVED,
        TicketStatus.CITIZEN_NOTIFIED,
        TicketStatus.CLOSED,
        TicketStatus.REOPENED,
    }
    channels = set(Ticket.objects.values_list("channel", flat=True))
    assert channels >= {Channel.WEBCHAT, Channel.PHONE, Channel.PORTAL, Channel.MOBILE_APP}
    assert set(Conversation.objects.values_list("channel", flat=True)) == {
        Channel.WEBCHAT,
        Channel.X,
        Channel.FACEBOOK,
    }
    assert TicketEvent.objects.filter(actor__username="partner").exists()
    assert TicketEvent.objects.filter(actor__username="section").exists()


def test_the_reports_show_a_real_picture(organisation: None) -> None:
    history_generate(days=14, now=NOW)
    filters = reports.ReportFilter.last_days(14, today=datetime.date(2026, 11, 26))
    level = reports.service_level(filters=filters)
    within_20 = level.within_percent(20)
    assert within_20 is not None and 50 < within_20 < 98
    assert 0 < level.abandoned < level.queued
    sla = reports.ticket_sla(filters=filters, now=NOW)
    assert sla.resolution.met > 0 and sla.resolution.breached > 0
    rated = reports.satisfaction(filters=filters)
    assert rated.rated > 0 and all(rated.distribution.values())
    assert reports.returned_by_section(filters=filters)
    assert reports.reopened_count(filters=filters) > 0


def test_the_scheduler_finds_no_old_alert_left_to_raise(organisation: None) -> None:
    from helpdesk.services.sla import sla_scan

    history_generate(days=14, now=NOW)
    assert SLAAlert.objects.exists()
    # What the history left overdue was already escalated when it happened: no burst of
    # e-mails about last month on the demo's first start.
    assert sla_scan(now=NOW) == []


def test_demo_setup_writes_the_history_it_is_configured_for(db: None, settings: Any) -> None:
    settings.NIDAA_DEMO_HISTORY_DAYS = 2
    out = StringIO()
    call_command("demo_setup", stdout=out)
    assert "Demo history for 2 days" in out.getvalue()
    assert Conversation.objects.filter(external_thread_id__startswith="history:").exists()
