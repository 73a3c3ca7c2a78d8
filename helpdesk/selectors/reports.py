"""Reads for the supervisor's reports: what came in, how fast and how well it was served.

Every figure is aggregated by the database (``values().annotate()`` and
``aggregate()``); Python only reshapes the few grouped rows that come back. The
one exception is business time to resolve, which needs the organisation's
calendar: it is computed over at most :data:`BUSINESS_MINUTES_SAMPLE` of the
already-filtered resolved tickets.

A report covers whole days in the organisation's time zone (Asia/Muscat): a
conversation opened at 22:30 UTC belongs to the next Muscat day. Conversations
and tickets are counted on the day they were created; ticket events (returns,
reopenings) on the day they happened; "overdue now" is a snapshot that ignores
the period.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpdesk.business_hours import Calendar
from helpdesk.models import (
    Channel,
    Conversation,
    ConversationState,
    Section,
    Ticket,
    TicketEvent,
    TicketStatus,
)

DEFAULT_DAYS = 7
MAX_RANGE_DAYS = 366
SERVICE_LEVEL_SECONDS = (20, 60)
# The calendar walk is Python; bound it so a year of tickets cannot stall a page.
BUSINESS_MINUTES_SAMPLE = 2000

FINISHED_TICKET_STATUSES = (
    TicketStatus.RESOLVED,
    TicketStatus.CITIZEN_NOTIFIED,
    TicketStatus.CLOSED,
)


def report_timezone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class ReportFilter:
    """Whole local days ``start``..``end`` (both included) and optional narrowing."""

    start: datetime.date
    end: datetime.date
    channel: str = ""
    directorate_id: int | None = None
    category_id: int | None = None

    @classmethod
    def last_days(
        cls,
        days: int = DEFAULT_DAYS,
        *,
        today: datetime.date | None = None,
        channel: str = "",
        directorate_id: int | None = None,
        category_id: int | None = None,
    ) -> ReportFilter:
        today = today or timezone.localdate(timezone=report_timezone())
        return cls(
            start=today - datetime.timedelta(days=days - 1),
            end=today,
            channel=channel,
            directorate_id=directorate_id,
            category_id=category_id,
        )

    @property
    def since(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(0), tzinfo=report_timezone())

    @property
    def until(self) -> datetime.datetime:
        next_day = self.end + datetime.timedelta(days=1)
        return datetime.datetime.combine(next_day, datetime.time(0), tzinfo=report_timezone())

    def days(self) -> list[datetime.date]:
        count = (self.end - self.start).days + 1
        return [self.start + datetime.timedelta(days=n) for n in range(count)]


def _conversations(filters: ReportFilter) -> QuerySet[Conversation]:
    """Conversations opened in the period; directorate and category come from their category."""
    found = Conversation.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
    if filters.channel:
        found = found.filter(channel=filters.channel)
    if filters.category_id is not None:
        found = found.filter(category_id=filters.category_id)
    if filters.directorate_id is not None:
        found = found.filter(category__default_section__directorate_id=filters.directorate_id)
    return found


def _narrow_tickets(found: QuerySet[Ticket], filters: ReportFilter) -> QuerySet[Ticket]:
    if filters.channel:
        found = found.filter(channel=filters.channel)
    if filters.category_id is not None:
        found = found.filter(category_id=filters.category_id)
    if filters.directorate_id is not None:
        found = found.filter(section__directorate_id=filters.directorate_id)
    return found


def _tickets(filters: ReportFilter) -> QuerySet[Ticket]:
    """Tickets opened in the period."""
    return _narrow_tickets(
        Ticket.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until),
        filters,
    )


def _events(filters: ReportFilter, *, to_status: str) -> QuerySet[TicketEvent]:
    found = TicketEvent.objects.filter(
        to_status=to_status, created_at__gte=filters.since, created_at__lt=filters.until
    )
    if filters.channel:
        found = found.filter(ticket__channel=filters.channel)
    if filters.category_id is not None:
        found = found.filter(ticket__category_id=filters.category_id)
    if filters.directorate_id is not None:
        found = found.filter(ticket__section__directorate_id=filters.directorate_id)
    return found


def _duration(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def _bilingual(ar: str | None, en: str | None) -> str:
    english = (get_language() or "ar").startswith("en")
    return (en if english else ar) or ar or en or ""


# ---- 1. contacts -------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    channel: str
    count: int


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


def conversations_per_channel_per_day(*, filters: ReportFilter) -> list[DayCount]:
    """Conversations opened, per Muscat day and channel (days without any are left out)."""
    rows = (
        _conversations(filters)
        .annotate(day=TruncDate("created_at", tzinfo=report_timezone()))
        .values("day", "channel")
        .annotate(n=Count("pk"))
        .order_by("day", "channel")
    )
    return [DayCount(day=row["day"], channel=row["channel"], count=row["n"]) for row in rows]


TICKET_DIMENSIONS = ("channel", "category", "directorate", "section", "partner")
_DIMENSION_PATHS = {
    "category": "category",
    "directorate": "section__directorate",
    "section": "section",
    "partner": "partner",
}


def ticket_counts(*, filters: ReportFilter, by: str) -> list[CountRow]:
    """Tickets opened in the period, grouped by one of :data:`TICKET_DIMENSIONS`, largest first.

    Tickets never forwarded to a partner are left out of the ``partner`` grouping.
    """
    tickets = _tickets(filters)
    if by == "channel":
        rows = tickets.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")
        return [
            CountRow(key=row["channel"], label=channel_label(row["channel"]), count=row["n"])
            for row in rows
        ]
    path = _DIMENSION_PATHS[by]
    return _grouped_counts(tickets.filter(**{f"{path}__isnull": False}), path)


def _grouped_counts(tickets: QuerySet[Ticket], path: str) -> list[CountRow]:
    """Tickets counted per coded, bilingual object at ``path`` (category, section …)."""
    grouped = (
        tickets.values(f"{path}__code", f"{path}__name_ar", f"{path}__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", f"{path}__code")
    )
    return [
        CountRow(
            key=row[f"{path}__code"],
            label=_bilingual(row[f"{path}__name_ar"], row[f"{path}__name_en"]),
            count=row["n"],
        )
        for row in grouped
    ]


def channel_label(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value


# ---- 2. service level of the live queue ----------------------------------------------


@dataclass(frozen=True)
class ServiceLevel:
    """Conversations that reached the live queue, and how the queue served them.

    ``abandoned``: closed without ever reaching an agent. ``within`` maps a
    threshold in seconds to the conversations answered within it.
    """

    queued: int
    answered: int
    abandoned: int
    within: dict[int, int]
    average_wait: datetime.timedelta | None
    p90_wait: datetime.timedelta | None
    average_handle: datetime.timedelta | None

    def within_percent(self, seconds: int) -> float | None:
        return _percent(self.within[seconds], self.queued)

    @property
    def abandoned_percent(self) -> float | None:
        return _percent(self.abandoned, self.queued)


def answered_within(seconds: int) -> Q:
    """Conversations an agent took within ``seconds`` of their reaching the queue."""
    return Q(
        assigned_at__isnull=False,
        assigned_at__lte=F("queued_at") + datetime.timedelta(seconds=seconds),
    )


def service_level(*, filters: ReportFilter) -> ServiceLevel:
    queued = _conversations(filters).filter(queued_at__isnull=False)
    answered = Q(assigned_at__isnull=False)
    within = {
        f"within_{seconds}": Count("pk", filter=answered_within(seconds))
        for seconds in SERVICE_LEVEL_SECONDS
    }
    figures = queued.aggregate(
        queued=Count("pk"),
        answered=Count("pk", filter=answered),
        abandoned=Count("pk", filter=~answered & Q(state=ConversationState.CLOSED)),
        average_wait=Avg(_duration("assigned_at", "queued_at"), filter=answered),
        average_handle=Avg(
            _duration("closed_at", "assigned_at"), filter=answered & Q(closed_at__isnull=False)
        ),
        **within,
    )
    return ServiceLevel(
        queued=figures["queued"],
        answered=figures["answered"],
        abandoned=figures["abandoned"],
        within={seconds: figures[f"within_{seconds}"] for seconds in SERVICE_LEVEL_SECONDS},
        average_wait=figures["average_wait"],
        p90_wait=_percentile_wait(queued.filter(answered), figures["answered"], 0.9),
        average_handle=figures["average_handle"],
    )


def _percentile_wait(
    answered: QuerySet[Conversation], count: int, fraction: float
) -> datetime.timedelta | None:
    """The nearest-rank percentile: one row fetched at an offset of the database's ordering."""
    if count == 0:
        return None
    rank = math.ceil(fraction * count)
    waits = (
        answered.annotate(wait=_duration("assigned_at", "queued_at"))
        .order_by("wait", "pk")
        .values_list("wait", flat=True)
    )
    return waits[rank - 1]


