"""What the second and third lines do with a ticket, beyond a bare status change."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk.errors import InvalidInput
from helpdesk.media import image_store
from helpdesk.models import Ticket, TicketEvent, TicketEventKind, TicketStatus
from helpdesk.roles import Actor
from helpdesk.services.intake import Photo
from helpdesk.services.notifications import partner_callback_queue
from helpdesk.services.tickets import ensure_in_scope, ticket_note_add, ticket_transition

MAX_PHOTOS_PER_SIDE = 4

CALL_REACHED = "reached"
CALL_NO_ANSWER = "no_answer"


def ticket_resolve(
    *,
    ticket: Ticket,
    actor: Actor,
    public_reply: str,
    internal_note: str = "",
    before: Sequence[Photo] = (),
    after: Sequence[Photo] = (),
) -> TicketEvent:
    """Tier 3 solves: the public reply, an internal note and before/after photos, at once.

    One transaction: a refused photo leaves the ticket as it was.
    """
    if len(before) > MAX_PHOTOS_PER_SIDE or len(after) > MAX_PHOTOS_PER_SIDE:
        raise InvalidInput(
            _("At most %(n)d photos before and %(n)d after.") % {"n": MAX_PHOTOS_PER_SIDE},
            code="too_many_photos",
        )
    with transaction.atomic():
        event = ticket_transition(ticket=ticket, action="resolve", actor=actor, note=public_reply)
        for purpose, photos in (("before", before), ("after", after)):
            for photo in photos:
                image_store(photo.content, filename=photo.filename, purpose=purpose, ticket=ticket)
        if internal_note.strip():
            ticket_note_add(ticket=ticket, actor=actor, note=internal_note, public=False)
    return event


def ticket_callback_log(
    *, ticket: Ticket, actor: Actor, outcome: str, note: str, close: bool = True
) -> Ticket:
    """Tier 2 called the citizen back about a solved ticket.

    Reached: ``notify_citizen`` with the call's outcome, then (by default) close.
    Not reached: the attempt is recorded and the ticket keeps waiting for a call.
    """
    note = note.strip()
    if not note:
        raise InvalidInput(_("Write what was said on the call."), code="missing_note")
    with transaction.atomic():
        if outcome == CALL_REACHED:
            ticket_transition(
                ticket=ticket,
                action="notify_citizen",
                actor=actor,
                note=note,
                data={"outcome": outcome},
            )
            if close:
                ticket_transition(ticket=ticket, action="close", actor=actor)
        elif outcome == CALL_NO_ANSWER:
            ensure_in_scope(ticket, actor)
            if ticket.status != TicketStatus.RESOLVED:
                raise InvalidInput(
                    _("Only a resolved ticket waits for a call-back."), code="not_resolved"
                )
            attempt = TicketEvent.objects.create(
                ticket=ticket,
                kind=TicketEventKind.CALLBACK,
                actor=actor.user,
                actor_role=actor.role,
                note=note,
                data={"outcome": outcome},
            )
            partner_callback_queue(attempt)
        else:
            raise InvalidInput(_("Choose the outcome of the call."), code="invalid_outcome")
    ticket.refresh_from_db()
    return ticket
