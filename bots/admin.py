"""Administrators edit the knowledge base and the assistant's channel settings here."""

from __future__ import annotations

from django.contrib import admin

from bots.models import BotChannelSettings, BotSession, KnowledgeArticle


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ["title_ar", "title_en", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["slug", "title_ar", "title_en", "keywords_ar", "keywords_en"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(BotChannelSettings)
class BotChannelSettingsAdmin(admin.ModelAdmin):
    list_display = ["channel", "enabled", "active_hours"]
    list_editable = ["enabled", "active_hours"]


@admin.register(BotSession)
class BotSessionAdmin(admin.ModelAdmin):
    list_display = ["conversation", "stage", "language", "failures", "updated_at"]
    list_filter = ["stage", "language"]
    readonly_fields = ["conversation", "stage", "language", "slots", "failures", "last_seq"]