def daily_service_level(*, filters: ReportFilter, seconds: int = 20) -> dict[datetime.date, float]:
    """Per Muscat day: the share (%) of queued conversations answered within ``seconds``."""
    rows = (
        _conversations(filters)
        .filter(queued_at__isnull=False)
        .annotate(day=TruncDate("created_at", tzinfo=report_timezone()))
        .values("day")
        .annotate(
            queued=Count("pk"),
            within=Count("pk", filter=answered_within(seconds)),
        )
        .order_by("day")
    )
    return {row["day"]: round(100 * row["within"] / row["queued"], 1) for row in rows}


# ---- 3. ticket SLA -----------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    """Targets met, missed (late, or past due and still not done) and not yet due."""

    met: int
    breached: int
    pending: int

    @property
    def percent(self) -> float | None:
        return _percent(self.met, self.met + self.breached)


@dataclass(frozen=True)
class TicketSla:
    resolution: Compliance
    first_response: Compliance
    average_business_minutes_to_resolve: float | None
    resolved_measured: int


def _compliance(
    tickets: QuerySet[Ticket], *, done: str, due: str, now: datetime.datetime
) -> Compliance:
    with_due = tickets.filter(**{f"{due}__isnull": False})
    is_done = Q(**{f"{done}__isnull": False})
    figures = with_due.aggregate(
        met=Count("pk", filter=is_done & Q(**{f"{done}__lte": F(due)})),
        breached=Count(
            "pk",
            filter=(is_done & Q(**{f"{done}__gt": F(due)})) | (~is_done & Q(**{f"{due}__lt": now})),
        ),
        pending=Count("pk", filter=~is_done & Q(**{f"{due}__gte": now})),
    )
    return Compliance(met=figures["met"], breached=figures["breached"], pending=figures["pending"])


