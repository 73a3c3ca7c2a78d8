"""Citizens: found by their channel identity or phone, created when new."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk.errors import InvalidInput
from helpdesk.inbound import SenderIdentity
from helpdesk.models import Channel, Contact, ContactIdentity
from helpdesk.phones import normalize_phone

# Channels whose identity is the phone number itself: writing from it proves it.
_PHONE_CHANNELS = {Channel.SMS}


def phone_or_error(raw: str) -> str:
    """E.164 for ``raw`` or an ``InvalidInput`` carrying the validator's message."""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="invalid_phone") from None


def phone_verified(phone: str) -> bool:
    """Whether ``phone`` was shown to be a citizen's (on any contact with that number)."""
    return bool(phone) and (
        Contact.objects.filter(phone=phone, phone_verified_at__isnull=False).exists()
    )


def phone_verified_mark(phone: str, *, now: datetime.datetime | None = None) -> int:
    """Record that ``phone`` is proven; returns how many contacts were not yet verified."""
    if not phone:
        return 0
    return Contact.objects.filter(phone=phone, phone_verified_at__isnull=True).update(
        phone_verified_at=now or timezone.now()
    )


@transaction.atomic
def contact_for_identity(*, channel: str, sender: SenderIdentity) -> Contact:
    """The contact behind a channel identity, created on first contact."""
    if sender.external_id:
        identity = (
            ContactIdentity.objects.select_related("contact")
            .filter(channel=channel, external_id=sender.external_id)
            .first()
        )
        if identity is not None:
            return identity.contact
    contact = Contact.objects.create(
        name=sender.display_name or sender.handle,
        phone=phone_or_error(sender.phone) if sender.phone else "",
        email=sender.email,
        language=sender.language if sender.language in ("ar", "en") else "ar",
        phone_verified_at=timezone.now() if sender.phone and channel in _PHONE_CHANNELS else None,
    )
    if sender.external_id:
        try:
            with transaction.atomic():
                ContactIdentity.objects.create(
                    contact=contact,
                    channel=channel,
                    external_id=sender.external_id,
                    handle=sender.handle,
                    display_name=sender.display_name,
                )
        except IntegrityError:
            # Another process registered the same identity a moment ago: use theirs.
            contact.delete()
            return ContactIdentity.objects.get(
                channel=channel, external_id=sender.external_id
            ).contact
    return contact


def contact_create(
    *,
    name: str,
    phone: str = "",
    email: str = "",
    language: str = "ar",
    preferred_channel: str = "sms",
) -> Contact:
    return Contact.objects.create(
        name=name.strip(),
        phone=phone_or_error(phone) if phone else "",
        email=email.strip(),
        language=language if language in ("ar", "en") else "ar",
        preferred_channel=preferred_channel,
    )


def contact_update(
    contact: Contact,
    *,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    language: str | None = None,
) -> Contact:
    if name is not None:
        contact.name = name.strip()
    if phone is not None:
        new_phone = phone_or_error(phone) if phone else ""
        if new_phone != contact.phone:
            # Another number is not proven by the old one's proof.
            contact.phone, contact.phone_verified_at = new_phone, None
    if email is not None:
        contact.email = email.strip()
    if language in ("ar", "en"):
        contact.language = language
    contact.save()
    return contact
