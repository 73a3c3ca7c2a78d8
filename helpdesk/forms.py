"""Form parsing for the ticket pages: fields and their messages, no business rules."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Category, Channel, Directorate, Partner, Priority, Section, TicketStatus
from helpdesk.models.people import Language, NotifyChannel
from helpdesk.selectors.worklists import SORTS, TicketFilters
from helpdesk.services.intake import AGENT_LOGGED_CHANNELS

_PORTAL_SALT = "nidaa.portal-form"
PORTAL_FORM_MAX_AGE = 2 * 3600


def _active_categories() -> Any:
    return Category.objects.filter(is_active=True).select_related("default_section__directorate")


class PhoneTicketForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Came in by"),
        choices=[(c.value, c.label) for c in AGENT_LOGGED_CHANNELS],
        initial=Channel.PHONE,
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    caller_phone = forms.CharField(label=_("Mobile number"), max_length=30)
    caller_email = forms.EmailField(label=_("E-mail"), required=False)
    caller_fax = forms.CharField(label=_("Fax number"), max_length=30, required=False)
    preferred_channel = forms.ChoiceField(
        label=_("Notify the citizen by"), choices=NotifyChannel.choices, initial=NotifyChannel.SMS
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=_active_categories())
    section = forms.ModelChoiceField(
        label=_("Section (leave empty for the category's section)"),
        queryset=Section.objects.filter(is_active=True).select_related("directorate"),
        required=False,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("The category's default")), *Priority.choices],
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)


class PortalReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=_active_categories(), empty_label=_("Choose…")
    )
    description = forms.CharField(
        label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=10, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=30)
    # Spam protection: people never see or fill "website"; "issued" proves the
    # form was loaded from us a little while ago.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )
    issued = forms.CharField(widget=forms.HiddenInput)

    def looks_automated(self) -> bool:
        if self.cleaned_data.get("website"):
            return True
        try:
            issued_at = float(
                signing.loads(
                    self.cleaned_data.get("issued", ""),
                    salt=_PORTAL_SALT,
                    max_age=PORTAL_FORM_MAX_AGE,
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - issued_at < settings.NIDAA_PORTAL_MIN_SECONDS


def portal_form_token(*, issued_at: float | None = None) -> str:
    return signing.dumps(issued_at if issued_at is not None else time.time(), salt=_PORTAL_SALT)


class StatusLookupForm(forms.Form):
    reference = forms.CharField(label=_("Ticket number"), max_length=40)
    digits = forms.CharField(label=_("Last 4 digits of your mobile number"), max_length=8)


class TicketFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *TicketStatus.choices], required=False
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    directorate = forms.ChoiceField(label=_("Directorate"), required=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    partner = forms.ChoiceField(label=_("Partner agency"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any")), *Channel.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Reference"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    q = forms.CharField(label=_("Text"), max_length=100, required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-created_at", _("Newest first")),
            ("created_at", _("Oldest first")),
            ("resolution_due", _("Due soonest")),
            ("-updated_at", _("Recently changed")),
            ("status", _("Status")),
            ("reference", _("Reference")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_code: dict[str, Any] = {
            "category": Category.objects.all(),
            "directorate": Directorate.objects.all(),
            "section": Section.objects.select_related("directorate"),
            "partner": Partner.objects.all(),
        }
        for name, rows in by_code.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Any")), *((row.code, row.name) for row in rows)]

    def filters(self) -> TicketFilters:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "-created_at"
        return TicketFilters(
            status=data.get("status", ""),
            category=data.get("category", ""),
            directorate=data.get("directorate", ""),
            section=data.get("section", ""),
            partner=data.get("partner", ""),
            channel=data.get("channel", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            reference=data.get("reference", ""),
            phone=data.get("phone", ""),
            text=data.get("q", ""),
            sort=sort if sort in SORTS else "-created_at",
        )
