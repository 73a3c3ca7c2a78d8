"""The Ministry of Tourism's contact line, run by the center: establishments, ratings, suggestions.

The tourism desk is the skill ``tourism``: its categories carry that skill, its
chats (widget ``data-desk="tourism"``) require it, and its officials
(role ``tourism_official``) read what came through it and nothing else.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models.organisation import BilingualName
from helpdesk.models.tickets import Ticket

TOURISM_DESK = "tourism"


class EstablishmentKind(models.TextChoices):
    HOTEL = "hotel", _("Hotel or hotel apartments")
    TOUR_OPERATOR = "tour_operator", _("Tour operator or guide")
    RESTAURANT = "restaurant", _("Restaurant or café")
    SITE = "site", _("Tourist site")


class Establishment(BilingualName):
    """A hotel, tour operator, restaurant or site that visitors rate."""

    code = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EstablishmentKind.choices)
    area_ar = models.CharField(_("area (Arabic)"), max_length=100, blank=True)
    area_en = models.CharField(_("area (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tourism establishment")
        verbose_name_plural = _("tourism establishments")
        ordering = ["name_en"]


class EstablishmentRating(models.Model):
    """A visitor's rating (1–5) and comment; ``ticket`` when they asked for a follow-up."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("establishment"),
    )
    score = models.PositiveSmallIntegerField(_("rating (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    visitor_name = models.CharField(_("visitor's name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, default="ar")
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishment_rating",
        verbose_name=_("complaint ticket"),
    )
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("establishment rating")
        verbose_name_plural = _("establishment ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="establishment_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id}: {self.score}/5"


class SuggestionTopic(models.TextChoices):
    SITES = "sites", _("Tourist sites and attractions")
    ACCOMMODATION = "accommodation", _("Hotels and accommodation")
    EVENTS = "events", _("Events and festivals")
    TRANSPORT = "transport", _("Transport and access")
    INFORMATION = "information", _("Information, signs and guides")
    SERVICES = "services", _("Services at sites (toilets, shade, parking …)")
    OTHER = "other", _("Other")


class Suggestion(models.Model):
    """An idea for the Ministry of Tourism: kept and classified apart from complaints."""

    topic = models.CharField(
        _("topic"), max_length=20, choices=SuggestionTopic.choices, db_index=True
    )
    text = models.TextField(_("suggestion"))
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("establishment"),
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, default="ar")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("tourism suggestion")
        verbose_name_plural = _("tourism suggestions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.topic}: {self.text[:40]}"
