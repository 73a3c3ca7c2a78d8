"""Turn an event, a channel and a language into the words of a notification.

Administrators' ``NotificationTemplate`` rows win; the built-in texts of
``helpdesk.notify.defaults`` fill any gap. Templates see plain strings only
(never model objects), so an edited template cannot reach into the database.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation

from helpdesk.models import NotificationTemplate, Ticket
from helpdesk.models.people import NotifyChannel
from helpdesk.notify.defaults import DEFAULTS
from helpdesk.text import isolate_ltr, isolate_reference, isolate_url

logger = logging.getLogger(__name__)

# Every variable a template may use (shown to administrators in the admin).
VARIABLES = (
    "reference",
    "subject",
    "description",
    "category",
    "section",
    "directorate",
    "partner",
    "follow_up",
    "note",
    "status",
    "due",
    "resolved",
    "address",
    "citizen_name",
    "citizen_phone",
    "status_url",
    "ticket_url",
    "code",
)

# A channel without its own template borrows the words of a close one.
_FALLBACK_CHANNEL: dict[str, str] = {
    NotifyChannel.FAX: NotifyChannel.EMAIL,
    NotifyChannel.CONVERSATION: NotifyChannel.SMS,
}
_LONG_FORM = {NotifyChannel.EMAIL, NotifyChannel.FAX}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _url(name: str, args: list[Any], fallback: str) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = fallback
    return settings.NIDAA_PUBLIC_URL.rstrip("/") + path


def _moment(value: Any) -> str:
    if value is None:
        return ""
    return str(formats.date_format(timezone.localtime(value), "DATETIME_FORMAT"))


def ticket_context(
    ticket: Ticket, *, language: str, note: str = "", code: str = "", bidi_marks: bool = True
) -> dict[str, str]:
    """The variables of ``ticket`` in ``language`` (names follow the active language).

    In Arabic the reference and the phone number are left-to-right isolates and links
    end with a left-to-right mark: a phone shows ``MCT-2026-000123`` whole and in
    order inside an Arabic SMS instead of «-MCT-2026» and «000123» apart. Not on a fax
    (``bidi_marks=False``): a fax machine may print the marks as boxes.
    """
    marks = bidi_marks and language == "ar"
    ltr, ref, url = (isolate_ltr, isolate_reference, isolate_url) if marks else (str, str, str)
    with translation.override(language):
        partner = ticket.partner
        return {
            "reference": ref(ticket.reference),
            "subject": ticket.subject,
            "description": ticket.description,
            "category": ticket.category.name,
            "section": ticket.section.name,
            "directorate": ticket.section.directorate.name,
            "partner": partner.name if partner else "",
            "follow_up": partner.follow_up(language) if partner else "",
            "note": note,
            "code": ltr(code) if code else "",
            "status": str(ticket.get_status_display()),
            "due": _moment(ticket.resolution_due),
            "resolved": _moment(ticket.resolved_at),
            "address": ticket.address,
            "citizen_name": ticket.contact.name,
            "citizen_phone": ltr(ticket.contact.phone),
            "status_url": url(_url("public_status", [], "/")),
            "ticket_url": url(
                _url("ticket_detail", [ticket.pk], f"/admin/helpdesk/ticket/{ticket.pk}/change/")
            ),
        }


def _edited_words(event_key: str, channel: str, language: str) -> tuple[str, str] | None:
    for candidate in (channel, _FALLBACK_CHANNEL.get(channel)):
        if candidate is None:
            continue
        row = NotificationTemplate.objects.filter(
            event_key=event_key, channel=candidate, language=language
        ).first()
        if row is not None:
            return row.subject, row.body
    return None


def _built_in_words(event_key: str, channel: str, language: str) -> tuple[str, str]:
    words = DEFAULTS[event_key][language]
    return words["subject"], words["email"] if channel in _LONG_FORM else words["sms"]


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    """Parsed once per text: a ticket's notification is written inside its transaction."""
    return Template(source)


def _fill(words: tuple[str, str], context: Context) -> Rendered:
    subject, body = words
    return Rendered(
        subject=" ".join(_compiled(subject).render(context).split()),
        body=_compiled(body).render(context).strip(),
    )


def _render_one(event_key: str, channel: str, language: str, variables: dict[str, str]) -> Rendered:
    context = Context(variables, autoescape=False)
    with translation.override(language):
        edited = _edited_words(event_key, channel, language)
        if edited is not None:
            try:
                return _fill(edited, context)
            except TemplateSyntaxError:
                # The admin form refuses broken templates; a row broken some other way
                # must still not stop a ticket from being registered.
                logger.exception("Notification template %s/%s/%s", event_key, channel, language)
        return _fill(_built_in_words(event_key, channel, language), context)


def render(
    event_key: str, *, channel: str, language: str, ticket: Ticket, note: str = "", code: str = ""
) -> Rendered:
    """The subject and text for one recipient; ``ar+en`` gives Arabic, then English.

    ``code``: a one-time code (``phone_code``), never stored with the ticket."""
    languages = ["ar", "en"] if language == "ar+en" else [language]
    parts = [
        _render_one(
            event_key,
            channel,
            lang,
            ticket_context(
                ticket,
                language=lang,
                note=note,
                code=code,
                bidi_marks=channel != NotifyChannel.FAX,
            ),
        )
        for lang in languages
    ]
    separator = "\n\n————————————\n\n" if channel in _LONG_FORM else "\n"
    return Rendered(
        subject=" | ".join(p.subject for p in parts),
        body=separator.join(p.body for p in parts),
    )
