"""Attachments are served through signed, expiring links, never by a guessable path.

A citizen's photo may show a face, a plate or a house: whoever holds the link
(the citizen's widget, a staff page that rendered it) may fetch it for a while;
nobody can list or guess others.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from helpdesk.models import Attachment

SALT = "helpdesk.attachment"
LINK_LIFETIME_SECONDS = 24 * 3600


def attachment_url(attachment: Attachment) -> str:
    token = signing.TimestampSigner(salt=SALT).sign(str(attachment.public_id))
    return reverse("attachment", kwargs={"token": token})


def attachment_from_token(token: str) -> Attachment | None:
    try:
        public_id = signing.TimestampSigner(salt=SALT).unsign(token, max_age=LINK_LIFETIME_SECONDS)
    except signing.BadSignature:
        return None
    return Attachment.objects.filter(public_id=public_id).first()
