"""Django admin for administrators: the organisation, categories, SLA and users."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from helpdesk.login_throttle import ThrottledAdminAuthenticationForm
from helpdesk.models import (
    AccessLog,
    AccessObject,
    AccessVia,
    AgentProfile,
    CannedReply,
    Category,
    ClassifierExample,
    ClassifierModel,
    Contact,
    ContactIdentity,
    Conversation,
    Directorate,
    Establishment,
    EstablishmentRating,
    Holiday,
    Message,
    Open311ApiKey,
    OrganisationSettings,
    Partner,
    PartnerApiToken,
    PrivacyErasure,
    RetentionPeriod,
    Section,
    Skill,
    SLAPolicy,
    SLATarget,
    Suggestion,
    Ticket,
    TicketEvent,
)
from helpdesk.privacy.access import access_record_request
from helpdesk.services.api_tokens import partner_token_revoke
from helpdesk.services.open311 import open311_key_revoke
from helpdesk.services.staff import staff_role_sync

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
    list_display = [
        "code",
        "name_ar",
        "name_en",
        "sms_number",
        "email",
        "api_enabled",
        "callback_url",
    ]


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


class AccessLoggedAdmin(admin.ModelAdmin):
    """Opening one citizen's row in the admin is a read like any other: logged."""

    access_object: AccessObject

    def access_ids(self, obj: Any) -> tuple[int | None, int | None]:
        """(contact id, ticket id) of ``obj``."""
        return obj.contact_id, None

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            contact_id, ticket_id = self.access_ids(obj)
            access_record_request(
                request,
                object_type=self.access_object,
                object_id=obj.pk,
                via=AccessVia.ADMIN,
                contact_id=contact_id,
                ticket_id=ticket_id,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Contact)
class ContactAdmin(AccessLoggedAdmin):
    """Contacts are never deleted (their tickets must stay for the statistics): a
    citizen's personal data is erased from their record page instead."""

    list_display = ["name", "phone", "email", "language", "preferred_channel", "created_at"]
    search_fields = ["name", "phone", "email"]
    inlines = [ContactIdentityInline]
    readonly_fields = ["privacy_record"]
    access_object = AccessObject.CONTACT

    def access_ids(self, obj: Any) -> tuple[int | None, int | None]:
        return obj.pk, None

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("Export or erase"))
    def privacy_record(self, obj: Contact) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("privacy_contact", args=[obj.pk]),
            _("The citizen's record: export their data or erase it"),
        )


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
class TicketAdmin(AccessLoggedAdmin):
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
    list_filter = ["status", "channel", "section__directorate", "partner", "legal_hold"]
    search_fields = ["reference", "contact__phone", "subject"]
    inlines = [TicketEventInline]
    actions = ["hold_place", "hold_lift"]
    access_object = AccessObject.TICKET

    def access_ids(self, obj: Any) -> tuple[int | None, int | None]:
        return obj.contact_id, obj.pk

    @admin.action(description=_("Place under legal hold (kept whole, never erased)"))
    def hold_place(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self.message_user(
            request,
            _("%(n)d ticket(s) under legal hold.") % {"n": queryset.update(legal_hold=True)},
        )

    @admin.action(description=_("Lift the legal hold"))
    def hold_lift(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self.message_user(
            request,
            _("Legal hold lifted on %(n)d ticket(s).") % {"n": queryset.update(legal_hold=False)},
        )

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
class ConversationAdmin(AccessLoggedAdmin):
    list_display = ["pk", "channel", "contact", "state", "assignee", "created_at", "rating"]
    list_filter = ["channel", "state"]
    inlines = [MessageInline]
    access_object = AccessObject.CONVERSATION

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

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """An administrator who is not a superuser cannot hand out superuser or raw rights."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        profile = AgentProfile.objects.filter(user=form.instance).first()
        if profile is not None:  # the role chosen in the profile gives its rights
            staff_role_sync(user=form.instance, role=profile.role)

    @admin.display(description=_("role"))
    def profile_role(self, obj: object) -> str:
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "—"


@admin.register(PartnerApiToken)
class PartnerApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``manage.py partner_token`` (shown once); here they are revoked."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            partner_token_revoke(token=token)


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued with ``manage.py open311_key`` (shown once); here they are revoked."""

    list_display = ["prefix", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset:
            open311_key_revoke(key=key)


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


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_ar", "name_en"]


@admin.register(EstablishmentRating)
class EstablishmentRatingAdmin(admin.ModelAdmin):
    list_display = ["establishment", "score", "created_at", "ticket"]
    list_filter = ["score", "establishment__kind"]
    raw_id_fields = ["ticket"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Suggestions are classified by topic; an administrator may correct the topic here."""

    list_display = ["text", "topic", "establishment", "language", "created_at"]
    list_display_links = ["text"]
    list_filter = ["topic", "language"]
    list_editable = ["topic"]
    search_fields = ["text"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody may add, edit or delete through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "role", "object_type", "object_id", "contact_id", "via"]
    list_filter = ["object_type", "via", "role"]
    search_fields = ["username", "=contact_id", "=ticket_id", "=object_id"]
    date_hierarchy = "at"


@admin.register(PrivacyErasure)
class PrivacyErasureAdmin(ReadOnlyAdmin):
    list_display = ["at", "contact_id", "username", "reason"]
    readonly_fields = ["at", "contact_id", "user", "username", "reason", "counts"]


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    list_display = ["data_class", "days", "is_active"]
    list_editable = ["days", "is_active"]
