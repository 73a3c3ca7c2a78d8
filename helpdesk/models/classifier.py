"""What the category classifier learns from: staff corrections, and the models trained on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.models.conversations import Conversation
from helpdesk.models.organisation import Category
from helpdesk.models.tickets import Ticket


class ClassifierExampleSource(models.TextChoices):
    TICKET = "ticket", _("Ticket reclassified")
    CONVERSATION = "conversation", _("Conversation classified by an agent")


class ClassifierExample(models.Model):
    """A text and the category staff gave it; one per ticket, holding its final category."""

    text = models.TextField(_("text (personal data masked)"))
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    source = models.CharField(_("source"), max_length=20, choices=ClassifierExampleSource.choices)
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("classifier example")
        verbose_name_plural = _("classifier examples")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ClassifierModel(models.Model):
    """One training run: its artefact, its figures on the held-out slice, whether it serves."""

    created_at = models.DateTimeField(_("trained at"), auto_now_add=True, db_index=True)
    # A pickled helpdesk.learned.CategoryModel, written only by classifier_train.
    artefact = models.BinaryField(editable=False)
    features_version = models.PositiveSmallIntegerField(default=1)
    is_active = models.BooleanField(_("serving"), default=False)
    accepted = models.BooleanField(_("accepted"), default=False)
    example_count = models.PositiveIntegerField(_("examples trained on"), default=0)
    correction_count = models.PositiveIntegerField(_("staff corrections among them"), default=0)
    slice_count = models.PositiveIntegerField(_("texts in the held-out slice"), default=0)
    figures = models.JSONField(_("figures on the held-out slice"), default=dict, blank=True)
    previous_figures = models.JSONField(
        _("the serving model's figures on the same slice"), default=dict, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_serving_classifier_model",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def top1(self) -> float | None:
        value = self.figures.get("top1")
        return float(value) if value is not None else None
