"""Staff pages for tickets: log a call, the three workspaces, the list and one ticket.

Every view names the roles that may open it; every ticket is fetched through
the actor's scope, so another section's ticket is a 404, never a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.errors import DomainError, InvalidInput
from helpdesk.forms import PhoneTicketForm, TicketFilterForm
from helpdesk.media import MAX_IMAGE_BYTES, Photo
from helpdesk.models import Category, Conversation, Partner, Role, Section, Ticket
from helpdesk.privacy.access import access_record_ticket
from helpdesk.privacy.visibility import ticket_fields_for
from helpdesk.roles import Actor, role_of
from helpdesk.selectors import tickets as ticket_selectors
from helpdesk.selectors import worklists
from helpdesk.services import tickets as ticket_services
from helpdesk.services.intake import phone_ticket_log
from helpdesk.services.partners import partner_callback_configure
from helpdesk.services.tickets import (
    ticket_callback_log,
    ticket_dispatch,
    ticket_forward_to_partner,
    ticket_note_add,
    ticket_reclassify,
    ticket_transition,
    transitions_for,
)

DESK_ROLES = (Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR)
EVERY_ROLE = (*DESK_ROLES, Role.SECTION_STAFF, Role.PARTNER)
CLASSIFIER_ROLES = (Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR)
# Actions with their own form (extra fields); the generic button handles the rest.
ACTIONS_WITH_FORMS = {"dispatch", "forward_external", "resolve", "notify_citizen"}

View = Callable[..., HttpResponseBase]


def staff_view(roles: Collection[str]) -> Callable[[View], View]:
    """Signed-in users whose role is in ``roles``; the view receives ``actor``."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            role = role_of(request.user)
            if role is None or role not in roles:
                return render(request, "helpdesk/no_role.html", status=403)
            return view(request, Actor(user=request.user, role=role), *args, **kwargs)

        return wrapped

    return decorate


def _ticket_or_404(actor: Actor, ticket_id: int) -> Ticket:
    ticket = ticket_selectors.ticket_get_visible(actor, ticket_id=ticket_id)
    if ticket is None:
        raise Http404(_("No such ticket."))
    return ticket


