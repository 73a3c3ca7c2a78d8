"""Outgoing notifications, their templates, inbound SMS and SLA alerts.

These live in the core's models package (app label ``helpdesk``) beside the
tickets they belong to; the sending code is in ``helpdesk.notify``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models.conversations import Priority
from helpdesk.models.organisation import Partner, SLAPolicy
from helpdesk.models.people import Contact, NotifyChannel
from helpdesk.models.tickets import Ticket, TicketEvent


class NotificationEvent(models.TextChoices):
    """What a notification tells its reader; one template per event, channel and language."""

    TICKET_REGISTERED = "ticket_registered", _("Ticket registered (to the citizen)")
    FORWARDED_TO_SECTION = "forwarded_to_section", _("Forwarded to the section (to the citizen)")
    FORWARDED_TO_PARTNER = "forwarded_to_partner", _("Forwarded to a partner (to the citizen)")
    PARTNER_CASE = "partner_case", _("New case (to the partner agency)")
    RESOLVED = "resolved", _("Resolved (to the citizen)")
    CLOSED = "closed", _("Closed (to the citizen)")
    REMINDER = "reminder", _("Reminder before the due time (to the section)")
    ESCALATION = "escalation", _("Overdue escalation (to dispatchers and supervisors)")
    CALLBACK_DUE = "callback_due", _("Citizen call-back due (to dispatchers)")
    PHONE_CODE = "phone_code", _("Code to verify a mobile number (to the citizen)")


# An outbox row that is no template's: a staff or assistant message in the citizen's channel.
REPLY = "reply"
# A signed JSON callback to a partner agency's system (helpdesk.partner_callbacks): both a
# kind of row and the channel it leaves on.
PARTNER_CALLBACK = "partner_callback"
OUTBOX_KINDS = [
    *NotificationEvent.choices,
    (REPLY, _("Reply in the conversation (to the citizen)")),
    (PARTNER_CALLBACK, _("Ticket change (to the partner's system)")),
]
OUTBOX_CHANNELS = [
    *NotifyChannel.choices,
    (PARTNER_CALLBACK, _("The partner's system (signed callback)")),
]


class NotificationLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    # Staff and partner agencies read both: Arabic first, then English.
    BILINGUAL = "ar+en", _("Arabic and English")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one recipient on one channel: the one durable outbox row.

    Everything that leaves goes through it: SMS, e-mail and fax notifications,
    and messages in the citizen's own conversation (an agent's reply on X or
    Facebook, a ticket notification in Messenger), which carry ``message``.

    ``idempotency_key`` (what caused it + channel + recipient) is unique, so an
    event can never produce the same message twice; the worker locks the row
    and checks ``status`` before sending, and a ``sending`` row whose lease ran
    out (the worker died) is picked up again by the scheduler's sweep.
    """

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("ticket"),
    )
    event = models.ForeignKey(
        TicketEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    template_key = models.CharField(_("event"), max_length=40, choices=OUTBOX_KINDS, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=OUTBOX_CHANNELS)
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=5, choices=NotificationLanguage.choices)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    # The conversation message this row carries to the citizen's channel.
    message = models.OneToOneField(
        "helpdesk.Message",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_entry",
        verbose_name=_("conversation message"),
    )
    # Where on the platform it goes: "tweet:<id>", "dm:<user id>", "messenger:<psid>" …
    target = models.CharField(_("platform target"), max_length=200, blank=True)
    # Platform ids of the parts already sent (a long X reply goes out as a thread).
    parts_sent = models.JSONField(_("parts sent"), default=list, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=40, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=300, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(
        _("provider message id"), max_length=200, blank=True, db_index=True
    )
    sms_encoding = models.CharField(_("SMS encoding"), max_length=10, blank=True)
    sms_parts = models.PositiveSmallIntegerField(_("SMS parts"), null=True, blank=True)
    delivery_status = models.CharField(_("delivery report"), max_length=40, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The django-tasks result id of the latest enqueue (the sweep checks it is still waiting).
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("worker lease until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.template_key})"


class NotificationTemplate(models.Model):
    """The words of one event on one channel in one language, edited by administrators.

    ``subject`` and ``body`` are Django template text; the variables are listed
    in ``helpdesk.notify.rendering.VARIABLES`` and shown in the admin.
    """

    event_key = models.CharField(_("event"), max_length=40, choices=NotificationEvent.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=NotifyChannel.choices)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[
            (NotificationLanguage.ARABIC, _("Arabic")),
            (NotificationLanguage.ENGLISH, _("English")),
        ],
    )
    subject = models.CharField(_("subject (e-mail and fax)"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        ordering = ["event_key", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "channel", "language"], name="notification_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_key} / {self.channel} / {self.language}"


class InboundSms(models.Model):
    """A text message a citizen sent to the center's SMS number; never dropped."""

    gateway_id = models.CharField(_("gateway message id"), max_length=200, unique=True)
    sender = models.CharField(_("from"), max_length=40, db_index=True)
    text = models.TextField(_("text"), blank=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_sms",
        verbose_name=_("ticket"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"


class SLAAlertKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder to the section")
    ESCALATION = "escalation", _("Escalation: overdue")
    CALLBACK = "callback", _("Citizen call-back due")


class SLAAlert(models.Model):
    """The guard that makes each SLA reminder happen once per ticket and due time."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_alerts")
    kind = models.CharField(_("kind"), max_length=20, choices=SLAAlertKind.choices)
    due_at = models.DateTimeField(_("due at"))
    event = models.ForeignKey(
        TicketEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("SLA alert")
        verbose_name_plural = _("SLA alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "due_at"], name="sla_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.due_at:%Y-%m-%d %H:%M}"


class SLATarget(models.Model):
    """A policy's targets for one priority; priorities without a row use the policy's own."""

    policy = models.ForeignKey(SLAPolicy, on_delete=models.CASCADE, related_name="targets")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response target (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (minutes)"))

    class Meta:
        verbose_name = _("SLA target for a priority")
        verbose_name_plural = _("SLA targets per priority")
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.policy.code}/{self.priority}"
