"""Which X accounts and Facebook pages the center follows, and the replies it sends.

Only identifiers and schedules live here, editable by administrators; tokens
and secrets come from the environment (docs/social.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class XAccount(models.Model):
    """An X account whose mentions and direct messages reach the live queue."""

    handle = models.CharField(_("handle (without @)"), max_length=50, unique=True)
    user_id = models.CharField(
        _("numeric user id"),
        max_length=30,
        blank=True,
        help_text=_("Filled in on the first poll when left empty."),
    )
    credentials_prefix = models.CharField(
        _("credentials variable prefix"),
        max_length=40,
        default="X",
        help_text=_(
            "The access token is read from <prefix>_ACCESS_TOKEN and "
            "<prefix>_ACCESS_TOKEN_SECRET in the environment."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    poll_mentions = models.BooleanField(_("poll mentions"), default=True)
    poll_direct_messages = models.BooleanField(_("poll direct messages"), default=True)
    poll_interval_seconds = models.PositiveIntegerField(
        _("polling interval (seconds)"),
        default=120,
        help_text=_("Every read costs money on the X API: poll no more often than needed."),
    )
    mentions_since_id = models.CharField(max_length=30, blank=True)
    dm_since_id = models.CharField(max_length=30, blank=True)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("X account")
        verbose_name_plural = _("X accounts")

    def __str__(self) -> str:
        return f"@{self.handle}"


class CommentReplyMode(models.TextChoices):
    PUBLIC = "public", _("Public reply under the comment")
    PRIVATE = "private", _("Private reply in Messenger")


class FacebookPage(models.Model):
    """A Facebook page whose Messenger inbox and comments reach the live queue."""

    page_id = models.CharField(_("page id"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    token_variable = models.CharField(
        _("page token variable"),
        max_length=60,
        default="FACEBOOK_PAGE_ACCESS_TOKEN",
        help_text=_("The environment variable holding this page's access token."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    receive_comments = models.BooleanField(_("comments reach the queue"), default=True)
    comment_reply_mode = models.CharField(
        _("how comments are answered"),
        max_length=10,
        choices=CommentReplyMode.choices,
        default=CommentReplyMode.PUBLIC,
    )

    class Meta:
        verbose_name = _("Facebook page")
        verbose_name_plural = _("Facebook pages")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class SocialDelivery(models.Model):
    """One staff message on its way to X or Facebook, with its attempts."""

    message = models.OneToOneField(
        "helpdesk.Message", on_delete=models.CASCADE, related_name="social_delivery"
    )
    channel = models.CharField(max_length=20)
    # What we answer: "tweet", "dm", "messenger", "comment" and the platform id.
    target_kind = models.CharField(max_length=20)
    target_id = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failure_reason = models.CharField(max_length=40, blank=True)
    # The id the platform gave our post (tweet id, DM event id, Messenger mid, comment id).
    platform_id = models.CharField(max_length=200, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("social delivery")
        verbose_name_plural = _("social deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.target_kind}:{self.target_id} ({self.status})"
