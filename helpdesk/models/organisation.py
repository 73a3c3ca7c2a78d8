"""Who the contact center routes work to, and the rules it works by."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """An Arabic and an English name; ``name`` follows the active language."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ar").startswith("en") else self.name_ar


class SLAPolicy(BilingualName):
    """Targets counted in business minutes (see ``helpdesk.business_hours``)."""

    code = models.SlugField(unique=True)
    first_response_minutes = models.PositiveIntegerField(_("first response target (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (minutes)"))
    reminder_percent = models.PositiveSmallIntegerField(
        _("remind the section at this percentage of the resolution target"), default=75
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["resolution_minutes"]


class Skill(BilingualName):
    """A service desk an agent can serve (general, building, tourism …)."""

    code = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]


class Directorate(BilingualName):
    code = models.SlugField(unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("directorate")
        verbose_name_plural = _("directorates")
        ordering = ["name_en"]


class Section(BilingualName):
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.PROTECT,
        related_name="sections",
        verbose_name=_("directorate"),
    )
    code = models.SlugField(unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["directorate__name_en", "name_en"]


def validate_callback_url(value: str) -> None:
    """A partner's callback must be https:// (plain http only where settings allow it)."""
    scheme = urlsplit(value).scheme.lower()
    allowed = ("https", "http") if settings.NIDAA_PARTNER_CALLBACK_ALLOW_HTTP else ("https",)
    if scheme not in allowed:
        raise ValidationError(
            _("The callback URL must start with https://."), code="insecure_callback"
        )


class Partner(BilingualName):
    """An outside agency the center forwards remarks to (Omantel, Haya Water …)."""

    code = models.SlugField(unique=True)
    sms_number = models.CharField(_("SMS number (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    follow_up_ar = models.TextField(_("how the citizen follows up (Arabic)"), blank=True)
    follow_up_en = models.TextField(_("how the citizen follows up (English)"), blank=True)
    api_enabled = models.BooleanField(_("API access enabled"), default=False)
    # The partner's own system: every change of its tickets is POSTed here, signed
    # with the secret (helpdesk.partner_callbacks, docs/partners.md). Empty: no callbacks.
    callback_url = models.URLField(
        _("callback URL"), max_length=500, blank=True, validators=[validate_callback_url]
    )
    # Kept in clear: Nidaa signs with it (HMAC), so it cannot be a one-way hash.
    callback_secret = models.CharField(
        _("callback signing secret"),
        max_length=128,
        blank=True,
        validators=[MinLengthValidator(32)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")
        ordering = ["name_en"]

    def follow_up(self, language: str) -> str:
        return self.follow_up_en if language.startswith("en") else self.follow_up_ar


class Category(BilingualName):
    """What a report is about; decides the default section, SLA and skill."""

    code = models.SlugField(unique=True)
    default_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="categories", verbose_name=_("section")
    )
    sla_policy = models.ForeignKey(
        SLAPolicy, on_delete=models.PROTECT, related_name="categories", verbose_name=_("SLA")
    )
    skill = models.ForeignKey(
        Skill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("skill"),
    )
    default_priority = models.CharField(_("default priority"), max_length=10, default="normal")
    keywords_ar = models.TextField(_("keywords (Arabic), one per line"), blank=True)
    keywords_en = models.TextField(_("keywords (English), one per line"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name_en"]

    @property
    def directorate(self) -> Directorate:
        return self.default_section.directorate

    def keyword_list(self) -> list[str]:
        text = f"{self.keywords_ar}\n{self.keywords_en}"
        return [line.strip() for line in text.splitlines() if line.strip()]


class Holiday(models.Model):
    date = models.DateField(_("date"), unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name_en}"


def _default_working_days() -> list[int]:
    # Python weekday numbers: Oman works Sunday (6) to Thursday (3).
    return [6, 0, 1, 2, 3]


class OrganisationSettings(models.Model):
    """One row of organisation-wide settings, edited by administrators."""

    name_ar = models.CharField(max_length=200, default="بلدية مسقط")
    name_en = models.CharField(max_length=200, default="Muscat Municipality")
    working_days = models.JSONField(
        _("working days (Python weekday numbers, Monday = 0)"), default=_default_working_days
    )
    workday_start = models.TimeField(_("working day starts"), default=datetime.time(7, 30))
    workday_end = models.TimeField(_("working day ends"), default=datetime.time(14, 30))
    chat_opens = models.TimeField(_("live chat opens"), default=datetime.time(7, 0))
    chat_closes = models.TimeField(_("live chat closes"), default=datetime.time(22, 0))
    max_lines = models.PositiveIntegerField(
        _("simultaneous lines (conversations the center serves at once)"), default=30
    )
    offer_timeout_seconds = models.PositiveIntegerField(_("offer timeout (seconds)"), default=30)
    auto_accept = models.BooleanField(_("offers are accepted automatically"), default=False)
    agents_may_pick = models.BooleanField(_("agents may pick from the queue"), default=True)
    presence_grace_seconds = models.PositiveIntegerField(
        _("grace period after a lost agent connection (seconds)"), default=60
    )
    # The wallboard: the service-level target and when its waiting figures turn amber, then red.
    service_level_target_percent = models.PositiveSmallIntegerField(
        _("service level target (% answered within 20 seconds)"), default=80
    )
    waiting_warning = models.PositiveIntegerField(
        _("wallboard: waiting conversations shown amber from"), default=3
    )
    waiting_alarm = models.PositiveIntegerField(
        _("wallboard: waiting conversations shown red from"), default=8
    )
    longest_wait_warning_seconds = models.PositiveIntegerField(
        _("wallboard: longest wait shown amber from (seconds)"), default=60
    )
    longest_wait_alarm_seconds = models.PositiveIntegerField(
        _("wallboard: longest wait shown red from (seconds)"), default=180
    )
    # Messages left out of hours become tickets in this category; tier 1 reclassifies them.
    fallback_category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category for messages left out of hours"),
    )

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")

    def __str__(self) -> str:
        return str(_("Organisation settings"))

    def clean(self) -> None:
        errors = {}
        if self.waiting_warning > self.waiting_alarm:
            errors["waiting_warning"] = _("The amber threshold must not be above the red one.")
        if self.longest_wait_warning_seconds > self.longest_wait_alarm_seconds:
            errors["longest_wait_warning_seconds"] = _(
                "The amber threshold must not be above the red one."
            )
        if self.service_level_target_percent > 100:
            errors["service_level_target_percent"] = _("A percentage is at most 100.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> OrganisationSettings:
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