def ticket_sla(*, filters: ReportFilter, now: datetime.datetime | None = None) -> TicketSla:
    """SLA of the tickets opened in the period, judged at ``now``."""
    now = now or timezone.now()
    # A ticket a partner closed directly was never "resolved"; its closing ends the clock.
    tickets = _tickets(filters).annotate(finished_at=Coalesce("resolved_at", "closed_at"))
    finished = (
        tickets.filter(finished_at__isnull=False, registered_at__isnull=False)
        .order_by("-finished_at")
        .values_list("registered_at", "finished_at")[:BUSINESS_MINUTES_SAMPLE]
    )
    spans = [(start, end) for start, end in finished if start is not None and end is not None]
    average = None
    if spans:
        calendar = Calendar.load()
        minutes = [calendar.business_minutes_between(start, end) for start, end in spans]
        average = round(sum(minutes) / len(minutes), 1)
    return TicketSla(
        resolution=_compliance(tickets, done="finished_at", due="resolution_due", now=now),
        first_response=_compliance(
            tickets, done="first_response_at", due="first_response_due", now=now
        ),
        average_business_minutes_to_resolve=average,
        resolved_measured=len(spans),
    )


def daily_sla_compliance(
    *, filters: ReportFilter, now: datetime.datetime | None = None
) -> dict[str, dict[datetime.date, float]]:
    """Per Muscat day a ticket was opened: resolution and first-response targets met (%)."""
    now = now or timezone.now()
    tickets = (
        _tickets(filters)
        .annotate(
            finished_at=Coalesce("resolved_at", "closed_at"),
            day=TruncDate("created_at", tzinfo=report_timezone()),
        )
        .values("day")
    )
    result: dict[str, dict[datetime.date, float]] = {}
    for name, done, due in (
        ("resolution", "finished_at", "resolution_due"),
        ("first_response", "first_response_at", "first_response_due"),
    ):
        is_done = Q(**{f"{done}__isnull": False})
        rows = (
            tickets.filter(**{f"{due}__isnull": False})
            .annotate(
                met=Count("pk", filter=is_done & Q(**{f"{done}__lte": F(due)})),
                breached=Count(
                    "pk",
                    filter=(is_done & Q(**{f"{done}__gt": F(due)}))
                    | (~is_done & Q(**{f"{due}__lt": now})),
                ),
            )
            .order_by("day")
        )
        result[name] = {
            row["day"]: round(100 * row["met"] / (row["met"] + row["breached"]), 1)
            for row in rows
            if row["met"] + row["breached"]
        }
    return result


