"""The supervisor's reports: exact figures over a small known data set, access, CSV.

Muscat is UTC+4 all year. The report period is Sunday 2 and Monday 3 March 2025
(Muscat days); "now" for SLA judgements is Wednesday 5 March 12:00 UTC.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpdesk.jobs import core_jobs
from helpdesk.models import (
    Channel,
    Conversation,
    ConversationState,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from helpdesk.selectors import reports
from helpdesk.selectors.reports import ReportFilter, report_timezone
from helpdesk.services.tickets import ticket_dispatch, ticket_transition
from helpdesk.views.reports import csv_cell
from tests.support.factories import Org, actor, make_contact, make_ticket
from tests.support.factories import make_staff as make_staff_with_password

UTC = datetime.UTC
D1 = datetime.date(2025, 3, 2)  # Sunday
D2 = datetime.date(2025, 3, 3)  # Monday
NOW = datetime.datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
PERIOD = ReportFilter(start=D1, end=D2)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    """A UTC moment in March 2025."""
    return datetime.datetime(2025, 3, day, hour, minute, second, tzinfo=UTC)


def make_staff(role: str, **fields: Any) -> Any:
    """Staff without a password: hashing one is most of a test's time, and logins are forced."""
    return make_staff_with_password(role, password=None, **fields)


def seconds(n: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=n)


def conversation(
    channel: str,
    created: datetime.datetime,
    *,
    wait: float | None = None,
    handle: float | None = None,
    state: str = ConversationState.CLOSED,
    queued: bool = True,
    **fields: Any,
) -> Conversation:
    """A conversation queued when created, answered after ``wait``, closed ``handle`` later."""
    found = Conversation.objects.create(channel=channel, contact=make_contact(), state=state)
    assigned = None if wait is None else created + seconds(wait)
    closed = None
    if state == ConversationState.CLOSED:
        closed = (assigned or created) + seconds(handle or 50)
    Conversation.objects.filter(pk=found.pk).update(
        created_at=created,
        queued_at=created if queued else None,
        assigned_at=assigned,
        closed_at=closed,
        **fields,
    )
    return found


def place(ticket: Ticket, **fields: Any) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    return ticket


@dataclass
class Data:
    org: Org
    ana: Any
    badr: Any
    dispatcher: Any
    tickets: dict[str, Ticket]


