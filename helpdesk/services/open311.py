"""Open311 GeoReport v2 writes: API keys for outside apps, and requests filed through them.

A request is a portal report from another door: it goes through
``portal_report_submit`` (the same checks, the same registration, the same SMS
with the reference) on the mobile-app channel, and the ticket's reference is
the ``service_request_id``.
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import InvalidInput
from helpdesk.media import Photo
from helpdesk.models import Attachment, Category, Channel, Open311ApiKey, Open311Request
from helpdesk.services.intake import portal_report_submit

KEY_PREFIX = "o311_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open311_key_issue(*, name: str) -> tuple[Open311ApiKey, str]:
    """A new key; the raw key is returned here and never again."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Name who will use the key."), code="missing_name")
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = Open311ApiKey.objects.create(name=name[:100], key_hash=_digest(raw), prefix=raw[:12])
    return key, raw


def open311_key_authenticate(raw: str) -> Open311ApiKey | None:
    """The unrevoked key ``raw`` is, or ``None``."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = Open311ApiKey.objects.filter(key_hash=_digest(raw), revoked_at__isnull=True).first()
    if key is not None:
        Open311ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def open311_key_revoke(*, key: Open311ApiKey) -> None:
    Open311ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _checked_media_url(media_url: str) -> str:
    media_url = media_url.strip()
    if not media_url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        raise InvalidInput(_("media_url is not a web address."), code="invalid_media_url") from None
    if len(media_url) > 1000:
        raise InvalidInput(_("media_url is too long."), code="invalid_media_url")
    return media_url


def open311_request_submit(
    *,
    api_key: Open311ApiKey,
    category: Category,
    description: str,
    phone: str,
    first_name: str = "",
    last_name: str = "",
    email_address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    media_url: str = "",
    photo: Photo | None = None,
    device_id: str = "",
    account_id: str = "",
    language: str = "ar",
) -> Open311Request:
    """File a citizen's report from an Open311 client; the ticket is registered at once.

    ``media_url`` is kept as a link (never fetched by the server); an uploaded
    ``photo`` is checked and stored like the portal form's.
    """
    media_url = _checked_media_url(media_url)
    email_address = email_address.strip()
    if email_address:
        try:
            validate_email(email_address)
        except ValidationError:
            raise InvalidInput(
                _("The e-mail address is not valid."), code="invalid_email"
            ) from None
    with transaction.atomic():
        ticket = portal_report_submit(
            category=category,
            description=description,
            phone=phone,
            name=f"{first_name.strip()} {last_name.strip()}".strip(),
            email_address=email_address,
            address=address,
            latitude=latitude,
            longitude=longitude,
            photo=photo,
            language=language,
            channel=Channel.MOBILE_APP,
        )
        if media_url:
            Attachment.objects.create(
                ticket=ticket,
                external_url=media_url,
                original_name=media_url[:255],
                content_type="",
                size=0,
                sha256="",
                purpose="evidence",
            )
        return Open311Request.objects.create(
            ticket=ticket,
            api_key=api_key,
            token=secrets.token_urlsafe(24),
            device_id=device_id.strip()[:100],
            account_id=account_id.strip()[:100],
            media_url=media_url,
        )
