"""Citizens: found by their channel identity or phone, created when new."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from helpdesk.errors import InvalidInput
from helpdesk.inbound import SenderIdentity
from helpdesk.models import Contact, ContactIdentity
from helpdesk.phones import normalize_phone


def phone_or_error(raw: str) -> str:
    """E.164 for ``raw`` or an ``InvalidInput`` carrying the validator's message."""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="invalid_phone") from None


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
        contact.phone = phone_or_error(phone) if phone else ""
    if email is not None:
        contact.email = email.strip()
    if language in ("ar", "en"):
        contact.language = language
    contact.save()
    return contact