@pytest.fixture
def data(org: Org) -> Data:
    ana = make_staff(Role.AGENT, first_name="Ana", last_name="Agent")
    badr = make_staff(Role.AGENT, first_name="Badr", last_name="Agent")
    dispatcher = make_staff(Role.DISPATCHER)
    road_staff = make_staff(Role.SECTION_STAFF, sections=[org.potholes])

    # Conversations. Sunday 09:00 Muscat: answered in exactly 20 s, handled 300 s.
    conversation(
        Channel.WEBCHAT, at(2, 5), wait=20, handle=300, assignee=ana, rating=5, category=org.pothole
    )
    # Sunday 23:30 Muscat (19:30 UTC): still Sunday.
    conversation(Channel.X, at(2, 19, 30), wait=90, handle=200, assignee=badr, rating=4)
    # Sunday 20:30 UTC is Monday 00:30 in Muscat.
    conversation(Channel.WEBCHAT, at(2, 20, 30), wait=30, handle=100, assignee=ana, rating=2)
    # Monday: left the queue before anyone answered (abandoned).
    conversation(Channel.WEBCHAT, at(3, 6))
    # Monday: served by the assistant alone, never queued (not abandoned).
    conversation(Channel.FACEBOOK, at(3, 7), queued=False)
    # Outside the period on both sides (Muscat 1 March 23:59 and 4 March 00:00).
    conversation(Channel.WEBCHAT, at(1, 19, 59), wait=1, assignee=ana, rating=1)
    conversation(Channel.WEBCHAT, at(3, 20, 0), wait=1, assignee=ana, rating=1)

    tickets = {
        # Resolved on time; first response on time. Registered Sunday 10:00 Muscat.
        "t1": place(
            make_ticket(org, by=actor(ana), channel=Channel.PHONE, category=org.pothole),
            created_at=at(2, 6),
            registered_at=at(2, 6),
            first_response_due=at(2, 10),
            first_response_at=at(2, 7),
            resolution_due=at(4, 6),
            resolved_at=at(2, 8),
            closed_at=at(2, 9),
            status=TicketStatus.CLOSED,
        ),
        # Resolved late; never had a first response and it is past due.
        "t2": place(
            make_ticket(org, by=actor(ana), channel=Channel.WEBCHAT, category=org.garbage),
            created_at=at(3, 5),
            registered_at=at(3, 5),
            first_response_due=at(3, 6),
            resolution_due=at(3, 10),
            resolved_at=at(3, 12),
            status=TicketStatus.RESOLVED,
        ),
        # Still open and past due: a breach and overdue now. First response not due yet.
        "t3": make_ticket(org, by=actor(badr), channel=Channel.X, category=org.pothole),
        # With Haya Water, nothing due yet.
        "t4": place(
            make_ticket(org, by=actor(ana), channel=Channel.PORTAL, category=org.water),
            created_at=at(2, 7),
            registered_at=at(2, 7),
            first_response_due=at(6, 7),
            resolution_due=at(9, 7),
            partner=org.haya,
            status=TicketStatus.FORWARDED_EXTERNAL,
        ),
        # Closed by Omantel without a "resolved" step, before its due date.
        # Registered Sunday 08:00 Muscat, closed Monday 08:00 Muscat.
        "t6": place(
            make_ticket(org, channel=Channel.PHONE, category=org.garbage),
            created_at=at(2, 4),
            registered_at=at(2, 4),
            first_response_due=at(2, 8),
            resolution_due=at(4, 4),
            closed_at=at(3, 4),
            partner=org.omantel,
            status=TicketStatus.CLOSED,
        ),
        # Opened before the period: not counted, but overdue now.
        "t5": place(
            make_ticket(org, by=actor(ana), category=org.garbage),
            created_at=at(1, 4) - datetime.timedelta(days=9),
            resolution_due=at(1, 4),
            status=TicketStatus.DISPATCHED,
        ),
    }

    # t3: forwarded to road upkeep, sent back as wrongly routed, moved to lighting.
    t3 = tickets["t3"]
    ticket_dispatch(ticket=t3, actor=actor(dispatcher))
    ticket_transition(ticket=t3, action="return", actor=actor(road_staff), note="Not ours")
    ticket_dispatch(ticket=t3, actor=actor(dispatcher), section=org.lighting)
    for hour, event in enumerate(TicketEvent.objects.filter(ticket=t3).order_by("pk")):
        TicketEvent.objects.filter(pk=event.pk).update(created_at=at(3, 4 + hour))
    tickets["t3"] = place(
        t3,
        created_at=at(3, 4),
        registered_at=at(3, 4),
        first_response_due=at(6, 4),
        resolution_due=at(4, 4),
    )
    # t1 reopened twice on Monday: one ticket reopened. A return outside the period.
    for hour in (10, 11):
        event = TicketEvent.objects.create(
            ticket=tickets["t1"], kind="transition", to_status=TicketStatus.REOPENED
        )
        TicketEvent.objects.filter(pk=event.pk).update(created_at=at(3, hour))
    early = TicketEvent.objects.create(
        ticket=tickets["t5"], kind="transition", to_status=TicketStatus.RETURNED
    )
    TicketEvent.objects.filter(pk=early.pk).update(created_at=at(1, 19, 59))
    return Data(org=org, ana=ana, badr=badr, dispatcher=dispatcher, tickets=tickets)


# ---- contacts ----------------------------------------------------------------------


def test_it_counts_conversations_per_muscat_day_and_channel(data: Data) -> None:
    counts = reports.conversations_per_channel_per_day(filters=PERIOD)
    assert [(row.day, row.channel, row.count) for row in counts] == [
        (D1, "webchat", 1),
        (D1, "x", 1),
        (D2, "facebook", 1),
        (D2, "webchat", 2),
    ]


