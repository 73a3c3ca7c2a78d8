"""Writes of the tourism desk: a visitor rates an establishment, or makes a suggestion.

Both come from public pages, so both are rate limited per client address. A
rating whose visitor asks for a follow-up also becomes a ticket in the desk's
establishment-complaint category (the ordinary portal intake: registered, SMS
with the reference), and stays linked to the establishment's record.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk import ratelimit
from helpdesk.errors import InvalidInput, RateLimited
from helpdesk.models import (
    TOURISM_DESK,
    Category,
    Establishment,
    EstablishmentRating,
    Suggestion,
    SuggestionTopic,
)
from helpdesk.services.intake import portal_report_submit
from helpdesk.text import MAX_MESSAGE_LENGTH, clean_text

RATINGS_PER_ADDRESS = ratelimit.Limit("tourism-rate", count=10, seconds=600)
SUGGESTIONS_PER_ADDRESS = ratelimit.Limit("tourism-suggest", count=10, seconds=600)
# The category complaints about an establishment are filed under (demo_data: tourism desk).
ESTABLISHMENT_COMPLAINT_CATEGORY = "tourism_establishment"


def _limit(limit: ratelimit.Limit, client_address: str) -> None:
    if not ratelimit.hit(limit, client_address):
        raise RateLimited(_("Too many submissions from this connection. Please try later."))


def establishment_complaint_category() -> Category:
    """The desk's category for complaints about an establishment (or its first category)."""
    desk = Category.objects.filter(is_active=True, skill__code=TOURISM_DESK)
    category = (
        desk.filter(code=ESTABLISHMENT_COMPLAINT_CATEGORY).first() or desk.order_by("pk").first()
    )
    if category is None:
        raise InvalidInput(
            _("Complaints cannot be taken here right now. Please call 1111."), code="no_category"
        )
    return category


def establishment_rate(
    *,
    establishment: Establishment,
    score: int,
    comment: str = "",
    visitor_name: str = "",
    language: str = "ar",
    follow_up: bool = False,
    phone: str = "",
    client_address: str,
) -> EstablishmentRating:
    """Store a rating; with ``follow_up`` (and a mobile number) open a complaint ticket too."""
    if not establishment.is_active:
        raise InvalidInput(_("This establishment is not open for ratings."), code="inactive")
    if score not in range(1, 6):
        raise InvalidInput(_("Choose a rating from 1 to 5."), code="invalid_score")
    comment = clean_text(comment)
    if len(comment) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(_("The comment is too long."), code="too_long")
    if follow_up and not comment:
        raise InvalidInput(_("Tell us what went wrong so that we can follow it up."), code="empty")
    if follow_up and not phone.strip():
        raise InvalidInput(
            _("Give a mobile number so that we can send you the complaint's number."),
            code="missing_phone",
        )
    _limit(RATINGS_PER_ADDRESS, client_address)
    language = language if language in ("ar", "en") else "ar"
    with transaction.atomic():
        ticket = None
        if follow_up:
            area = establishment.area_en if language == "en" else establishment.area_ar
            ticket = portal_report_submit(
                category=establishment_complaint_category(),
                description=comment,
                phone=phone,
                name=visitor_name,
                address=", ".join(part for part in (str(establishment.name_en), area) if part)[
                    :300
                ],
                language=language,
            )
        return EstablishmentRating.objects.create(
            establishment=establishment,
            score=score,
            comment=comment,
            visitor_name=visitor_name.strip()[:100],
            language=language,
            ticket=ticket,
        )


def suggestion_submit(
    *,
    topic: str,
    text: str,
    establishment: Establishment | None = None,
    visitor_name: str = "",
    language: str = "ar",
    client_address: str,
) -> Suggestion:
    """Keep a visitor's suggestion under its topic (never a complaint ticket)."""
    if topic not in SuggestionTopic.values:
        raise InvalidInput(_("Choose what the suggestion is about."), code="invalid_topic")
    text = clean_text(text)
    if not text:
        raise InvalidInput(_("Write your suggestion."), code="empty")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(_("The suggestion is too long."), code="too_long")
    _limit(SUGGESTIONS_PER_ADDRESS, client_address)
    return Suggestion.objects.create(
        topic=topic,
        text=text,
        establishment=establishment,
        visitor_name=visitor_name.strip()[:100],
        language=language if language in ("ar", "en") else "ar",
    )