def overdue_by_section(
    *, filters: ReportFilter, now: datetime.datetime | None = None
) -> list[CountRow]:
    """Open tickets past their resolution date now, whatever day they were opened."""
    now = now or timezone.now()
    overdue = _narrow_tickets(
        Ticket.objects.exclude(status__in=FINISHED_TICKET_STATUSES).filter(resolution_due__lt=now),
        filters,
    )
    return _grouped_counts(overdue, "section")


# ---- 4. quality --------------------------------------------------------------------

RATINGS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class Satisfaction:
    """Ratings of the conversations opened in the period; the rate is over closed ones."""

    closed: int
    rated: int
    average: float | None
    distribution: dict[int, int] = field(default_factory=dict)

    @property
    def response_percent(self) -> float | None:
        return _percent(self.rated, self.closed)


def satisfaction(*, filters: ReportFilter) -> Satisfaction:
    rated = Q(rating__isnull=False)
    per_rating = {f"r{value}": Count("pk", filter=Q(rating=value)) for value in RATINGS}
    figures = _conversations(filters).aggregate(
        closed=Count("pk", filter=Q(state=ConversationState.CLOSED)),
        rated=Count("pk", filter=rated),
        average=Avg("rating", filter=rated),
        **per_rating,
    )
    average = figures["average"]
    return Satisfaction(
        closed=figures["closed"],
        rated=figures["rated"],
        average=None if average is None else round(float(average), 2),
        distribution={value: figures[f"r{value}"] for value in RATINGS},
    )


def daily_satisfaction(*, filters: ReportFilter) -> dict[datetime.date, float]:
    """Per Muscat day: the average rating (1–5) of the conversations opened that day."""
    rows = (
        _conversations(filters)
        .filter(rating__isnull=False)
        .annotate(day=TruncDate("created_at", tzinfo=report_timezone()))
        .values("day")
        .annotate(average=Avg("rating"))
        .order_by("day")
    )
    return {row["day"]: round(float(row["average"]), 2) for row in rows}


def returned_by_section(*, filters: ReportFilter) -> list[CountRow]:
    """Tickets sent back as wrongly routed, per section that sent them back.

    The section is the one the ticket had been forwarded to when it came back
    (the last ``dispatch`` before the return): the dispatcher usually moves a
    returned ticket to another section, so its section today would be wrong.
    """
    dispatched_to = (
        TicketEvent.objects.filter(
            ticket=OuterRef("ticket"),
            to_status=TicketStatus.DISPATCHED,
            created_at__lte=OuterRef("created_at"),
        )
        .annotate(code=KeyTextTransform("section", "data"))
        .order_by("-created_at", "-pk")
        .values("code")[:1]
    )
    rows = (
        _events(filters, to_status=TicketStatus.RETURNED)
        .annotate(
            section_code=Coalesce(
                Subquery(dispatched_to),
                F("ticket__section__code"),
                output_field=CharField(),
            )
        )
        .values("section_code")
        .annotate(n=Count("ticket", distinct=True))
        .order_by("-n", "section_code")
    )
    counts = [(row["section_code"], row["n"]) for row in rows]
    names = {
        section.code: section.name
        for section in Section.objects.filter(code__in=[code for code, _n in counts])
    }
    return [CountRow(key=code, label=names.get(code, code), count=n) for code, n in counts]


def reopened_count(*, filters: ReportFilter) -> int:
    """Tickets reopened in the period (each counted once however often it was reopened)."""
    found = _events(filters, to_status=TicketStatus.REOPENED).aggregate(
        n=Count("ticket", distinct=True)
    )
    return int(found["n"])


# ---- 5. agents ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgentRow:
    user_id: int
    name: str
    conversations: int
    average_handle: datetime.timedelta | None
    average_rating: float | None
    tickets_registered: int


