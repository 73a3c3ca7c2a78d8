"""What citizens are told about what is recorded, why and for how long (in the active language)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from helpdesk.models import DataClass
from helpdesk.privacy.retention import retention_periods


def privacy_url(*, absolute: bool = False) -> str:
    path = reverse("privacy_notice")
    return f"{settings.NIDAA_PUBLIC_URL.rstrip('/')}{path}" if absolute else path


def chat_notice() -> str:
    """One paragraph for the first message of a conversation (plain text, absolute link)."""
    days = retention_periods().get(DataClass.CHAT_TEXTS)
    kept = (
        _("Its texts are kept for %(days)d days.") % {"days": days}
        if days is not None
        else _("Its texts are kept as the privacy notice says.")
    )
    return " ".join(
        [
            _(
                "We record this conversation (your name, number, messages and files) to answer "
                "you, follow up your report and check the quality of our service."
            ),
            kept,
            _("Privacy notice: %(url)s") % {"url": privacy_url(absolute=True)},
        ]
    )
