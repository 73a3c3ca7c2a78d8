"""The tourism desk's pages: the public door (rate, suggest, chat) and the officials' workspace.

Public pages need no login and are rate limited per address by the services.
The workspace is read only and shows the desk's own contacts alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.errors import DomainError
from helpdesk.models import Establishment, Role, SuggestionTopic
from helpdesk.selectors import reports
from helpdesk.selectors import tourism as tourism_selectors
from helpdesk.services.contacts import phone_verified
from helpdesk.services.tourism import establishment_rate, suggestion_submit
from helpdesk.views.public import client_address, report_thanks_redirect
from helpdesk.views.tickets import staff_view

OFFICIAL_ROLES = (Role.TOURISM_OFFICIAL, Role.SUPERVISOR, Role.ADMINISTRATOR)
SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Your rating"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Your comment (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visitor_name = forms.CharField(label=gettext_lazy("Your name (optional)"), required=False)
    follow_up = forms.BooleanField(
        label=gettext_lazy("This is a complaint: I want it followed up"), required=False
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile number (for the complaint's number by SMS)"),
        required=False,
        max_length=30,
    )
    website = forms.CharField(required=False)  # honeypot: people leave it empty


class SuggestionForm(forms.Form):
    topic = forms.ChoiceField(label=gettext_lazy("What is it about?"), choices=SuggestionTopic)
    text = forms.CharField(
        label=gettext_lazy("Your suggestion"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    establishment = forms.ModelChoiceField(
        label=gettext_lazy("About a particular place (optional)"),
        queryset=Establishment.objects.filter(is_active=True),
        required=False,
    )
    visitor_name = forms.CharField(label=gettext_lazy("Your name (optional)"), required=False)
    website = forms.CharField(required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def report_filter(self) -> reports.ReportFilter:
        default = reports.ReportFilter.last_days(30)
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start: datetime.date = data.get("start") or default.start
        end: datetime.date = data.get("end") or default.end
        if end < start:
            start, end = end, start
        return reports.ReportFilter(start=start, end=end)


def _language() -> str:
    return (get_language() or "ar")[:2]


# ---- public ------------------------------------------------------------------------------


@require_GET
def tourism_home(request: HttpRequest) -> HttpResponse:
    """The Ministry of Tourism's contact page: chat with the desk, rate, suggest."""
    return render(
        request,
        "tourism/home.html",
        {"establishments": tourism_selectors.establishment_list()},
    )


_T = TypeVar("_T")


def _submit(
    request: HttpRequest, form: forms.Form, save: Callable[[dict[str, Any], str], _T]
) -> tuple[int, _T | None]:
    """A public form's POST: validate, skip bots (honeypot), save; the status to answer with."""
    if request.method != "POST":
        return 200, None
    if not form.is_valid() or form.cleaned_data["website"]:
        return 400, None
    try:
        return 200, save(form.cleaned_data, client_address(request))
    except DomainError as exc:
        form.add_error(None, exc.message)
        return (429 if exc.code == "rate_limited" else 400), None


@require_http_methods(["GET", "POST"])
def tourism_rate(request: HttpRequest, code: str) -> HttpResponse:
    establishment = get_object_or_404(Establishment, code=code, is_active=True)
    form = RatingForm(request.POST or None)
    status, rating = _submit(
        request,
        form,
        lambda data, address: establishment_rate(
            establishment=establishment,
            score=data["score"],
            comment=data["comment"],
            visitor_name=data["visitor_name"],
            language=_language(),
            follow_up=data["follow_up"],
            phone=data["phone"],
            client_address=address,
        ),
    )
    ticket = rating.ticket if rating is not None else None
    if ticket is not None and not phone_verified(ticket.contact.phone):
        # A complaint with a number not yet proven: its SMS waits for the code, which
        # the report's confirmation page offers (helpdesk.services.verification).
        return report_thanks_redirect(ticket)
    return render(
        request,
        "tourism/rate.html",
        {"establishment": establishment, "form": form, "rating": rating},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def tourism_suggest(request: HttpRequest) -> HttpResponse:
    form = SuggestionForm(request.POST or None)
    status, suggestion = _submit(
        request,
        form,
        lambda data, address: suggestion_submit(
            topic=data["topic"],
            text=data["text"],
            establishment=data["establishment"],
            visitor_name=data["visitor_name"],
            language=_language(),
            client_address=address,
        ),
    )
    if suggestion is not None:
        form = SuggestionForm()
    return render(
        request,
        "tourism/suggest.html",
        {"form": form, "suggestion": suggestion},
        status=status,
    )


# ---- the officials' workspace (read only) --------------------------------------------------


@require_GET
@staff_view(OFFICIAL_ROLES)
def tourism_workspace(request: HttpRequest, actor: object) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    filters = form.report_filter()
    return render(
        request,
        "tourism/workspace.html",
        {
            "form": form,
            "filters": filters,
            "report": tourism_selectors.tourism_report(filters=filters),
            "establishments": tourism_selectors.establishment_list(active_only=False),
        },
    )


@require_GET
@staff_view(OFFICIAL_ROLES)
def tourism_establishment(request: HttpRequest, actor: object, code: str) -> HttpResponse:
    establishment = get_object_or_404(Establishment, code=code)
    return render(
        request,
        "tourism/establishment.html",
        {
            "establishment": establishment,
            "months": tourism_selectors.establishment_record(establishment),
            "ratings": tourism_selectors.establishment_ratings(establishment),
            "title": _("Record of %(name)s") % {"name": establishment.name},
        },
    )