def agent_activity(*, filters: ReportFilter) -> list[AgentRow]:
    """Per staff member: conversations they ended up with, and tickets they registered."""
    served = (
        _conversations(filters)
        .filter(assignee__isnull=False)
        .values("assignee_id")
        .annotate(
            n=Count("pk"),
            handle=Avg(
                _duration("closed_at", "assigned_at"),
                filter=Q(assigned_at__isnull=False, closed_at__isnull=False),
            ),
            rating=Avg("rating", filter=Q(rating__isnull=False)),
        )
        .order_by()
    )
    registered = (
        _tickets(filters)
        .filter(created_by__isnull=False)
        .values("created_by_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_user: dict[int, dict[str, Any]] = {row["assignee_id"]: row for row in served}
    tickets: dict[int, int] = {row["created_by_id"]: row["n"] for row in registered}
    users = get_user_model().objects.filter(pk__in=set(by_user) | set(tickets))
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in users.only("pk", "username", "first_name", "last_name")
    }
    result = []
    for user_id in names:
        figures = by_user.get(user_id, {})
        rating = figures.get("rating")
        result.append(
            AgentRow(
                user_id=user_id,
                name=names[user_id],
                conversations=figures.get("n", 0),
                average_handle=figures.get("handle"),
                average_rating=None if rating is None else round(float(rating), 2),
                tickets_registered=tickets.get(user_id, 0),
            )
        )
    result.sort(key=lambda row: (-row.conversations, -row.tickets_registered, row.name))
    return result


# ---- tables: the same figures for the page, the CSV export and the daily mail -------


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]
    # The numeric column drawn as a bar on the page, if any.
    bar_column: int | None = None

    def rows_with_bars(self) -> list[tuple[tuple[object, ...], int]]:
        """Each row with its bar's width in percent of the largest value (0 without bars)."""
        if self.bar_column is None:
            return [(row, 0) for row in self.rows]
        values = [_number(row[self.bar_column]) for row in self.rows]
        largest = max(values, default=0)
        return [
            (row, 0 if largest <= 0 else round(100 * value / largest))
            for row, value in zip(self.rows, values, strict=True)
        ]


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _seconds(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds(), 1)


def _count_table(name: str, title: str, heading: str, rows: list[CountRow]) -> Table:
    return Table(
        name=name,
        title=title,
        columns=(heading, _("Tickets")),
        rows=[(row.label, row.count) for row in rows],
        bar_column=1,
    )


def _conversations_table(filters: ReportFilter) -> Table:
    counts = conversations_per_channel_per_day(filters=filters)
    channels = sorted({row.channel for row in counts})
    grid = {(row.day, row.channel): row.count for row in counts}
    rows: list[tuple[object, ...]] = []
    for day in filters.days():
        per_channel = [grid.get((day, channel), 0) for channel in channels]
        rows.append((day.isoformat(), *per_channel, sum(per_channel)))
    return Table(
        name="conversations-per-day",
        title=_("Conversations per day and channel"),
        columns=(_("Day"), *[channel_label(c) for c in channels], _("Total")),
        rows=rows,
        bar_column=len(channels) + 1,
    )


def _ticket_table(by: str) -> Callable[[ReportFilter], Table]:
    titles = {
        "channel": (_("Tickets per channel"), _("Channel")),
        "category": (_("Tickets per category"), _("Category")),
        "directorate": (_("Tickets per directorate"), _("Directorate")),
        "section": (_("Tickets per section"), _("Section")),
        "partner": (_("Tickets forwarded per partner agency"), _("Partner agency")),
    }

    def build(filters: ReportFilter) -> Table:
        title, heading = titles[by]
        return _count_table(
            f"tickets-by-{by}", title, heading, ticket_counts(filters=filters, by=by)
        )

    return build


def _service_level_table(filters: ReportFilter) -> Table:
    level = service_level(filters=filters)
    rows: list[tuple[object, ...]] = [
        (_("Conversations queued for an agent"), level.queued),
        (_("Answered by an agent"), level.answered),
    ]
    for seconds in SERVICE_LEVEL_SECONDS:
        rows.append(
            (
                _("Answered within %(s)d seconds (%%)") % {"s": seconds},
                level.within_percent(seconds),
            )
        )
    rows += [
        (_("Average wait (seconds)"), _seconds(level.average_wait)),
        (_("90th percentile wait (seconds)"), _seconds(level.p90_wait)),
        (_("Abandoned (closed before an agent answered)"), level.abandoned),
        (_("Abandoned (%)"), level.abandoned_percent),
        (_("Average handle time (seconds)"), _seconds(level.average_handle)),
    ]
    return Table("service-level", _("Service level of the live queue"), _metric_columns(), rows)


