"""Reads of the tourism desk: establishments and their record, the officials' reports.

Everything here is the desk's alone: tickets whose category carries the
``tourism`` skill, ratings and suggestions. Periods are whole days in Muscat
time (:class:`helpdesk.selectors.reports.ReportFilter`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from helpdesk.models import (
    TOURISM_DESK,
    Establishment,
    EstablishmentRating,
    Suggestion,
    SuggestionTopic,
    Ticket,
    TicketStatus,
)
from helpdesk.selectors.reports import ReportFilter, report_timezone


def tourism_tickets() -> QuerySet[Ticket]:
    return Ticket.objects.filter(category__skill__code=TOURISM_DESK).select_related(
        "category", "contact", "section", "partner"
    )


def establishment_list(*, active_only: bool = True) -> QuerySet[Establishment]:
    """Establishments with their number of ratings, average and complaints, best known first."""
    found = Establishment.objects.all()
    if active_only:
        found = found.filter(is_active=True)
    return found.annotate(
        rating_count=Count("ratings"),
        rating_average=Avg("ratings__score"),
        complaint_count=Count("ratings", filter=Q(ratings__ticket__isnull=False)),
    ).order_by("kind", "name_en")


@dataclass(frozen=True)
class MonthRow:
    month: Any
    ratings: int
    average: float | None
    complaints: int


def establishment_record(establishment: Establishment) -> list[MonthRow]:
    """Ratings and complaints per month (Muscat time), oldest first."""
    rows = (
        EstablishmentRating.objects.filter(establishment=establishment)
        .annotate(month=TruncMonth("created_at", tzinfo=report_timezone()))
        .values("month")
        .annotate(
            ratings=Count("pk"),
            average=Avg("score"),
            complaints=Count("pk", filter=Q(ticket__isnull=False)),
        )
        .order_by("month")
    )
    return [
        MonthRow(
            month=row["month"],
            ratings=row["ratings"],
            average=round(row["average"], 2) if row["average"] is not None else None,
            complaints=row["complaints"],
        )
        for row in rows
    ]


def establishment_ratings(establishment: Establishment, *, limit: int = 50) -> list[Any]:
    return list(
        EstablishmentRating.objects.filter(establishment=establishment)
        .select_related("ticket")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class TourismReport:
    tickets: int
    open_tickets: int
    tickets_by_category: list[dict[str, Any]]
    tickets_by_channel: list[dict[str, Any]]
    ratings: int
    rating_average: float | None
    suggestions_by_topic: list[tuple[str, int]]
    recent_suggestions: list[Suggestion]
    recent_tickets: list[Ticket]


def tourism_report(*, filters: ReportFilter) -> TourismReport:
    tickets = tourism_tickets().filter(created_at__gte=filters.since, created_at__lt=filters.until)
    ratings = EstablishmentRating.objects.filter(
        created_at__gte=filters.since, created_at__lt=filters.until
    ).aggregate(count=Count("pk"), average=Avg("score"))
    suggestions = Suggestion.objects.filter(
        created_at__gte=filters.since, created_at__lt=filters.until
    )
    per_topic = dict(
        suggestions.values_list("topic").annotate(n=Count("pk")).values_list("topic", "n")
    )
    return TourismReport(
        tickets=tickets.count(),
        open_tickets=tickets.exclude(status=TicketStatus.CLOSED).count(),
        tickets_by_category=list(
            tickets.values("category__name_ar", "category__name_en")
            .annotate(n=Count("pk"))
            .order_by("-n")
        ),
        tickets_by_channel=list(tickets.values("channel").annotate(n=Count("pk")).order_by("-n")),
        ratings=ratings["count"],
        rating_average=round(ratings["average"], 2) if ratings["average"] is not None else None,
        suggestions_by_topic=[
            (str(label), per_topic.get(value, 0)) for value, label in SuggestionTopic.choices
        ],
        recent_suggestions=list(suggestions.select_related("establishment")[:20]),
        recent_tickets=list(tickets.order_by("-created_at")[:20]),
    )
