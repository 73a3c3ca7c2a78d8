"""Conversations and their messages: what citizens and agents say, on every channel."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models.organisation import Category, Skill
from helpdesk.models.people import Contact


class Channel(models.TextChoices):
    WEBCHAT = "webchat", _("Web chat")
    X = "x", _("X (Twitter)")
    FACEBOOK = "facebook", _("Facebook")
    PHONE = "phone", _("Phone")
    PORTAL = "portal", _("Portal form")
    MOBILE_APP = "app", _("Mobile app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    FAX = "fax", _("Fax")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class ConversationState(models.TextChoices):
    BOT = "bot", _("With the assistant")
    QUEUED = "queued", _("Waiting in the queue")
    OFFERED = "offered", _("Offered to an agent")
    ASSIGNED = "assigned", _("With an agent")
    WRAP_UP = "wrap_up", _("Wrap-up")
    CLOSED = "closed", _("Closed")


class Disposition(models.TextChoices):
    """How a served conversation ended, chosen by the agent at wrap-up."""

    ANSWERED = "answered", _("Question answered")
    TICKET_CREATED = "ticket_created", _("Ticket registered")
    STATUS_GIVEN = "status_given", _("Ticket status given")
    REFERRED = "referred", _("Referred to another body")
    NO_RESPONSE = "no_response", _("Citizen stopped answering")
    NOT_RELEVANT = "not_relevant", _("Not relevant / spam")
    OTHER = "other", _("Other")


OPEN_CONVERSATION_STATES = (
    ConversationState.BOT,
    ConversationState.QUEUED,
    ConversationState.OFFERED,
    ConversationState.ASSIGNED,
    ConversationState.WRAP_UP,
)


class Conversation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("contact")
    )
    # The platform's thread: an X conversation_id, a Messenger PSID, a Facebook post …
    external_thread_id = models.CharField(max_length=200, blank=True, db_index=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ConversationState.choices,
        default=ConversationState.QUEUED,
        db_index=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_conversations",
        verbose_name=_("agent"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    language = models.CharField(_("language"), max_length=2, default="ar")
    required_skill = models.ForeignKey(
        Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    # Allocates per-conversation message sequence numbers under a row lock.
    last_seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    # The pending offer (state "offered"): to whom, until when.
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offered_conversations",
        verbose_name=_("offered to"),
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # Agents who let an offer expire, declined or transferred it away: the
    # distributor tries everyone else first. Cleared when someone takes it.
    offer_skipped = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    disposition = models.CharField(_("disposition"), max_length=40, blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("satisfaction comment"), blank=True)
    meta = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-priority", "queued_at"], name="queue_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="conversation_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"


class SenderKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    AGENT = "agent", _("Agent")
    BOT = "bot", _("Assistant")
    SYSTEM = "system", _("System")


class CannedReply(models.Model):
    """A ready answer agents insert in the console; {name} and {reference} are filled in."""

    code = models.SlugField(unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    text_ar = models.TextField(_("text (Arabic)"))
    text_en = models.TextField(_("text (English)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField(_("sequence number"))
    sender_kind = models.CharField(max_length=10, choices=SenderKind.choices)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # A private note is seen by staff only, never by the citizen.
    is_internal = models.BooleanField(_("internal note"), default=False)
    # System events (queued, offered, assigned …) keep their kind and data here.
    event = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The platform's id (tweet id, Messenger mid, widget client id) for idempotency.
    external_id = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_seq_unique"),
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="message_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    ticket = models.ForeignKey(
        "Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="uploads"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255, blank=True)
    # "before" / "after" photos of a resolution, "evidence" from the citizen …
    purpose = models.CharField(max_length=20, blank=True)
    external_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name or str(self.public_id)
