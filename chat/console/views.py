"""The agent console and the supervisor's wallboard (HTTP side; live data is on /ws/agent/)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk import charts
from helpdesk.errors import DomainError
from helpdesk.labels import console_labels
from helpdesk.media import MAX_FILE_BYTES
from helpdesk.models import (
    Category,
    Disposition,
    OrganisationSettings,
    Presence,
    Priority,
    Section,
    Skill,
)
from helpdesk.payloads import attachment_payload
from helpdesk.selectors import queue as queue_selectors
from helpdesk.services import distributor
from helpdesk.services.console import console_upload as agent_upload


def _console_strings() -> dict[str, str]:
    return {
        "connected": _("Connected"),
        "reconnecting": _("Reconnecting…"),
        "accept": _("Accept"),
        "decline": _("Decline"),
        "pick": _("Take"),
        "nothing": _("Nothing here."),
        "typing": _("The citizen is typing…"),
        "read": _("Read"),
        "note": _("Private note"),
        "map": _("Open the map"),
        "history": _("Contact history"),
        "tickets": _("Tickets"),
        "conversations": _("Earlier conversations"),
        "ticket_created": _("Ticket registered:"),
        "expires": _("answer within"),
        "seconds": _("s"),
        "waiting": _("waiting"),
        "ended": _("The citizen ended the chat. Register a ticket if needed, then close it."),
        "ticket_link": _("Ticket"),
        "new_offer": _("New conversation offered"),
        "phone": _("Phone"),
        "queue": _("queue"),
        "no_messages": _("No messages yet"),
        "upload_failed": _("The file could not be sent."),
        "other": _("other"),
        "attach": _("Attach a photo or file"),
        "unread": _("unread"),
    }


@login_required
@permission_required("helpdesk.serve_conversations", raise_exception=True)
def console(request: HttpRequest) -> HttpResponse:
    config: dict[str, Any] = {
        "user_id": request.user.pk,
        "language": request.LANGUAGE_CODE,
        "strings": _console_strings(),
        "labels": console_labels(),
        "upload_url": reverse("console_upload"),
        "presences": [{"value": v, "label": str(label)} for v, label in Presence.choices],
        "dispositions": [{"value": v, "label": str(label)} for v, label in Disposition.choices],
        "priorities": [{"value": v, "label": str(label)} for v, label in Priority.choices],
        "categories": [
            {"code": c.code, "name": c.name, "section": c.default_section.code}
            for c in Category.objects.filter(is_active=True).select_related("default_section")
        ],
        "sections": [
            {"code": s.code, "name": f"{s.directorate.name} — {s.name}"}
            for s in Section.objects.filter(is_active=True).select_related("directorate")
        ],
        "skills": [{"code": s.code, "name": s.name} for s in Skill.objects.all()],
        "agents": [
            {"id": p.user_id, "name": p.public_name}
            for p in queue_selectors.serving_agents()
            if p.user_id != request.user.pk
        ],
        "canned": queue_selectors.canned_reply_list(),
    }
    return render(request, "console/console.html", {"config": config, "canned": config["canned"]})


@require_POST
@login_required
@permission_required("helpdesk.serve_conversations", raise_exception=True)
def console_upload(request: HttpRequest) -> JsonResponse:
    """A photo or file for the agent's next message; the ``send`` frame names its id."""
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse(
            {"error": _("Choose a file to send."), "code": "missing_file"}, status=400
        )
    if file.size is None or file.size > MAX_FILE_BYTES:
        message = _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_FILE_BYTES // 2**20}
        return JsonResponse({"error": message, "code": "too_large"}, status=400)
    try:
        attachment = agent_upload(
            user=request.user,
            conversation=request.POST.get("conversation", ""),
            data=file.read(),
            filename=file.name or "",
            content_type=file.content_type or "application/octet-stream",
        )
    except DomainError as exc:
        return JsonResponse({"error": exc.message, "code": exc.code}, status=400)
    return JsonResponse(attachment_payload(attachment), status=201)


@login_required
@permission_required("helpdesk.supervise", raise_exception=True)
def supervisor(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "console/supervisor.html",
        {
            "org": OrganisationSettings.load(),
            "config": {
                "strings": {
                    "reassign": _("Reassign"),
                    "nobody": _("Nobody"),
                    "reconnecting": _("Reconnecting…"),
                    "connected": _("Live"),
                },
            },
        },
    )


@require_GET
@login_required
@permission_required("helpdesk.supervise", raise_exception=True)
def supervisor_wallboard(request: HttpRequest) -> JsonResponse:
    board = queue_selectors.wallboard()
    language = request.LANGUAGE_CODE
    target = board["thresholds"]["service_level_target_percent"]
    level = board["service_level"]
    board["pictures"] = {
        "gauge": charts.gauge(
            title=_("Answered within 20 seconds today"),
            percent=level["percent"],
            target=target,
            language=language,
            caption=_("target %(target)s")
            % {
                "target": charts.format_number(target, language=language)
                + charts.percent_sign(language)
            },
        ),
        "hours": charts.bar_chart(
            title=_("Arrivals and answers, last hours"),
            labels=board["hours"]["hours"],
            series=[
                charts.Series(_("Arrived"), board["hours"]["arrived"]),
                charts.Series(_("Answered by an agent"), board["hours"]["answered"]),
            ],
            language=language,
            width=560,
            height=240,
        ),
    }
    board["numbers"] = {
        "waiting": charts.format_number(board["waiting"], language=language),
        "lines": charts.format_number(board["lines_in_use"], language=language),
        **{
            key: charts.format_number(value, language=language)
            for key, value in board["today"].items()
        },
    }
    return JsonResponse(board)


@require_POST
@login_required
@permission_required("helpdesk.supervise", raise_exception=True)
def supervisor_reassign(request: HttpRequest) -> JsonResponse:
    target = get_user_model().objects.filter(pk=request.POST.get("agent") or 0).first()
    if target is None:
        return JsonResponse({"error": _("Choose an agent.")}, status=400)
    try:
        distributor.conversation_reassign(
            supervisor=request.user,
            conversation=request.POST.get("conversation", ""),
            to_agent=target,
        )
    except DomainError as exc:
        return JsonResponse({"error": exc.message, "code": exc.code}, status=400)
    return JsonResponse({"ok": True})


@require_POST
@login_required
@permission_required("helpdesk.supervise", raise_exception=True)
def supervisor_pick(request: HttpRequest) -> JsonResponse:
    org = distributor.agents_may_pick_set(
        user=request.user, allowed=request.POST.get("allowed") == "1"
    )
    return JsonResponse({"agents_may_pick": org.agents_may_pick})
