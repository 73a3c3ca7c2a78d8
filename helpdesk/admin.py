"""Django admin for administrators: the organisation, categories, SLA and users."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from helpdesk.login_throttle import ThrottledAdminAuthenticationForm
from helpdesk.models import (
    AgentProfile,
    CannedReply,
    Category,
    ClassifierExample,
    ClassifierModel,
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
admin.site.login_form = ThrottledAdminAuthenticationForm  # failed sign-ins are throttled


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


@admin.register(ClassifierExample)
class ClassifierExampleAdmin(admin.ModelAdmin):
    """What staff corrections taught the classifier (personal data masked)."""

    list_display = ["text", "category", "source", "recorded_by", "updated_at"]
    list_filter = ["source", "category"]
    search_fields = ["text"]
    readonly_fields = ["ticket", "conversation", "recorded_by", "source", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def _percent(value: Any) -> str:
    return f"{float(value):.1%}" if value is not None else "—"


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    """Each training run with its figures on the held-out slice; one model serves."""

    list_display = [
        "created_at",
        "is_active",
        "accepted",
        "top1_display",
        "top3_display",
        "confident_display",
        "example_count",
        "correction_count",
        "note",
    ]
    list_filter = ["is_active", "accepted"]
    readonly_fields = [
        "created_at",
        "is_active",
        "accepted",
        "note",
        "example_count",
        "correction_count",
        "slice_count",
        "top1_display",
        "top3_display",
        "confident_display",
        "per_category_display",
        "confusions_display",
        "previous_display",
    ]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("top-1"))
    def top1_display(self, obj: ClassifierModel) -> str:
        return _percent(obj.figures.get("top1"))

    @admin.display(description=_("top-3"))
    def top3_display(self, obj: ClassifierModel) -> str:
        return _percent(obj.figures.get("top3"))

    @admin.display(description=_("right when confident"))
    def confident_display(self, obj: ClassifierModel) -> str:
        figures = obj.figures
        if not figures:
            return "—"
        return _("%(precision)s of %(count)s at ≥ %(threshold)s") % {
            "precision": _percent(figures.get("confident_precision")),
            "count": figures.get("confident_count", 0),
            "threshold": _percent(figures.get("threshold")),
        }

    @admin.display(description=_("accuracy per category"))
    def per_category_display(self, obj: ClassifierModel) -> str:
        names = dict(Category.objects.values_list("code", "name_en"))
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (names.get(code, code), row["count"], _percent(row["accuracy"]))
                for code, row in sorted(
                    obj.figures.get("per_category", {}).items(),
                    key=lambda item: item[1]["accuracy"],
                )
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("category"),
            _("texts"),
            _("top-1"),
            rows,
        )

    @admin.display(description=_("confusion pairs (written as → taken for)"))
    def confusions_display(self, obj: ClassifierModel) -> str:
        pairs = obj.figures.get("confusions", [])
        if not pairs:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{} → {} ({})",
            ((pair["category"], pair["predicted"], pair["count"]) for pair in pairs),
        )

    @admin.display(description=_("serving model on the same slice, at training time"))
    def previous_display(self, obj: ClassifierModel) -> str:
        if not obj.previous_figures:
            return "—"
        return _("top-1 %(top1)s, top-3 %(top3)s") % {
            "top1": _percent(obj.previous_figures.get("top1")),
            "top3": _percent(obj.previous_figures.get("top3")),
        }


# The notification outbox, its templates and inbound SMS (registered on import).
from helpdesk.notify import admin as _notify_admin  # noqa: E402, F401
