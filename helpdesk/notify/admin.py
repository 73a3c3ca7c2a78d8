"""Administrators see every outgoing message (the one outbox), edit the words, read SMS replies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk.models import (
    InboundSms,
    Notification,
    NotificationStatus,
    NotificationTemplate,
    SLAAlert,
)
from helpdesk.notify.rendering import VARIABLES
from helpdesk.notify.tasks import notification_enqueue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "template_key",
        "channel",
        "recipient",
        "language",
        "status",
        "attempts",
        "delivery_status",
        "failure_reason",
        "ticket",
    ]
    list_filter = [
        "status",
        "channel",
        "template_key",
        "failure_reason",
        "language",
        "delivery_status",
    ]
    search_fields = ["recipient", "ticket__reference", "provider_message_id", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["ticket"]
    actions = ["send_again"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Send the failed messages again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        failed = list(
            queryset.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=failed).update(
            status=NotificationStatus.QUEUED, attempts=0, last_error="", failure_reason=""
        )
        for pk in failed:
            notification_enqueue(pk)
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", len(failed))
            % len(failed),
            messages.SUCCESS,
        )


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["event_key", "channel", "language", "subject", "body"]

    def _compiled(self, field: str) -> str:
        text = str(self.cleaned_data.get(field, ""))
        try:
            Template(text)
        except TemplateSyntaxError as exc:
            raise forms.ValidationError(
                _("This template has an error: %(error)s"), params={"error": exc}
            ) from None
        return text

    def clean_subject(self) -> str:
        return self._compiled("subject")

    def clean_body(self) -> str:
        return self._compiled("body")


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ["event_key", "channel", "language", "subject", "updated_at"]
    list_filter = ["event_key", "channel", "language"]
    search_fields = ["subject", "body"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["body"].help_text = _(
            "Django template text. Variables: %(names)s. Fax uses the e-mail text and the "
            "citizen's chat channel the SMS text unless they have their own."
        ) % {"names": ", ".join(f"{{{{ {name} }}}}" for name in VARIABLES)}
        return form


class AttachedFilter(admin.SimpleListFilter):
    title = _("attached to a ticket")
    parameter_name = "attached"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("yes", str(_("Yes"))), ("no", str(_("No: needs a look")))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[InboundSms]
    ) -> QuerySet[InboundSms]:
        if self.value() == "yes":
            return queryset.filter(ticket__isnull=False)
        if self.value() == "no":
            return queryset.filter(ticket__isnull=True)
        return queryset


@admin.register(InboundSms)
class InboundSmsAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "text", "ticket", "contact"]
    list_filter = [AttachedFilter]
    search_fields = ["sender", "text", "ticket__reference"]
    readonly_fields = ["gateway_id", "sender", "text", "contact", "received_at"]
    raw_id_fields = ["ticket"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SLAAlert)
class SLAAlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "ticket", "due_at"]
    list_filter = ["kind"]
    search_fields = ["ticket__reference"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in SLAAlert._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
