"""Supervisors' privacy pages: the access log, a citizen's record, export and erasure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from helpdesk.errors import DomainError
from helpdesk.models import AccessObject, AccessVia, Contact, DataClass, PrivacyErasure
from helpdesk.privacy.access import access_record_request
from helpdesk.privacy.erase import contact_erase, erasure_scope
from helpdesk.privacy.export import contact_export
from helpdesk.privacy.retention import retention_periods
from helpdesk.privacy.selectors import AuditFilters, access_log_list, contact_search
from helpdesk.roles import actor_for
from helpdesk.views.reports import supervisor_required, write_csv

PAGE_SIZE = 50
CSV_LIMIT = 100_000


class AuditFilterForm(forms.Form):
    staff = forms.CharField(label=gettext_lazy("Staff member (user name)"), required=False)
    contact = forms.IntegerField(label=gettext_lazy("Citizen (contact id)"), required=False)
    ticket = forms.CharField(label=gettext_lazy("Ticket (reference or id)"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            staff=data.get("staff") or "",
            contact_id=data.get("contact"),
            ticket=(data.get("ticket") or "").strip(),
            start=data.get("start"),
            end=data.get("end"),
        )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (the request's reference; no personal data)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.IntegerField(label=gettext_lazy("Type the contact id to confirm"))

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_confirm(self) -> int:
        value = self.cleaned_data["confirm"]
        if value != self.contact.pk:
            raise forms.ValidationError(_("That is not this citizen's contact id."))
        return int(value)


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The public privacy notice; ``?lang=ar|en`` picks the language (the widget links it)."""
    language = request.GET.get("lang", "")
    periods = [
        (DataClass(data_class).label, days) for data_class, days in retention_periods().items()
    ]
    context = {"periods": periods}
    if language in ("ar", "en"):
        with translation.override(language):
            return render(request, "privacy/notice.html", context)
    return render(request, "privacy/notice.html", context)


@require_GET
@supervisor_required
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "privacy/audit.html", {"form": form, "page": None}, status=400)
    rows = access_log_list(form.filters() if request.GET else AuditFilters())
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
        write_csv(
            response,
            [
                "at",
                "username",
                "role",
                "object_type",
                "object_id",
                "contact_id",
                "ticket_id",
                "via",
                "purpose",
                "address",
            ],
            (
                (
                    r.at.isoformat(),
                    r.username,
                    r.role,
                    r.object_type,
                    r.object_id,
                    r.contact_id,
                    r.ticket_id,
                    r.via,
                    r.purpose,
                    r.address,
                )
                for r in rows[:CSV_LIMIT]
            ),
        )
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "privacy/audit.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@require_GET
@supervisor_required
def contacts(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    found = list(contact_search(query))
    for contact in found:  # a result shows the citizen's name and number: a read
        access_record_request(
            request, object_type=AccessObject.CONTACT, object_id=contact.pk, contact_id=contact.pk
        )
    return render(request, "privacy/contacts.html", {"query": query, "contacts": found})


def _contact_or_404(contact_id: int) -> Contact:
    found = Contact.objects.filter(pk=contact_id).first()
    if found is None:
        raise Http404(_("No such citizen."))
    return found


def _record_page(
    request: HttpRequest, contact: Contact, erase_form: EraseForm, status: int = 200
) -> HttpResponse:
    scope = erasure_scope(contact)
    return render(
        request,
        "privacy/contact.html",
        {
            "contact": contact,
            "identities": contact.identities.all(),
            "tickets": contact.tickets.select_related("category").order_by("-created_at"),
            "conversations": contact.conversations.order_by("-created_at")[:50],
            "reads": access_log_list(AuditFilters(contact_id=contact.pk))[:200],
            "erasures": PrivacyErasure.objects.filter(contact_id=contact.pk),
            "scope": scope,
            "erase_form": erase_form,
        },
        status=status,
    )


@require_GET
@supervisor_required
def contact_record(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(contact_id)
    access_record_request(
        request, object_type=AccessObject.CONTACT, object_id=contact.pk, contact_id=contact.pk
    )
    return _record_page(request, contact, EraseForm(contact=contact))


@require_POST
@supervisor_required
def contact_export_download(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(contact_id)
    archive = contact_export(
        contact=contact,
        actor=actor_for(request.user),
        via=AccessVia.EXPORT,
        purpose="privacy_contact_export",
        address=request.META.get("REMOTE_ADDR"),
    )
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.zip"'
    return response


@require_POST
@supervisor_required
def contact_erase_confirm(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(contact_id)
    form = EraseForm(request.POST, contact=contact)
    if not form.is_valid():
        return _record_page(request, contact, form, status=400)
    try:
        erasure = contact_erase(
            contact=contact, actor=actor_for(request.user), reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The citizen's personal data was erased (record #%(id)d).") % {"id": erasure.pk},
        )
    return redirect("privacy_contact", contact_id=contact.pk)
