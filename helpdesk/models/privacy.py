"""Privacy records: who read a citizen's data, erasures, and how long each kind is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessVia(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("REST API")
    SOCKET = "socket", _("Agent console socket")
    EXPORT = "export", _("Export")
    ADMIN = "admin", _("Administration")
    COMMAND = "command", _("Management command")


class AccessObject(models.TextChoices):
    CONTACT = "contact", _("Contact")
    CONVERSATION = "conversation", _("Conversation transcript")
    TICKET = "ticket", _("Ticket")
    ATTACHMENT = "attachment", _("Attachment")


class AccessLog(models.Model):
    """One staff read of a citizen's data. Rows are only ever added (and aged out).

    Plain ids rather than foreign keys: a row costs one narrow insert, survives
    an erasure untouched (it holds no personal data) and never cascades.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    # No database constraint: a batch is never refused because a user was removed meanwhile.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
        db_constraint=False,
    )
    username = models.CharField(_("user name"), max_length=150)
    role = models.CharField(_("role"), max_length=20)
    object_type = models.CharField(_("what"), max_length=20, choices=AccessObject.choices)
    object_id = models.CharField(_("which"), max_length=64)
    contact_id = models.PositiveBigIntegerField(_("citizen"), null=True, blank=True, db_index=True)
    ticket_id = models.PositiveBigIntegerField(_("ticket"), null=True, blank=True, db_index=True)
    via = models.CharField(_("through"), max_length=10, choices=AccessVia.choices)
    purpose = models.CharField(_("why (route or action)"), max_length=100)
    address = models.GenericIPAddressField(_("from"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="access_by_user")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.object_type}:{self.object_id}"


class PrivacyErasure(models.Model):
    """A citizen's personal data replaced by placeholders: who, when, why and how much."""

    contact_id = models.PositiveBigIntegerField(_("citizen"), db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    username = models.CharField(_("user name"), max_length=150)
    reason = models.TextField(_("reason (no personal data)"))
    counts = models.JSONField(_("what was erased"), default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"#{self.contact_id} {self.at:%Y-%m-%d} {self.username}"


class DataClass(models.TextChoices):
    CHAT_TEXTS = "chat_texts", _("Chat and message texts of closed conversations")
    ATTACHMENTS = "attachments", _("Attachments (photos and files)")
    NOTIFICATION_TEXTS = "notification_texts", _("Texts of SMS, e-mail and fax sent")
    ACCESS_LOG = "access_log", _("Access log")
    DRAFTS = "drafts", _("Unregistered drafts (assistant's unfinished reports)")
    ORPHAN_UPLOADS = "orphan_uploads", _("Uploads never attached to a message or ticket")


# Days each class is kept when the administrator has not set a period.
DEFAULT_RETENTION_DAYS: dict[str, int] = {
    DataClass.CHAT_TEXTS: 730,
    DataClass.ATTACHMENTS: 365,
    DataClass.NOTIFICATION_TEXTS: 730,
    DataClass.ACCESS_LOG: 1825,
    DataClass.DRAFTS: 1,
    DataClass.ORPHAN_UPLOADS: 1,
}


class RetentionPeriod(models.Model):
    """How long one class of personal data is kept before ``retention_apply`` removes it."""

    data_class = models.CharField(_("data"), max_length=30, choices=DataClass.choices, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    is_active = models.BooleanField(_("applied"), default=True)
    last_applied_at = models.DateTimeField(_("last applied"), null=True, blank=True)
    last_count = models.PositiveIntegerField(_("removed last time"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["data_class"]

    def __str__(self) -> str:
        return f"{self.get_data_class_display()}: {self.days}"
