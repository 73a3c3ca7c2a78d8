"""Bearer tokens for partner agencies' systems: issued once, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import InvalidInput
from helpdesk.models import PartnerApiToken, Role

TOKEN_PREFIX = "ndp_"  # noqa: S105 - a public marker that makes tokens recognisable


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def partner_token_issue(*, user: Any, name: str = "") -> tuple[PartnerApiToken, str]:
    """A new token for a partner user; the raw token is returned here and never again."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.role != Role.PARTNER or profile.partner_id is None:
        raise InvalidInput(_("API tokens are issued to partner users only."), code="not_partner")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PartnerApiToken.objects.create(
        user=user, name=name[:100], token_hash=_digest(raw), prefix=raw[:12]
    )
    return token, raw


def partner_token_authenticate(raw: str) -> Any | None:
    """The active partner user holding ``raw``, or ``None``."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        PartnerApiToken.objects.select_related("user__profile__partner")
        .filter(token_hash=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    partner = token.user.profile.partner
    if partner is None or not partner.api_enabled or not partner.is_active:
        return None
    PartnerApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def partner_token_revoke(*, token: PartnerApiToken) -> None:
    PartnerApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
