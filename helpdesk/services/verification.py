"""Proving a mobile number is the citizen's before the municipality texts it.

A number typed in the portal, the app, the assistant's guided report or the web
chat's form may be someone else's: no ticket SMS goes to it until it is
verified (``Contact.phone_verified_at``; see ``notifications.citizen_route``).
The citizen sees the reference on the screen at once and may ask for a
6-digit code by SMS; typing it back verifies the number and sends what was
held. Numbers proven otherwise need no code: an SMS from the number, staff
logging a call, an SMS-channel identity (``helpdesk.services.contacts``).

Codes live in the cache as an HMAC, for ten minutes; a new code replaces the
last. Sending is limited per number (3 an hour, 5 a day) and per client
address; five wrong codes for a number void its code and pause it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk import ratelimit
from helpdesk.errors import InvalidInput, RateLimited
from helpdesk.models import Notification, Ticket
from helpdesk.models.notifications import NotificationEvent
from helpdesk.models.people import NotifyChannel
from helpdesk.notify.rendering import render
from helpdesk.phones import to_ascii_digits
from helpdesk.services.contacts import phone_verified, phone_verified_mark
from helpdesk.services.notifications import (
    Route,
    held_notifications_release,
    notification_queue,
)

CODE_DIGITS = 6
CODE_SECONDS = 600
CODES_PER_NUMBER_HOUR = ratelimit.Limit("phone-code-hour", count=3, seconds=3600)
CODES_PER_NUMBER_DAY = ratelimit.Limit("phone-code-day", count=5, seconds=86400)
CODES_PER_ADDRESS = ratelimit.Limit("phone-code-address", count=6, seconds=3600)
# Five wrong codes for a number void its code; a new one can be asked after the pause.
WRONG_CODES = ratelimit.Limit("phone-code-wrong", count=5, seconds=900)


def _cache_key(phone: str) -> str:
    return f"phone-code:{phone}"


def _digest(phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _phone_of(ticket: Ticket) -> str:
    phone = ticket.contact.phone if ticket.contact_id else ""
    if not phone:
        raise InvalidInput(_("This report has no mobile number."), code="no_phone")
    return phone


def _refuse_while_paused(phone: str) -> None:
    if ratelimit.spent(WRONG_CODES, phone):
        raise RateLimited(
            _("Too many wrong codes for this number. Please try again in 15 minutes."),
            code="code_paused",
        )


def phone_code_send(*, ticket: Ticket, client_address: str) -> Notification:
    """Text a new one-time code to the number of ``ticket``'s citizen (through the outbox)."""
    phone = _phone_of(ticket)
    if phone_verified(phone):
        raise InvalidInput(_("This mobile number is already verified."), code="already_verified")
    _refuse_while_paused(phone)
    limits = (
        (
            CODES_PER_ADDRESS,
            client_address,
            _("Too many codes asked from this connection. Please try again in an hour."),
        ),
        (
            CODES_PER_NUMBER_HOUR,
            phone,
            _("Too many codes sent to this number. Please try again in an hour."),
        ),
        (
            CODES_PER_NUMBER_DAY,
            phone,
            _("Too many codes sent to this number today. Please try again tomorrow."),
        ),
    )
    for limit, key, refusal in limits:
        if not ratelimit.hit(limit, key):
            raise RateLimited(refusal, code=limit.scope.replace("-", "_"))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    language = ticket.contact.language
    route = Route(NotifyChannel.SMS, phone)
    with transaction.atomic():
        notification = notification_queue(
            ticket=ticket,
            template_key=NotificationEvent.PHONE_CODE,
            route=route,
            language=language,
            source=f"phone-code:{uuid.uuid4().hex}",
            contact=ticket.contact,
            rendered=render(
                NotificationEvent.PHONE_CODE,
                channel=NotifyChannel.SMS,
                language=language,
                ticket=ticket,
                code=code,
            ),
        )
    cache.set(_cache_key(phone), _digest(phone, code), timeout=CODE_SECONDS)
    return notification


def phone_code_check(*, ticket: Ticket, code: str) -> list[Notification]:
    """Verify the number of ``ticket``'s citizen with ``code``; returns the SMS released."""
    phone = _phone_of(ticket)
    if phone_verified(phone):
        return []
    _refuse_while_paused(phone)
    typed = to_ascii_digits("".join(code.split()))
    expected = cache.get(_cache_key(phone))
    if expected is None:
        raise InvalidInput(
            _("The code has expired or was never sent. Ask for a new code."),
            code="code_expired",
        )
    if not (
        typed.isascii()
        and typed.isdigit()
        and hmac.compare_digest(str(expected), _digest(phone, typed))
    ):
        ratelimit.hit(WRONG_CODES, phone)
        if ratelimit.spent(WRONG_CODES, phone):
            cache.delete(_cache_key(phone))
            _refuse_while_paused(phone)
        raise InvalidInput(
            _("That code is not right. Check the SMS and try again."), code="bad_code"
        )
    cache.delete(_cache_key(phone))
    with transaction.atomic():
        phone_verified_mark(phone)
        return held_notifications_release(phone)
