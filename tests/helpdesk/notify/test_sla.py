"""SLA targets, reminders and escalations on a controlled clock."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.management import call_command
from django.utils import timezone

from helpdesk import events
from helpdesk.models import (
    Holiday,
    Notification,
    Priority,
    Role,
    SLAAlert,
    SLAPolicy,
    SLATarget,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.services.sla import sla_scan
from helpdesk.services.tickets import _due_dates
from tests.support.factories import Org, make_staff, make_ticket

pytestmark = pytest.mark.django_db

MUSCAT = ZoneInfo("Asia/Muscat")
THU, FRI, SUN, MON = (datetime.date(2026, 11, day) for day in (26, 27, 29, 30))


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=MUSCAT)


def _with_the_section(org: Org, *, registered: datetime.datetime, **kwargs: Any) -> Ticket:
    """A ticket registered at ``registered`` (due dates from the calendar), now with its section."""
    ticket = make_ticket(org, **kwargs)
    first_due, resolution_due = _due_dates(ticket.category, registered, ticket.priority)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.DISPATCHED,
        registered_at=registered,
        first_response_due=first_due,
        resolution_due=resolution_due,
    )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def one_day_sla(org: Org) -> Org:
    org.sla.first_response_minutes = 60
    org.sla.resolution_minutes = 420  # one working day
    org.sla.reminder_percent = 75
    org.sla.save()
    return org


def test_it_sets_due_dates_across_the_weekend(one_day_sla: Org) -> None:
    first, resolution = _due_dates(one_day_sla.pothole, at(THU, 12))
    assert first == at(THU, 13)
    assert resolution == at(SUN, 12)


def test_it_sets_due_dates_across_a_weekend_and_a_holiday(one_day_sla: Org) -> None:
    Holiday.objects.create(date=SUN, name_ar="عطلة", name_en="Holiday")
    first, resolution = _due_dates(one_day_sla.pothole, at(THU, 14))
    assert first == at(MON, 8)
    assert resolution == at(MON, 14)


def test_it_uses_the_target_of_the_tickets_priority(one_day_sla: Org) -> None:
    SLATarget.objects.create(
        policy=one_day_sla.sla,
        priority=Priority.URGENT,
        first_response_minutes=15,
        resolution_minutes=120,
    )
    assert _due_dates(one_day_sla.pothole, at(SUN, 8), Priority.URGENT) == (
        at(SUN, 8, 15),
        at(SUN, 10),
    )
    assert _due_dates(one_day_sla.pothole, at(SUN, 8), Priority.NORMAL) == (
        at(SUN, 9),
        at(MON, 8),
    )


def test_it_registers_an_urgent_ticket_with_the_urgent_target(one_day_sla: Org) -> None:
    SLATarget.objects.create(
        policy=one_day_sla.sla,
        priority=Priority.URGENT,
        first_response_minutes=15,
        resolution_minutes=120,
    )
    normal = make_ticket(one_day_sla)
    urgent = make_ticket(one_day_sla, priority=Priority.URGENT)
    assert urgent.resolution_due is not None and normal.resolution_due is not None
    assert urgent.resolution_due < normal.resolution_due


def test_it_reminds_the_section_at_the_threshold_and_not_before(one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    # 75 % of 420 business minutes = 315 minutes after 07:30 = 12:45.
    assert sla_scan(now=at(SUN, 12, 44)) == []
    [alert] = sla_scan(now=at(SUN, 12, 45))
    assert (alert.ticket, alert.kind, alert.due_at) == (ticket, "reminder", at(SUN, 14, 30))
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEventKind.REMINDER).count() == 1


def test_it_counts_the_reminder_threshold_in_business_time(one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(THU, 12))
    # Due Sunday 12:00; 315 business minutes after Thursday 12:00 is Sunday 10:15.
    assert sla_scan(now=at(FRI, 12)) == []
    assert sla_scan(now=at(SUN, 10, 14)) == []
    [alert] = sla_scan(now=at(SUN, 10, 15))
    assert alert.ticket == ticket


def test_it_reminds_only_once(one_day_sla: Org) -> None:
    _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    assert len(sla_scan(now=at(SUN, 13))) == 1
    assert sla_scan(now=at(SUN, 13, 30)) == []
    assert sla_scan(now=at(SUN, 14)) == []
    assert SLAAlert.objects.filter(kind="reminder").count() == 1


def test_it_escalates_an_overdue_ticket_once(one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    sla_scan(now=at(SUN, 13))
    assert sla_scan(now=at(SUN, 14, 29)) == []
    [escalation] = sla_scan(now=at(SUN, 14, 30))
    assert (escalation.kind, escalation.ticket) == ("escalation", ticket)
    assert sla_scan(now=at(MON, 9)) == []
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEventKind.ESCALATION).count() == 1


def test_it_escalates_a_ticket_that_was_never_forwarded(one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.REGISTERED)
    kinds = [alert.kind for alert in sla_scan(now=at(MON, 9))]
    assert kinds == ["escalation"]  # no section reminder: it never reached the section


def test_it_leaves_solved_tickets_alone(one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.CLOSED)
    assert sla_scan(now=at(MON, 9)) == []


def test_it_e_mails_the_reminder_to_the_section_and_its_staff(one_day_sla: Org) -> None:
    one_day_sla.potholes.email = "roads@mm.example"
    one_day_sla.potholes.save()
    make_staff(Role.SECTION_STAFF, sections=[one_day_sla.potholes], email="maryam@mm.example")
    make_staff(Role.SECTION_STAFF, sections=[one_day_sla.lighting], email="other@mm.example")
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    sla_scan(now=at(SUN, 13))
    reminders = Notification.objects.filter(ticket=ticket, template_key="reminder")
    assert sorted(n.recipient for n in reminders) == ["maryam@mm.example", "roads@mm.example"]
    assert all(n.channel == "email" and n.language == "ar+en" for n in reminders)
    assert ticket.reference in reminders[0].body


def test_it_e_mails_the_escalation_to_dispatchers_and_supervisors(one_day_sla: Org) -> None:
    make_staff(Role.DISPATCHER, email="khalid@mm.example")
    make_staff(Role.SUPERVISOR, email="fatma@mm.example")
    make_staff(Role.AGENT, email="aisha@mm.example")
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    sla_scan(now=at(MON, 9))
    escalations = Notification.objects.filter(ticket=ticket, template_key="escalation")
    assert sorted(n.recipient for n in escalations) == ["fatma@mm.example", "khalid@mm.example"]


def test_it_reminds_the_dispatcher_to_call_the_citizen_back(
    one_day_sla: Org, settings: Any
) -> None:
    settings.NIDAA_CALLBACK_DUE_MINUTES = 60
    make_staff(Role.DISPATCHER, email="khalid@mm.example")
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.RESOLVED, resolved_at=at(SUN, 9))
    assert sla_scan(now=at(SUN, 9, 59)) == []
    [alert] = sla_scan(now=at(SUN, 10))
    assert alert.kind == "callback"
    assert sla_scan(now=at(SUN, 11)) == []
    [callback] = Notification.objects.filter(ticket=ticket, template_key="callback_due")
    assert callback.recipient == "khalid@mm.example"
    assert "+96891234567" in callback.body


def test_it_shows_the_reminder_in_the_section_workspace(
    one_day_sla: Org, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(events.section_group(ticket.section_id), channel)
    with django_capture_on_commit_callbacks(execute=True):
        sla_scan(now=at(SUN, 13))
    message = async_to_sync(layer.receive)(channel)
    assert message["event"] == "reminder.new"
    assert message["payload"] == {
        "ticket": ticket.pk,
        "reference": ticket.reference,
        "kind": "reminder",
    }


@pytest.mark.django_db(transaction=True)
def test_it_runs_one_scheduler_round_from_the_command_line(one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=timezone.now() - datetime.timedelta(days=30))
    out = StringIO()
    call_command("scheduler", "--once", "--job", "service.sweep", stdout=out)
    assert "service.sweep: 1 SLA alert(s)" in out.getvalue()
    assert SLAAlert.objects.get().ticket == ticket


def test_it_lists_the_escalation_in_the_dispatchers_workspace(
    client: Any, one_day_sla: Org
) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    sla_scan(now=at(MON, 9))
    client.force_login(make_staff(Role.DISPATCHER))
    page = client.get("/workspace/").content.decode()
    assert 'id="alerts-title"' in page
    assert ticket.reference in page  # a dispatched ticket is not on the dispatcher's worklist


def test_it_shows_an_agent_no_sla_alerts(client: Any, one_day_sla: Org) -> None:
    _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    sla_scan(now=at(MON, 9))
    client.force_login(make_staff(Role.AGENT))
    page = client.get("/workspace/").content.decode()
    assert 'id="alerts-title"' not in page


def test_it_holds_demo_urgent_tickets_to_the_urgent_policy() -> None:
    call_command("demo_setup", stdout=StringIO())
    standard = SLAPolicy.objects.get(code="standard")
    urgent = SLAPolicy.objects.get(code="urgent")
    target = SLATarget.objects.get(policy=standard, priority=Priority.URGENT)
    assert target.resolution_minutes == urgent.resolution_minutes < standard.resolution_minutes


def test_it_lists_the_reminder_on_the_section_page(client: Any, one_day_sla: Org) -> None:
    ticket = _with_the_section(one_day_sla, registered=at(SUN, 7, 30))
    sla_scan(now=at(SUN, 13))
    client.force_login(make_staff(Role.SECTION_STAFF, sections=[one_day_sla.potholes]))
    page = client.get("/section/").content.decode()
    start = page.index('id="alerts-title"')
    assert ticket.reference in page[start : page.index("</section>", start)]