def test_it_narrows_conversations_to_one_channel(data: Data) -> None:
    counts = reports.conversations_per_channel_per_day(
        filters=ReportFilter(start=D1, end=D2, channel=Channel.WEBCHAT)
    )
    assert [(row.day, row.count) for row in counts] == [(D1, 1), (D2, 2)]


def test_it_narrows_conversations_to_a_directorate_by_their_category(data: Data) -> None:
    counts = reports.conversations_per_channel_per_day(
        filters=ReportFilter(start=D1, end=D2, directorate_id=data.org.roads.pk)
    )
    assert [(row.day, row.channel, row.count) for row in counts] == [(D1, "webchat", 1)]


def counts(by: str, filters: ReportFilter = PERIOD) -> list[tuple[str, int]]:
    return [(row.key, row.count) for row in reports.ticket_counts(filters=filters, by=by)]


def test_it_counts_tickets_per_channel(data: Data) -> None:
    assert counts("channel") == [("phone", 2), ("portal", 1), ("webchat", 1), ("x", 1)]


def test_it_counts_tickets_per_category(data: Data) -> None:
    assert counts("category") == [("garbage", 2), ("pothole", 2), ("water", 1)]


def test_it_counts_tickets_per_section_and_directorate(data: Data) -> None:
    assert counts("section") == [("collection", 3), ("lighting", 1), ("road-maintenance", 1)]
    assert counts("directorate") == [("waste", 3), ("roads", 2)]


def test_it_counts_tickets_per_partner_leaving_out_unforwarded_ones(data: Data) -> None:
    assert counts("partner") == [("haya", 1), ("omantel", 1)]


def test_it_narrows_tickets_to_a_directorate(data: Data) -> None:
    roads = ReportFilter(start=D1, end=D2, directorate_id=data.org.roads.pk)
    assert counts("section", roads) == [("lighting", 1), ("road-maintenance", 1)]


def test_it_labels_rows_in_the_active_language(data: Data) -> None:
    from django.utils import translation

    with translation.override("en"):
        english = [row.label for row in reports.ticket_counts(filters=PERIOD, by="directorate")]
    with translation.override("ar"):
        arabic = [row.label for row in reports.ticket_counts(filters=PERIOD, by="directorate")]
    assert english == ["Cleanliness", "Roads"]
    assert arabic == ["النظافة", "الطرق"]


# ---- service level -----------------------------------------------------------------


def test_it_measures_the_service_level_of_the_queue(data: Data) -> None:
    level = reports.service_level(filters=PERIOD)
    assert (level.queued, level.answered, level.abandoned) == (4, 3, 1)
    assert level.within == {20: 1, 60: 2}
    assert level.within_percent(20) == 25.0
    assert level.within_percent(60) == 50.0
    assert level.abandoned_percent == 25.0


def test_it_averages_wait_and_handle_time(data: Data) -> None:
    level = reports.service_level(filters=PERIOD)
    assert level.average_wait is not None
    assert round(level.average_wait.total_seconds(), 3) == round(140 / 3, 3)
    assert level.p90_wait == seconds(90)
    assert level.average_handle == seconds(200)


def test_it_takes_the_nearest_rank_90th_percentile_wait(db: None) -> None:
    for wait in (7, 1, 10, 3, 9, 2, 8, 4, 6, 5):
        conversation(Channel.WEBCHAT, at(2, 6), wait=wait)
    assert reports.service_level(filters=PERIOD).p90_wait == seconds(9)


def test_it_reports_no_waits_when_nobody_queued(db: None) -> None:
    level = reports.service_level(filters=PERIOD)
    assert (level.queued, level.average_wait, level.p90_wait) == (0, None, None)
    assert level.within_percent(20) is None


# ---- tickets SLA -------------------------------------------------------------------


def test_it_judges_resolution_against_the_due_date(data: Data) -> None:
    sla = reports.ticket_sla(filters=PERIOD, now=NOW)
    assert sla.resolution == reports.Compliance(met=2, breached=2, pending=1)
    assert sla.resolution.percent == 50.0


def test_it_judges_the_first_response_against_its_due_date(data: Data) -> None:
    sla = reports.ticket_sla(filters=PERIOD, now=NOW)
    assert sla.first_response == reports.Compliance(met=1, breached=2, pending=2)
    assert sla.first_response.percent == 33.3


