"""HTTP edges of the core: thin, each checks the role before it reads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from helpdesk.attachments import attachment_from_token
from helpdesk.models import AccessObject, Role, TicketStatus
from helpdesk.privacy.access import access_record_request, attachment_contact_id
from helpdesk.roles import Actor, role_of
from helpdesk.selectors import tickets as ticket_selectors

# Where each role starts its day. Pages that later issues add (the agent
# console, the dispatcher's workspace …) take over by URL name.
ROLE_LANDING: dict[str, str] = {
    Role.AGENT: "console",
    Role.DISPATCHER: "dispatcher",
    Role.SECTION_STAFF: "section_workspace",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "admin:index",
    Role.PARTNER: "partner_workspace",
    Role.TOURISM_OFFICIAL: "tourism_workspace",
}


def site_home(request: HttpRequest) -> HttpResponse:
    """A stand-in for the municipality's public website, which embeds the widget."""
    return render(request, "site/home.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return render(request, "helpdesk/no_role.html", status=403)
    try:
        return redirect(reverse(ROLE_LANDING[role]))
    except NoReverseMatch:
        return redirect("workspace")


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return render(request, "helpdesk/no_role.html", status=403)
    actor = Actor(user=request.user, role=role)
    counts = ticket_selectors.ticket_counts_by_status(actor)
    status_rows = [(label, counts.get(value, 0)) for value, label in TicketStatus.choices]
    return render(
        request,
        "helpdesk/workspace.html",
        {
            "worklist": ticket_selectors.ticket_worklist(actor)[:50],
            "alerts": ticket_selectors.sla_alert_list_for(actor),
            "status_rows": status_rows,
            "role_label": Role(role).label,
        },
    )


@require_GET
def attachment(request: HttpRequest, token: str) -> FileResponse:
    """Serve an attachment to whoever holds its signed link (see ``helpdesk.attachments``)."""
    found = attachment_from_token(token)
    if found is None or not found.file:
        raise Http404
    if role_of(request.user) is not None:
        access_record_request(
            request,
            object_type=AccessObject.ATTACHMENT,
            object_id=found.public_id,
            ticket_id=found.ticket_id,
            contact_id=attachment_contact_id(found),
        )
    is_image = found.content_type.startswith("image/")
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=not is_image,
        filename=found.original_name or found.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