def _back(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("ticket_detail", ticket_id=ticket.pk)


def photos_from_uploads(files: list[UploadedFile]) -> list[Photo]:
    """Uploaded files as photos; an oversized one is refused before it is read."""
    photos = []
    for upload in files:
        if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
            raise InvalidInput(
                _("The image is too large (at most %(mb)d MB).") % {"mb": MAX_IMAGE_BYTES // 2**20},
                code="too_large",
            )
        photos.append(Photo(content=upload.read(), filename=upload.name or ""))
    return photos


def _act(
    request: HttpRequest, ticket: Ticket, work: Callable[[], object], done: str
) -> HttpResponse:
    try:
        work()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(request, ticket)


# ---- doors ---------------------------------------------------------------------------


@staff_view(CLASSIFIER_ROLES)
def ticket_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    """An agent logs a phone call or a fax, or turns the conversation they serve into a ticket."""
    conversation = _conversation_for(actor, request.GET.get("conversation", ""))
    initial = {}
    if conversation is not None:
        contact = conversation.contact
        initial = {
            "caller_name": contact.name,
            "caller_phone": contact.phone,
            "caller_email": contact.email,
            "language": conversation.language,
            "category": conversation.category,
            "subject": conversation.subject,
        }
    form = PhoneTicketForm(request.POST or None, initial=initial)
    if conversation is not None:
        channel_field = form.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)
        channel_field.choices = [(conversation.channel, conversation.get_channel_display())]
        channel_field.initial = conversation.channel
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = phone_ticket_log(
                actor=actor,
                channel=data["channel"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                caller_email=data["caller_email"],
                caller_fax=data["caller_fax"],
                preferred_channel=data["preferred_channel"],
                language=data["language"],
                category=data["category"],
                section=data["section"],
                priority=data["priority"] or None,
                subject=data["subject"],
                description=data["description"],
                address=data["address"],
                conversation=conversation,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Ticket %(ref)s is registered. Tell the caller this number.")
                % {"ref": ticket.reference},
            )
            return redirect("ticket_detail", ticket_id=ticket.pk)
    categories = Category.objects.filter(is_active=True).select_related(
        "default_section__directorate"
    )
    category_sections = {
        str(c.pk): f"{c.default_section.directorate.name} / {c.default_section.name}"
        for c in categories
    }
    return render(
        request,
        "tickets/new.html",
        {"form": form, "category_sections": category_sections, "conversation": conversation},
    )


def _conversation_for(actor: Actor, public_id: str) -> Conversation | None:
    """The conversation being turned into a ticket: an agent's own, anyone's for tier 2."""
    if not public_id:
        return None
    try:
        wanted = uuid.UUID(public_id)
    except ValueError:
        raise Http404(_("No such conversation.")) from None
    conversations = Conversation.objects.select_related("contact").filter(public_id=wanted)
    if actor.role == Role.AGENT:
        conversations = conversations.filter(assignee=actor.user)
    conversation = conversations.first()
    if conversation is None:
        raise Http404(_("No such conversation."))
    return conversation


# ---- the list and one ticket -------------------------------------------------------


@staff_view(EVERY_ROLE)
def ticket_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = TicketFilterForm(request.GET or None)
    tickets = worklists.ticket_search(actor, form.filters())
    page = Paginator(tickets, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tickets/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )


@staff_view((*EVERY_ROLE, Role.TOURISM_OFFICIAL))
def ticket_detail(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(actor, ticket_id)
    actions = transitions_for(ticket, actor)
    fields = ticket_fields_for(actor.role)
    access_record_ticket(request, ticket, actor=actor)
    return render(
        request,
        "tickets/detail.html",
        {
            "ticket": ticket,
            "fields": fields,
            "timeline": worklists.ticket_timeline(ticket, fields),
            "simple_actions": [a for a in actions if a.action not in ACTIONS_WITH_FORMS],
            "can": {a.action for a in actions},
            "can_classify": actor.role in CLASSIFIER_ROLES,
            "can_note": actor.role not in (Role.ADMINISTRATOR, Role.TOURISM_OFFICIAL),
            "can_read_contact": actor.role in (Role.SUPERVISOR, Role.ADMINISTRATOR),
            "categories": Category.objects.filter(is_active=True),
            "sections": Section.objects.filter(is_active=True).select_related("directorate"),
            "partners": Partner.objects.filter(is_active=True),
        },
    )


# ---- actions -------------------------------------------------------------------------


@require_POST
@staff_view(EVERY_ROLE)
def ticket_act(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    """A lifecycle button: ``action`` and an optional ``note``."""
    ticket = _ticket_or_404(actor, ticket_id)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    return _act(
        request,
        ticket,
        lambda: ticket_transition(ticket=ticket, action=action, actor=actor, note=note),
        _("Ticket %(ref)s updated.") % {"ref": ticket.reference},
    )


@require_POST
@staff_view((Role.DISPATCHER, Role.SUPERVISOR))
def ticket_forward(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    """Forward to a section (the suggested one or another) or to a partner agency."""
    ticket = _ticket_or_404(actor, ticket_id)
    note = request.POST.get("note", "")
    partner_code = request.POST.get("partner", "")
    section_code = request.POST.get("section", "")

    def work() -> object:
        if partner_code:
            partner = Partner.objects.filter(code=partner_code).first()
            if partner is None:
                raise InvalidInput(_("Choose a partner agency."), code="unknown_partner")
            return ticket_forward_to_partner(ticket=ticket, actor=actor, partner=partner, note=note)
        section = None
        if section_code:
            section = Section.objects.filter(code=section_code, is_active=True).first()
            if section is None:
                raise InvalidInput(_("Choose a section."), code="unknown_section")
        return ticket_dispatch(ticket=ticket, actor=actor, section=section, note=note)

    return _act(request, ticket, work, _("Ticket %(ref)s forwarded.") % {"ref": ticket.reference})


@require_POST
@staff_view((Role.SECTION_STAFF, Role.SUPERVISOR))
def ticket_resolve(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(actor, ticket_id)

    def work() -> object:
        return ticket_services.ticket_resolve(
            ticket=ticket,
            actor=actor,
            public_reply=request.POST.get("public_reply", ""),
            internal_note=request.POST.get("internal_note", ""),
            before=photos_from_uploads(request.FILES.getlist("before")),
            after=photos_from_uploads(request.FILES.getlist("after")),
        )

    return _act(request, ticket, work, _("Ticket %(ref)s resolved.") % {"ref": ticket.reference})


@require_POST
@staff_view((Role.DISPATCHER, Role.SUPERVISOR))
def ticket_callback(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(actor, ticket_id)
    return _act(
        request,
        ticket,
        lambda: ticket_callback_log(
            ticket=ticket,
            actor=actor,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            close=request.POST.get("close") == "1",
        ),
        _("Call-back recorded for %(ref)s.") % {"ref": ticket.reference},
    )


@require_POST
@staff_view(CLASSIFIER_ROLES)
def ticket_classify(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(actor, ticket_id)

    def work() -> object:
        category = Category.objects.filter(code=request.POST.get("category", "")).first()
        section = Section.objects.filter(code=request.POST.get("section", "")).first()
        if category is None and section is None:
            raise InvalidInput(_("Choose a category or a section."), code="missing_classification")
        return ticket_reclassify(
            ticket=ticket,
            actor=actor,
            category=category,
            section=section,
            note=request.POST.get("note", ""),
        )

    return _act(request, ticket, work, _("Classification saved."))


@require_POST
@staff_view((Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.SECTION_STAFF, Role.PARTNER))
def ticket_note(request: HttpRequest, actor: Actor, ticket_id: int) -> HttpResponse:
    ticket = _ticket_or_404(actor, ticket_id)
    return _act(
        request,
        ticket,
        lambda: ticket_note_add(
            ticket=ticket,
            actor=actor,
            note=request.POST.get("note", ""),
            public=request.POST.get("public") == "1",
        ),
        _("Note added."),
    )


# ---- workspaces ----------------------------------------------------------------------


@staff_view((Role.DISPATCHER, Role.SUPERVISOR))
def dispatcher(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(
        request,
        "tickets/dispatcher.html",
        {
            "waiting": worklists.dispatcher_waiting(actor)[:100],
            "overdue": worklists.ticket_overdue(actor)[:100],
            "callbacks": worklists.dispatcher_callbacks(actor)[:100],
            "sections": Section.objects.filter(is_active=True).select_related("directorate"),
            "partners": Partner.objects.filter(is_active=True),
            "here": reverse("dispatcher"),
        },
    )


@staff_view((Role.SECTION_STAFF,))
def section_workspace(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(
        request,
        "tickets/section.html",
        {
            "worklist": worklists.section_worklist(actor)[:100],
            "done": worklists.recently_done(actor),
            "alerts": ticket_selectors.sla_alert_list_for(actor),
            "sections": actor.user.profile.sections.all(),
            "here": reverse("section_workspace"),
        },
    )


@staff_view((Role.PARTNER,))
def partner_workspace(request: HttpRequest, actor: Actor) -> HttpResponse:
    partner = actor.user.profile.partner
    return render(
        request,
        "tickets/partner.html",
        {
            "worklist": worklists.partner_worklist(actor)[:100],
            "done": worklists.recently_done(actor),
            "partner": partner,
            "callback_url": partner.callback_url,
            "callback_set": bool(partner.callback_url and partner.callback_secret),
            "new_secret": request.session.pop("partner_new_secret", ""),
            "here": reverse("partner_workspace"),
        },
    )


@require_POST
@staff_view((Role.PARTNER,))
def partner_callback(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The agency registers where its system hears about its tickets (docs/partners.md)."""
    try:
        made = partner_callback_configure(
            partner=actor.user.profile.partner,
            actor=actor,
            url=request.POST.get("callback_url", ""),
            secret=request.POST.get("callback_secret", ""),
            new_secret=request.POST.get("new_secret") == "1",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        # Shown once, on the page this redirects to; never stored anywhere readable later.
        if made:
            request.session["partner_new_secret"] = made
        messages.success(request, _("Callback settings saved."))
    return redirect("partner_workspace")