def _metric_columns() -> tuple[str, ...]:
    return (_("Measure"), _("Value"))


def _ticket_sla_table(filters: ReportFilter) -> Table:
    sla = ticket_sla(filters=filters)
    rows: list[tuple[object, ...]] = [
        (_("Resolved within the target (%)"), sla.resolution.percent),
        (_("Resolved within the target"), sla.resolution.met),
        (_("Resolution target missed"), sla.resolution.breached),
        (_("Not yet due"), sla.resolution.pending),
        (_("First response within the target (%)"), sla.first_response.percent),
        (_("First response target missed"), sla.first_response.breached),
        (_("Average business minutes to resolve"), sla.average_business_minutes_to_resolve),
        (_("Resolved tickets measured"), sla.resolved_measured),
    ]
    return Table("ticket-sla", _("Tickets against their SLA"), _metric_columns(), rows)


def _overdue_table(filters: ReportFilter) -> Table:
    return _count_table(
        "overdue-by-section",
        _("Open tickets overdue now, per section"),
        _("Section"),
        overdue_by_section(filters=filters),
    )


def _returned_table(filters: ReportFilter) -> Table:
    return _count_table(
        "returned-by-section",
        _("Tickets returned as wrongly routed, per section"),
        _("Section"),
        returned_by_section(filters=filters),
    )


def _satisfaction_table(filters: ReportFilter) -> Table:
    rated = satisfaction(filters=filters)
    return Table(
        name="satisfaction",
        title=_("Satisfaction ratings"),
        columns=(_("Rating"), _("Conversations")),
        rows=[(f"{value} / 5", rated.distribution[value]) for value in RATINGS],
        bar_column=1,
    )


def _quality_table(filters: ReportFilter) -> Table:
    rated = satisfaction(filters=filters)
    rows: list[tuple[object, ...]] = [
        (_("Average rating (1–5)"), rated.average),
        (_("Rated conversations"), rated.rated),
        (_("Closed conversations"), rated.closed),
        (_("Response rate (%)"), rated.response_percent),
        (_("Tickets reopened"), reopened_count(filters=filters)),
    ]
    return Table("quality", _("Quality"), _metric_columns(), rows)


def _agents_table(filters: ReportFilter) -> Table:
    rows: list[tuple[object, ...]] = [
        (
            row.name,
            row.conversations,
            _seconds(row.average_handle),
            row.average_rating,
            row.tickets_registered,
        )
        for row in agent_activity(filters=filters)
    ]
    return Table(
        name="agents",
        title=_("Agents"),
        columns=(
            _("Agent"),
            _("Conversations"),
            _("Average handle time (seconds)"),
            _("Average rating"),
            _("Tickets registered"),
        ),
        rows=rows,
        bar_column=1,
    )


REPORT_TABLES: dict[str, Callable[[ReportFilter], Table]] = {
    "conversations-per-day": _conversations_table,
    "service-level": _service_level_table,
    **{f"tickets-by-{by}": _ticket_table(by) for by in TICKET_DIMENSIONS},
    "ticket-sla": _ticket_sla_table,
    "overdue-by-section": _overdue_table,
    "quality": _quality_table,
    "satisfaction": _satisfaction_table,
    "returned-by-section": _returned_table,
    "agents": _agents_table,
}


def report_table(*, name: str, filters: ReportFilter) -> Table:
    """One table of the report by its name (a key of :data:`REPORT_TABLES`)."""
    return REPORT_TABLES[name](filters)


def report_tables(*, filters: ReportFilter) -> list[Table]:
    return [build(filters) for build in REPORT_TABLES.values()]


def tables_as_text(tables: list[Table]) -> str:
    lines: list[str] = []
    for table in tables:
        lines += ["", table.title, "-" * len(table.title)]
        if not table.rows:
            lines.append(_("Nothing in this period."))
            continue
        lines.append(" | ".join(str(column) for column in table.columns))
        for row in table.rows:
            lines.append(" | ".join("—" if value is None else str(value) for value in row))
    return "\n".join(lines) + "\n"


def report_daily_text(*, day: datetime.date) -> tuple[str, str]:
    """One Muscat day's summary as plain text: (title, body), for the terminal or the mail."""
    title = _("Nidaa daily report for %(day)s") % {"day": day.isoformat()}
    tables = report_tables(filters=ReportFilter(start=day, end=day))
    return title, title + "\n" + tables_as_text(tables)
