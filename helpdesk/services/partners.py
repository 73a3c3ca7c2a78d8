"""A partner agency's link to its own system: where its callbacks go and how they are signed."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk.errors import InvalidInput, NotInScope
from helpdesk.models import Partner, Role
from helpdesk.roles import Actor

_NOT_CALLBACK_FIELDS = [
    f.name for f in Partner._meta.fields if f.name not in ("callback_url", "callback_secret")
]


def partner_callback_configure(
    *, partner: Partner, actor: Actor, url: str, secret: str = "", new_secret: bool = False
) -> str:
    """Set (or, with an empty URL, switch off) the partner's callback.

    ``secret`` replaces the signing secret when given; ``new_secret`` (or a URL
    without any secret yet) makes one. Returns the secret when one was made —
    the only time it is shown — else ``""``.
    """
    mine = actor.role == Role.PARTNER and actor.user.profile.partner_id == partner.pk
    if not (mine or actor.role == Role.ADMINISTRATOR):
        raise NotInScope(_("You may only change your own agency's callback."))
    url, secret = url.strip(), secret.strip()
    made = ""
    with transaction.atomic():
        locked = Partner.objects.select_for_update().get(pk=partner.pk)
        locked.callback_url = url
        if secret:
            locked.callback_secret = secret
        elif new_secret or (url and not locked.callback_secret):
            made = locked.callback_secret = secrets.token_urlsafe(32)
        try:
            locked.clean_fields(exclude=_NOT_CALLBACK_FIELDS)
        except ValidationError as exc:
            field, problems = next(iter(exc.message_dict.items()))
            raise InvalidInput(" ".join(problems), code=f"invalid_{field}") from None
        locked.save(update_fields=["callback_url", "callback_secret"])
    partner.refresh_from_db()
    return made
