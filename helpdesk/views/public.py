"""Public pages, no login: the report form and the status look-up."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helpdesk import ratelimit
from helpdesk.errors import DomainError, RateLimited
from helpdesk.forms import PortalReportForm, StatusLookupForm, portal_form_token
from helpdesk.models import Ticket, TicketStatus
from helpdesk.public_status import not_found_message, public_status_check
from helpdesk.services.contacts import phone_verified
from helpdesk.services.intake import portal_report_submit
from helpdesk.services.verification import phone_code_check, phone_code_send
from helpdesk.views.tickets import photos_from_uploads

PORTAL_PER_ADDRESS = ratelimit.Limit("portal-address", count=5, seconds=3600)
# The thanks page shows the reference to the browser that filed the report. It rides
# in a signed cookie rather than the session: a session would cost every anonymous
# report a second database write, queued behind the others on SQLite's lock.
_SUBMITTED_COOKIE = "nidaa_report"
_SUBMITTED_SALT = "nidaa.portal.submitted"
_SUBMITTED_MAX_AGE = 24 * 3600


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the peer Daphne saw; behind a proxy run Daphne with
    # --proxy-headers so that it is the citizen's address.
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The municipality's online report form (also what the app posts)."""
    form = PortalReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif form.looks_automated():
            form.add_error(None, _("The form could not be accepted. Please reload and try again."))
            status = 400
        elif not ratelimit.hit(PORTAL_PER_ADDRESS, client_address(request)):
            form.add_error(
                None,
                RateLimited(
                    _("Too many reports from this connection. Please try again later.")
                ).message,
            )
            status = 429
        else:
            data = form.cleaned_data
            try:
                photos = photos_from_uploads([data["photo"]] if data["photo"] else [])
                ticket = portal_report_submit(
                    category=data["category"],
                    description=data["description"],
                    phone=data["phone"],
                    name=data["name"],
                    address=data["address"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    photo=photos[0] if photos else None,
                    language=(get_language() or "ar")[:2],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                return report_thanks_redirect(ticket)
    return render(
        request,
        "public/report.html",
        {
            "form": form,
            "issued": portal_form_token(),
            "location_texts": {
                "finding": _("Finding your location…"),
                "found": _("Location added: %s"),
                "failed": _("Your location could not be read. Type an address or landmark."),
            },
        },
        status=status,
    )


def report_thanks_redirect(ticket: Ticket) -> HttpResponse:
    """To the page that shows the reference and offers the code, for this browser only."""
    response = redirect("report_thanks")
    response.set_signed_cookie(
        _SUBMITTED_COOKIE,
        ticket.reference,
        salt=_SUBMITTED_SALT,
        max_age=_SUBMITTED_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_http_methods(["GET", "POST"])
def report_thanks(request: HttpRequest) -> HttpResponse:
    """The reference at once; and, for a number not yet verified, the code that lets the
    municipality text it (helpdesk.services.verification). Only the browser that filed
    the report (its signed cookie) may ask for a code or type one."""
    reference = request.get_signed_cookie(
        _SUBMITTED_COOKIE, default=None, salt=_SUBMITTED_SALT, max_age=_SUBMITTED_MAX_AGE
    )
    if not reference:
        return redirect("report")
    ticket = Ticket.objects.select_related("contact").filter(reference=reference).first()
    phone = ticket.contact.phone if ticket is not None and ticket.contact_id else ""
    context: dict[str, object] = {"reference": reference, "phone": phone[-4:]}
    status = 200
    if request.method == "POST" and ticket is not None and phone:
        try:
            if request.POST.get("action") == "send":
                phone_code_send(ticket=ticket, client_address=client_address(request))
                context["code_sent"] = True
            else:
                phone_code_check(ticket=ticket, code=request.POST.get("code", "")[:20])
                context["just_verified"] = True
        except RateLimited as exc:
            context["refusal"], status = exc.message, 429
            context["code_sent"] = True
        except DomainError as exc:
            context["refusal"], status = exc.message, 400
            context["code_sent"] = exc.code != "code_expired"
    context["verified"] = bool(phone) and phone_verified(phone)
    return render(request, "public/report_thanks.html", context, status=status)


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Reference + last four digits → status and public timeline, or one plain answer."""
    form = StatusLookupForm(
        request.POST or None, initial={"reference": request.GET.get("reference", "")[:40]}
    )
    context: dict[str, object] = {"form": form}
    code = 200
    if request.method == "POST" and form.is_valid():
        try:
            payload = public_status_check(
                reference=form.cleaned_data["reference"],
                phone_last_digits=form.cleaned_data["digits"],
                client_address=client_address(request),
            )
        except RateLimited as exc:
            context["refusal"] = exc.message
            code = 429
        else:
            if payload is None:
                context["not_found"] = not_found_message()
            else:
                context["result"] = payload
                context["timeline"] = [
                    {
                        **entry,
                        "at": datetime.datetime.fromisoformat(entry["at"]),
                        "status_label": TicketStatus(entry["status"]).label
                        if entry["status"]
                        else "",
                    }
                    for entry in payload["timeline"]
                ]
    return render(request, "public/status.html", context, status=code)