def test_it_averages_business_minutes_to_resolve(data: Data) -> None:
    # t1 Sunday 10:00→12:00 = 120; t2 Monday 09:00→16:00 = 330 (day ends 14:30);
    # t6 Sunday 08:00→Monday 08:00 = 390 + 30 = 420.
    sla = reports.ticket_sla(filters=PERIOD, now=NOW)
    assert sla.resolved_measured == 3
    assert sla.average_business_minutes_to_resolve == 290.0


def test_it_lists_open_overdue_tickets_by_section_whatever_the_period(data: Data) -> None:
    rows = reports.overdue_by_section(filters=PERIOD, now=NOW)
    assert [(row.key, row.count) for row in rows] == [("collection", 1), ("lighting", 1)]


# ---- quality -----------------------------------------------------------------------


def test_it_summarises_satisfaction(data: Data) -> None:
    rated = reports.satisfaction(filters=PERIOD)
    assert (rated.closed, rated.rated) == (5, 3)
    assert rated.average == 3.67
    assert rated.distribution == {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}
    assert rated.response_percent == 60.0


def test_it_counts_returns_against_the_section_that_sent_them_back(data: Data) -> None:
    rows = reports.returned_by_section(filters=PERIOD)
    assert [(row.key, row.count) for row in rows] == [("road-maintenance", 1)]


def test_it_counts_each_reopened_ticket_once(data: Data) -> None:
    assert reports.reopened_count(filters=PERIOD) == 1


# ---- agents ------------------------------------------------------------------------


def test_it_reports_each_agents_work(data: Data) -> None:
    rows = {row.name: row for row in reports.agent_activity(filters=PERIOD)}
    assert set(rows) == {"Ana Agent", "Badr Agent"}
    ana, badr = rows["Ana Agent"], rows["Badr Agent"]
    assert (ana.conversations, ana.average_handle, ana.average_rating) == (2, seconds(200), 3.5)
    assert (badr.conversations, badr.average_handle, badr.average_rating) == (1, seconds(200), 4.0)
    assert (ana.tickets_registered, badr.tickets_registered) == (3, 1)


def queries_for_the_whole_report() -> int:
    with CaptureQueriesContext(connection) as queries:
        reports.report_tables(filters=PERIOD)
    return len(queries)


def test_it_reads_the_whole_report_in_as_many_queries_whatever_the_volume(data: Data) -> None:
    before = queries_for_the_whole_report()
    for minute in range(6):
        conversation(Channel.X, at(2, 9, minute), wait=5, assignee=make_staff(Role.AGENT), rating=3)
        place(make_ticket(data.org, by=actor(data.badr)), created_at=at(3, 9, minute))
    assert queries_for_the_whole_report() == before


# ---- page, access, CSV ---------------------------------------------------------------


def client_for(role: str, org: Org) -> Client:
    extra: dict[str, Any] = {}
    if role == Role.SECTION_STAFF:
        extra["sections"] = [org.potholes]
    if role == Role.PARTNER:
        extra["partner"] = org.haya
    client = Client()
    client.force_login(make_staff(role, **extra))
    return client


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_it_shows_the_reports_to_supervisors_and_administrators(org: Org, role: str) -> None:
    response = client_for(role, org).get("/reports/")
    assert response.status_code == 200
    assert 'id="service-level"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.AGENT, Role.DISPATCHER, Role.SECTION_STAFF, Role.PARTNER])
