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
