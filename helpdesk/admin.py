"""Django admin for administrators: the organisation, categories, SLA and users."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helpdesk.models import (
    AgentProfile,
    CannedReply,
    Category,
    Contact,
    ContactIdentity,
    Conversation,
    Directorate,
    Holiday,
    Message,
    OrganisationSettings,
    Partner,
    PartnerApiToken,
    Section,
    Skill,
    SLAPolicy,
    SLATarget,
    Ticket,
    TicketEvent,
)

admin.site.site_header = _("Nidaa administration")
admin.site.site_title = _("Nidaa")


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en", "is_active"]
    search_fields = ["code", "name_ar", "name_en"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en", "directorate", "email", "is_active"]
    list_filter = ["directorate", "is_active"]
    search_fields = ["code", "name_ar", "name_en"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en", "default_section", "sla_policy", "is_active"]
    list_filter = ["default_section__directorate", "sla_policy", "is_active"]
    search_fields = ["code", "name_ar", "name_en", "keywords_ar", "keywords_en"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en", "sms_number", "email", "api_enabled"]


class SLATargetInline(admin.TabularInline):
    model = SLATarget
    extra = 0


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "first_response_minutes", "resolution_minutes"]
    inlines = [SLATargetInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name_ar", "name_en"]


@admin.register(OrganisationSettings)
class OrganisationSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return not OrganisationSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class ContactIdentityInline(admin.TabularInline):
    model = ContactIdentity
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "language", "preferred_channel", "created_at"]
    search_fields = ["name", "phone", "email"]
    inlines = [ContactIdentityInline]


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "kind",
        "actor",
        "actor_role",
        "from_status",
        "to_status",
        "note",
        "is_public",
        "created_at",
    ]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: ticket changes go through the lifecycle, never a raw edit."""

    list_display = [
        "reference",
        "status",
        "category",
        "section",
        "partner",
        "channel",
        "created_at",
    ]
    list_filter = ["status", "channel", "section__directorate", "partner"]
    search_fields = ["reference", "contact__phone", "subject"]
    inlines = [TicketEventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ("seq", "sender_kind", "sender_user", "text", "event", "is_internal", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["pk", "channel", "contact", "state", "assignee", "created_at", "rating"]
    list_filter = ["channel", "state"]
    inlines = [MessageInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class AgentProfileInline(admin.StackedInline):
    model = AgentProfile
    can_delete = False
    filter_horizontal = ["sections", "skills"]


user_model = get_user_model()
admin.site.unregister(user_model)


@admin.register(user_model)
class StaffUserAdmin(UserAdmin):
    inlines = [AgentProfileInline]
    list_display = ["username", "first_name", "last_name", "profile_role", "is_active"]

    @admin.display(description=_("role"))
    def profile_role(self, obj: object) -> str:
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "—"


@admin.register(PartnerApiToken)
class PartnerApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``manage.py partner_token`` (shown once); here they are revoked."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["code", "title_ar", "title_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "title_ar", "title_en", "text_ar", "text_en"]


# The notification outbox, its templates and inbound SMS (registered on import).
from helpdesk.notify import admin as _notify_admin  # noqa: E402, F401
