"""Administrators connect accounts and pages here; secrets stay in the environment."""

from __future__ import annotations

from django.contrib import admin

from social.models import FacebookPage, SocialDelivery, XAccount


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


@admin.register(SocialDelivery)
class SocialDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "target_kind", "target_id", "status", "attempts"]
    list_filter = ["channel", "status", "failure_reason"]
    readonly_fields = [f.name for f in SocialDelivery._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
