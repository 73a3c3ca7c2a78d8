"""Need to know: which parts of a ticket each role sees, decided in one place.

Pages, the REST API and the timeline ask :func:`ticket_fields_for` and show
only what it allows; which *tickets* a role reaches is the scope's business
(``helpdesk.selectors.tickets.ticket_list_visible_to``), not this module's.

- Partner agencies see the ticket's public description, location and photos,
  what the municipality chose to share with them (public notes and the note it
  forwarded the ticket with) and their own agency's answers — not the citizen's
  name or number, not internal notes, not the chat transcript, not the SMS log.
- Section staff see the transcript only when the ticket came from a
  conversation, and only the messages the citizen saw (no internal notes, no
  system events).
- The Ministry of Tourism's officials (read only, tourism tickets only) see
  what the visitor said and was told and the public history — not the
  visitor's name or number, not internal notes, not the SMS log.
- Agents, dispatchers, supervisors and administrators see everything.
- A role this module does not name sees the least (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from helpdesk.models import Message, Role, SenderKind, TicketEvent, TicketStatus

Transcript = Literal["all", "citizen_visible", "none"]
CITIZEN_VISIBLE_SENDERS = (SenderKind.CITIZEN, SenderKind.AGENT, SenderKind.BOT)


@dataclass(frozen=True)
class TicketFields:
    contact: bool  # the citizen's name, number and e-mail
    internal_events: bool  # internal notes, classification changes, reminders
    transcript: Transcript
    notifications: bool  # the SMS / e-mail / fax log
    conversation_uploads: bool  # files sent in the chat (the ticket's own photos are public)


EVERYTHING = TicketFields(
    contact=True,
    internal_events=True,
    transcript="all",
    notifications=True,
    conversation_uploads=True,
)
SECTION_FIELDS = TicketFields(
    contact=True,
    internal_events=True,
    transcript="citizen_visible",
    notifications=True,
    conversation_uploads=True,
)
PARTNER_FIELDS = TicketFields(
    contact=False,
    internal_events=False,
    transcript="none",
    notifications=False,
    conversation_uploads=False,
)

TOURISM_OFFICIAL_FIELDS = TicketFields(
    contact=False,
    internal_events=False,
    transcript="citizen_visible",
    notifications=False,
    conversation_uploads=True,
)

_FIELDS_FOR_ROLE: dict[str, TicketFields] = {
    Role.AGENT: EVERYTHING,
    Role.DISPATCHER: EVERYTHING,
    Role.SUPERVISOR: EVERYTHING,
    Role.ADMINISTRATOR: EVERYTHING,
    Role.SECTION_STAFF: SECTION_FIELDS,
    Role.PARTNER: PARTNER_FIELDS,
    Role.TOURISM_OFFICIAL: TOURISM_OFFICIAL_FIELDS,
}


def ticket_fields_for(role: str) -> TicketFields:
    return _FIELDS_FOR_ROLE.get(role, PARTNER_FIELDS)


def event_visible(event: TicketEvent, fields: TicketFields) -> bool:
    """An event of the ticket's history, as ``fields`` allows it."""
    if fields.internal_events or event.is_public:
        return True
    # Shared with the partner: the note the ticket was forwarded with, and its own answers.
    return event.to_status == TicketStatus.FORWARDED_EXTERNAL or event.actor_role == Role.PARTNER


def message_visible(message: Message, fields: TicketFields) -> bool:
    if fields.transcript == "all":
        return True
    if fields.transcript == "none":
        return False
    return not message.is_internal and message.sender_kind in CITIZEN_VISIBLE_SENDERS