def test_it_refuses_the_reports_to_other_roles(org: Org, role: str) -> None:
    client = client_for(role, org)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/export/agents.csv").status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(db: None) -> None:
    for url in ("/reports/", "/reports/export/agents.csv"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_chosen_period_in_tables_and_bars(data: Data) -> None:
    client = client_for(Role.SUPERVISOR, data.org)
    response = client.get("/reports/", {"start": "2025-03-02", "end": "2025-03-03"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2025-03-02" in page and "2025-03-03" in page
    # Collection has 3 of the period's tickets, the most: a full bar.
    assert 'style="inline-size: 100%"' in page
    assert "/reports/export/agents.csv?start=2025-03-02&amp;end=2025-03-03" in page


def test_it_rejects_a_period_that_ends_before_it_starts(org: Org) -> None:
    client = client_for(Role.SUPERVISOR, org)
    response = client.get("/reports/", {"start": "2025-03-03", "end": "2025-03-02"})
    assert response.status_code == 400
    assert client.get("/reports/export/agents.csv?start=2025-03-03&end=2025-03-02").status_code == (
        400
    )


def test_it_answers_404_for_an_unknown_table(org: Org) -> None:
    assert client_for(Role.SUPERVISOR, org).get("/reports/export/nope.csv").status_code == 404


def test_it_links_the_reports_from_the_supervisor_landing(org: Org) -> None:
    page = client_for(Role.SUPERVISOR, org).get("/workspace/").content.decode()
    assert 'href="/reports/"' in page


def test_it_links_the_reports_from_the_admin_index(org: Org) -> None:
    page = client_for(Role.ADMINISTRATOR, org).get("/admin/").content.decode()
    assert 'href="/reports/"' in page


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_it_exports_a_table_as_utf8_csv_with_a_bom(data: Data) -> None:
    client = client_for(Role.SUPERVISOR, data.org)
    with_arabic = client.get(
        "/reports/export/tickets-by-directorate.csv",
        {"start": "2025-03-02", "end": "2025-03-03"},
        headers={"accept-language": "ar"},
    )
    assert with_arabic["Content-Type"] == "text/csv; charset=utf-8"
    assert "tickets-by-directorate-20250302-20250303.csv" in with_arabic["Content-Disposition"]
    rows = read_csv(with_arabic.content)
    assert rows[1:] == [["النظافة", "3"], ["الطرق", "2"]]


def test_it_guards_csv_cells_against_formula_injection(data: Data) -> None:
    data.org.haya.name_ar = data.org.haya.name_en = '=HYPERLINK("http://evil")'
    data.org.haya.save()
    client = client_for(Role.SUPERVISOR, data.org)
    response = client.get(
        "/reports/export/tickets-by-partner.csv", {"start": "2025-03-02", "end": "2025-03-03"}
    )
    assert read_csv(response.content)[1] == ['\'=HYPERLINK("http://evil")', "1"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_it_quotes_every_formula_prefix(text: str) -> None:
    assert csv_cell(text) == "'" + text


def test_it_leaves_numbers_and_plain_text_alone() -> None:
    assert (csv_cell(-3), csv_cell("حفرة"), csv_cell(None)) == (-3, "حفرة", "")


# ---- daily command ---------------------------------------------------------------------


def test_it_prints_the_daily_summary_for_a_day(data: Data, english: None) -> None:
    out = io.StringIO()
    call_command("report_daily", "--date", "2025-03-03", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Nidaa daily report for 2025-03-03"
    assert "2025-03-03 | 1 | 2 | 3" in lines
    assert "Conversations queued for an agent | 2" in lines
    assert not any(line.startswith("2025-03-02") for line in lines)


def test_it_mails_the_daily_summary_to_supervisors(data: Data) -> None:
    make_staff(Role.SUPERVISOR, email="boss@example.org")
    make_staff(Role.SUPERVISOR, email="")
    make_staff(Role.AGENT, email="agent@example.org")
    call_command("report_daily", "--date", "2025-03-03", "--email", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["boss@example.org"]
    assert "2025-03-03" in mail.outbox[0].subject


def test_the_scheduler_mails_yesterdays_report_where_configured(data: Data, settings: Any) -> None:
    settings.NIDAA_DAILY_REPORT_EMAIL = True
    [job] = [job for job in core_jobs() if job.name == "report.daily"]
    make_staff(Role.SUPERVISOR, email="boss@example.org")
    assert job.run() == f"report for {_yesterday().isoformat()} sent to 1 supervisor(s)"
    assert mail.outbox[0].to == ["boss@example.org"]
    assert _yesterday().isoformat() in mail.outbox[0].subject


def _yesterday() -> datetime.date:
    return timezone.localdate(timezone=report_timezone()) - datetime.timedelta(days=1)
