"""Machine access for partner agencies: bearer tokens stored only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerApiToken(models.Model):
    """One API token of a partner user; the token itself is shown once and never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("partner user"),
    )
    name = models.CharField(_("what the token is for"), max_length=100, blank=True)
    # sha256 of the token: a stolen database does not hand out working tokens.
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("first characters (to recognise it)"), max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partner API token")
        verbose_name_plural = _("partner API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Open311ApiKey(models.Model):
    """A key an outside app (i-Muscat …) files Open311 requests with; stored only as a hash."""

    name = models.CharField(_("who uses the key"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("first characters (to recognise it)"), max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class Open311Request(models.Model):
    """A ticket filed through Open311: which key filed it, and the token it answered with."""

    ticket = models.OneToOneField(
        "helpdesk.Ticket",
        on_delete=models.CASCADE,
        related_name="open311",
        verbose_name=_("ticket"),
    )
    api_key = models.ForeignKey(
        Open311ApiKey,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("Open311 API key"),
    )
    token = models.CharField(max_length=40, unique=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token
