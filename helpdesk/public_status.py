"""The citizen's status look-up, shared by the status page, the API and the bot.

Attempts are counted per client address AND per reference before anything is
looked up, so neither spraying references from one address nor guessing one
reference's digits from many addresses gets far. Unknown and mismatched input
give the same ``None``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from helpdesk import ratelimit
from helpdesk.errors import RateLimited
from helpdesk.payloads import ticket_public_payload
from helpdesk.references import parse_reference
from helpdesk.selectors import ticket_public_lookup

PER_ADDRESS = ratelimit.Limit("status-address", count=10, seconds=600)
PER_REFERENCE = ratelimit.Limit("status-reference", count=5, seconds=600)


def public_status_check(
    *, reference: str, phone_last_digits: str, client_address: str
) -> dict[str, Any] | None:
    """The public payload of the matching ticket, ``None`` if nothing matches.

    Raises ``RateLimited`` once the address or the reference has had too many tries.
    """
    reference_key = parse_reference(reference) or reference.strip().upper()[:40] or "-"
    address_ok = ratelimit.hit(PER_ADDRESS, client_address or "unknown")
    reference_ok = ratelimit.hit(PER_REFERENCE, reference_key)
    if not (address_ok and reference_ok):
        raise RateLimited(_("Too many attempts. Please wait a few minutes and try again."))
    ticket = ticket_public_lookup(reference=reference, phone_last_digits=phone_last_digits)
    return None if ticket is None else ticket_public_payload(ticket)


def not_found_message() -> str:
    """The one answer for an unknown reference and for wrong digits alike."""
    return _("We found no ticket with this number and these digits. Check both and try again.")
