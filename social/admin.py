"""Administrators connect accounts and pages, and read (and retry) the inbox journal here.

Secrets stay in the environment. Replies leave through the one outbox
(*Notifications*, ``helpdesk.notify.admin``), which has its own "send again".
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from social.inbox import inbox_deliveries_retry, inbox_events_retry
from social.models import FacebookPage, InboxDelivery, InboxEvent, XAccount


@admin.register(XAccount)
class XAccountAdmin(admin.ModelAdmin):
    list_display = ["handle", "user_id", "is_active", "poll_interval_seconds", "last_polled_at"]
    list_filter = ["is_active"]
    readonly_fields = [
        "mentions_since_id",
        "dm_since_id",
        "last_polled_at",
        "next_poll_at",
        "last_error",
    ]


@admin.register(FacebookPage)
class FacebookPageAdmin(admin.ModelAdmin):
    list_display = ["name", "page_id", "is_active", "receive_comments", "comment_reply_mode"]
    list_filter = ["is_active"]


def _queued_again(model_admin: admin.ModelAdmin, request: HttpRequest, count: int) -> None:
    model_admin.message_user(
        request,
        ngettext(
            "%d item handed to the worker again.", "%d items handed to the worker again.", count
        )
        % count,
        messages.SUCCESS,
    )


class InboxEventInline(admin.TabularInline):
    model = InboxEvent
    fields = ["position", "kind", "status", "note", "error", "external_id", "message"]
    readonly_fields = ["position", "kind", "status", "note", "error", "external_id", "message"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(InboxDelivery)
class InboxDeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "status", "error"]
    list_filter = ["source", "status"]
    date_hierarchy = "received_at"
    inlines = [InboxEventInline]
    actions = ["retry"]
    readonly_fields = [
        "source",
        "body_text",
        "headers",
        "received_at",
        "status",
        "error",
        "enqueued_at",
        "read_at",
    ]
    exclude = ["body"]

    @admin.display(description=_("raw body"))
    def body_text(self, obj: InboxDelivery) -> str:
        # Shown as text (invalid bytes replaced); the stored bytes stay untouched.
        return bytes(obj.body)[:200_000].decode("utf-8", errors="replace")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Retry: read again and retry the failed events"))
    def retry(self, request: HttpRequest, queryset: QuerySet[InboxDelivery]) -> None:
        count = inbox_deliveries_retry(delivery_ids=queryset.values_list("pk", flat=True))
        _queued_again(self, request, count)


@admin.register(InboxEvent)
class InboxEventAdmin(admin.ModelAdmin):
    list_display = ["delivery", "position", "kind", "status", "note", "error", "processed_at"]
    list_filter = ["status", "kind", "delivery__source"]
    search_fields = ["external_id", "error", "raw"]
    list_select_related = ["delivery"]
    actions = ["retry"]
    readonly_fields = [
        "delivery",
        "position",
        "kind",
        "raw",
        "status",
        "note",
        "error",
        "attempts",
        "external_id",
        "message",
        "processed_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Retry the failed events"))
    def retry(self, request: HttpRequest, queryset: QuerySet[InboxEvent]) -> None:
        count = inbox_events_retry(event_ids=queryset.values_list("pk", flat=True))
        _queued_again(self, request, count)
