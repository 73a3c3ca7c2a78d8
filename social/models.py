"""Which X accounts and Facebook pages the center follows, and the journal of what they sent.

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


class InboxSource(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook webhook")
    X_ACTIVITY = "x_activity", _("X Account Activity webhook")
    X_MENTIONS = "x_mentions", _("X mentions (polled)")
    X_DMS = "x_dms", _("X direct messages (polled)")


class InboxDeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not read yet")
    READ = "read", _("Read into events")
    UNREADABLE = "unreadable", _("Unreadable")


class InboxDelivery(models.Model):
    """One verified webhook body (or one poll's pages), kept exactly as it came.

    Written and acknowledged before anything is parsed; the worker reads it
    into :class:`InboxEvent` rows, one per platform event, so a broken event
    never costs its neighbours.
    """

    source = models.CharField(_("source"), max_length=20, choices=InboxSource.choices)
    body = models.BinaryField(_("raw body"))
    # Only the headers that matter: signature, content type, user agent, X's account.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InboxDeliveryStatus.choices,
        default=InboxDeliveryStatus.RECEIVED,
        db_index=True,
    )
    error = models.TextField(_("error"), blank=True)
    # When a worker was last asked to read it (the sweep asks again after a grace period).
    enqueued_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox delivery")
        verbose_name_plural = _("inbox deliveries")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} #{self.pk}"


class InboxEventStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    STORED = "stored", _("Stored")
    IGNORED = "ignored", _("Nothing to store")
    FAILED = "failed", _("Failed")


class InboxEvent(models.Model):
    """One platform event of an inbox delivery, parsed and stored on its own."""

    delivery = models.ForeignKey(InboxDelivery, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    # The event's JSON as it stood in the body (re-serialised), or the broken part.
    raw = models.TextField(_("event"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InboxEventStatus.choices,
        default=InboxEventStatus.PENDING,
        db_index=True,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    external_id = models.CharField(_("platform id"), max_length=200, blank=True, db_index=True)
    message = models.ForeignKey(
        "helpdesk.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox event")
        verbose_name_plural = _("inbox events")
        ordering = ["delivery_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "position"], name="inbox_event_position")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}.{self.position} {self.kind} ({self.status})"
