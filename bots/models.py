"""The assistant's content, its per-channel settings and its memory of each conversation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Channel, Conversation

# The channels the assistant can serve: written conversations that go both ways.
ASSISTANT_CHANNELS = (Channel.WEBCHAT, Channel.X, Channel.FACEBOOK)


class KnowledgeArticle(models.Model):
    """A service procedure in both languages, found by the assistant's search."""

    slug = models.SlugField(unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_ar = models.TextField(_("text (Arabic)"))
    body_en = models.TextField(_("text (English)"))
    keywords_ar = models.TextField(_("search words (Arabic), one per line"), blank=True)
    keywords_en = models.TextField(_("search words (English), one per line"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge-base articles")
        ordering = ["title_en"]

    def __str__(self) -> str:
        return self.title_en

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_ar

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_ar


class ActiveHours(models.TextChoices):
    ALWAYS = "always", _("Always")
    OUTSIDE_HOURS = "outside_hours", _("Only when the live chat is closed")


class BotChannelSettings(models.Model):
    """Whether the assistant greets new conversations on a channel, and how."""

    channel = models.CharField(
        _("channel"),
        max_length=20,
        unique=True,
        choices=[(c.value, c.label) for c in ASSISTANT_CHANNELS],
    )
    enabled = models.BooleanField(_("assistant on"), default=True)
    active_hours = models.CharField(
        _("when the assistant answers"),
        max_length=20,
        choices=ActiveHours.choices,
        default=ActiveHours.ALWAYS,
    )
    greeting_ar = models.TextField(_("greeting (Arabic)"), blank=True)
    greeting_en = models.TextField(_("greeting (English)"), blank=True)
    closed_notice_ar = models.TextField(
        _("note when handing over while the live chat is closed (Arabic)"), blank=True
    )
    closed_notice_en = models.TextField(
        _("note when handing over while the live chat is closed (English)"), blank=True
    )

    class Meta:
        verbose_name = _("assistant channel settings")
        verbose_name_plural = _("assistant channel settings")
        ordering = ["channel"]

    def __str__(self) -> str:
        return str(self.get_channel_display())

    def greeting(self, language: str) -> str:
        return self.greeting_en if language == "en" else self.greeting_ar

    def closed_notice(self, language: str) -> str:
        return self.closed_notice_en if language == "en" else self.closed_notice_ar


class Stage(models.TextChoices):
    NEW = "new", _("Not greeted yet")
    MENU = "menu", _("Main menu")
    STATUS_REFERENCE = "status_reference", _("Status: waiting for the reference")
    STATUS_DIGITS = "status_digits", _("Status: waiting for the phone digits")
    PROCEDURE_QUESTION = "procedure_question", _("Procedures: waiting for the question")
    REPORT_DESCRIPTION = "report_description", _("Report: waiting for the description")
    REPORT_CATEGORY = "report_category", _("Report: choosing the category")
    REPORT_LOCATION = "report_location", _("Report: waiting for the location")
    REPORT_PHOTO = "report_photo", _("Report: waiting for an optional photo")
    REPORT_PHONE = "report_phone", _("Report: waiting for a mobile number")
    REPORT_CONFIRM = "report_confirm", _("Report: waiting for confirmation")
    PHONE_CODE = "phone_code", _("Report: offering or waiting for the SMS code")
    LEAVE_MESSAGE = "leave_message", _("Night: waiting for a message for the staff")
    HANDED_OVER = "handed_over", _("Handed over to staff")


class BotSession(models.Model):
    """What the assistant remembers about one conversation while it serves it."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="bot_session"
    )
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.NEW)
    language = models.CharField(max_length=2, default="ar")
    # What the flow has gathered so far (reference, report description, location …)
    # and what it found (articles shown, suggested category) for the hand-over summary.
    slots = models.JSONField(default=dict, blank=True)
    failures = models.PositiveSmallIntegerField(_("misunderstandings in a row"), default=0)
    last_seq = models.PositiveIntegerField(_("last message handled"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assistant session")
        verbose_name_plural = _("assistant sessions")

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.stage}"
