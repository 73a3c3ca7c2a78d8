"""Citizens who contact the center, and the staff who answer them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models.organisation import Partner, Section, Skill
from helpdesk.phones import normalize_phone


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class NotifyChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")
    CONVERSATION = "conversation", _("The channel the citizen wrote from")


class Contact(models.Model):
    """A citizen (or resident, or visitor) who reached the center."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("mobile number (E.164)"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    fax = models.CharField(_("fax (E.164)"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )
    preferred_channel = models.CharField(
        _("preferred notification channel"),
        max_length=20,
        choices=NotifyChannel.choices,
        default=NotifyChannel.SMS,
    )
    # When ``phone`` was shown to be the citizen's: a code they typed back, an SMS from
    # it, or staff who logged their call (helpdesk.services.verification). Until then no
    # ticket SMS goes to a number a citizen typed.
    phone_verified_at = models.DateTimeField(_("mobile number verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or self.phone or f"#{self.pk}"

    def clean(self) -> None:
        if self.phone:
            self.phone = normalize_phone(self.phone)
        if self.fax:
            self.fax = normalize_phone(self.fax)


class ContactIdentity(models.Model):
    """How a contact is known on a channel: an X user id, a Facebook PSID …"""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    channel = models.CharField(max_length=20)
    external_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("social identity")
        verbose_name_plural = _("social identities")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="contact_identity_unique_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.handle or self.external_id}"


class Role(models.TextChoices):
    AGENT = "agent", _("Contact-center agent (tier 1)")
    DISPATCHER = "dispatcher", _("Dispatcher (tier 2)")
    SECTION_STAFF = "section_staff", _("Section staff (tier 3)")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")
    PARTNER = "partner", _("Partner agency")
    # Reads the tourism desk's contacts and reports, nothing else (helpdesk.models.tourism).
    TOURISM_OFFICIAL = "tourism_official", _("Ministry of Tourism official (read only)")


class Presence(models.TextChoices):
    OFF_DUTY = "off_duty", _("Off duty")
    AVAILABLE = "available", _("Available")
    AWAY = "away", _("Away")


class AgentProfile(models.Model):
    """What a staff user does in the center; ``role`` matches their Django group."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    display_name = models.CharField(_("name shown to citizens"), max_length=100, blank=True)
    sections = models.ManyToManyField(
        Section, blank=True, related_name="staff", verbose_name=_("sections")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("partner agency"),
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="agents", verbose_name=_("skills")
    )
    languages = models.JSONField(_("languages"), default=list)
    # Channels this person serves from the live queue; empty means every channel.
    channels = models.JSONField(_("channels served (empty: all)"), default=list, blank=True)
    max_concurrent = models.PositiveSmallIntegerField(
        _("maximum concurrent conversations"), default=3
    )
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.OFF_DUTY
    )
    presence_changed_at = models.DateTimeField(null=True, blank=True)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    # Numbers the events about this agent's desk (offers, assignments), so a console
    # can tell it missed one (helpdesk.services.distributor.desk_event).
    desk_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(partner__isnull=False),
                name="partner_users_belong_to_a_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def public_name(self) -> str:
        return self.display_name or self.user.get_short_name() or self.user.get_username()
