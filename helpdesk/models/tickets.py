"""Tickets and their history: what a conversation becomes when a department must act."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models.conversations import Channel, Conversation, Priority
from helpdesk.models.organisation import Category, Partner, Section
from helpdesk.models.people import Contact


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Forwarded to the section")
    FORWARDED_EXTERNAL = "forwarded_external", _("Forwarded to a partner agency")
    IN_PROGRESS = "in_progress", _("In progress")
    RETURNED = "returned", _("Returned to the dispatcher")
    RESOLVED = "resolved", _("Resolved")
    CITIZEN_NOTIFIED = "citizen_notified", _("Citizen informed")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class TicketCounter(models.Model):
    """The last reference number handed out in a year (gaps are allowed)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Ticket(models.Model):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TicketStatus.choices,
        default=TicketStatus.NEW,
        db_index=True,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("contact")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("conversation"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("section")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("partner agency"),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("details"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address or landmark"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_tickets",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True, db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Kept whole for a court or an investigation: retention and erasure leave it alone.
    legal_hold = models.BooleanField(_("legal hold"), default=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        permissions = [
            ("register_ticket", "Can register tickets (tier 1)"),
            ("dispatch_ticket", "Can forward and close tickets (tier 2)"),
            ("work_section_ticket", "Can work on the tickets of own sections (tier 3)"),
            ("work_partner_ticket", "Can see and answer tickets forwarded to own agency"),
            ("supervise", "Can supervise the contact center"),
            ("serve_conversations", "Can serve conversations from the live queue"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def directorate(self) -> object:
        return self.section.directorate


class TicketEventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    CLASSIFICATION = "classification", _("Classification change")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Public reply")
    CALLBACK = "callback", _("Call-back to the citizen")
    NOTIFICATION = "notification", _("Notification sent")
    INBOUND = "inbound", _("Message from the citizen")
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")


class TicketEvent(models.Model):
    """The audit trail: every change to a ticket, who made it and when."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=TicketEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.from_status}→{self.to_status}"
