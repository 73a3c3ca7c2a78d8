"""The citizen's status look-up, shared by the status page, the API and the bot.

Guessing the four digits must stay expensive, and nobody may lock the owner out:

- every attempt counts against the client address (``PER_ADDRESS``), whatever
  the reference: one address cannot spray;
- only *wrong* answers count against a reference, and per (reference, address)
  (``FAILED_PER_ADDRESS``): five wrong tries lock that address out of that
  reference, not anyone else;
- when a reference collects many wrong answers from many addresses
  (``FAILED_PER_REFERENCE``, someone is guessing), an address that has failed on
  it once is refused: each further guess costs the guesser a new address, while
  the owner, who has not failed from theirs, is still answered.

Unknown and mismatched input give the same ``None``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from helpdesk import ratelimit
from helpdesk.errors import RateLimited
from helpdesk.payloads import ticket_public_payload
from helpdesk.references import parse_reference
from helpdesk.selectors.tickets import ticket_public_lookup

PER_ADDRESS = ratelimit.Limit("status-address", count=10, seconds=600)
FAILED_PER_ADDRESS = ratelimit.Limit("status-failed-address", count=5, seconds=900)
FAILED_PER_REFERENCE = ratelimit.Limit("status-failed-reference", count=20, seconds=3600)


def _refused() -> RateLimited:
    return RateLimited(_("Too many attempts. Please wait a few minutes and try again."))


def public_status_check(
    *, reference: str, phone_last_digits: str, client_address: str
) -> dict[str, Any] | None:
    """The public payload of the matching ticket, ``None`` if nothing matches.

    Raises ``RateLimited`` once the address has had too many tries, or too many
    wrong ones for this reference (see the module's note).
    """
    reference_key = parse_reference(reference) or reference.strip().upper()[:40] or "-"
    address = client_address or "unknown"
    pair = f"{reference_key}:{address}"
    if not ratelimit.hit(PER_ADDRESS, address):
        raise _refused()
    failed_here = ratelimit.used(FAILED_PER_ADDRESS, pair)
    if failed_here >= FAILED_PER_ADDRESS.count:
        raise _refused()
    under_attack = ratelimit.used(FAILED_PER_REFERENCE, reference_key) >= (
        FAILED_PER_REFERENCE.count
    )
    if under_attack and failed_here:
        raise _refused()
    ticket = ticket_public_lookup(reference=reference, phone_last_digits=phone_last_digits)
    if ticket is None:
        ratelimit.hit(FAILED_PER_ADDRESS, pair)
        ratelimit.hit(FAILED_PER_REFERENCE, reference_key)
        return None
    return ticket_public_payload(ticket)


def not_found_message() -> str:
    """The one answer for an unknown reference and for wrong digits alike."""
    return _("We found no ticket with this number and these digits. Check both and try again.")
