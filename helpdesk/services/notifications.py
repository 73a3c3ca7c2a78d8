"""Who is told what, on which channel: the decisions, written to the one outbox.

Everything that leaves Nidaa is a ``Notification`` row: SMS, e-mail and fax,
ticket notifications in the citizen's own conversation, staff replies on X and
Facebook (queued by the social adapter through :func:`outbox_message_queue`) and
by SMS (:func:`sms_reply_queue`).

A lifecycle event becomes ``Notification`` rows inside the event's transaction
(so a rolled-back change tells no one), its words rendered then; each row is
handed to the durable queue after commit. Getting it there exactly once —
leases, retries, the sweep — is ``helpdesk.notify``'s work (``tasks`` →
``delivery`` → ``transports``), which never calls back into this module.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk import adapters, partner_callbacks, ratelimit
from helpdesk.models import (
    Channel,
    Contact,
    ConversationState,
    Message,
    Notification,
    NotificationEvent,
    NotificationLanguage,
    NotificationTemplate,
    Partner,
    Role,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.models.notifications import PARTNER_CALLBACK, REPLY
from helpdesk.models.people import NotifyChannel
from helpdesk.notify.defaults import DEFAULTS
from helpdesk.notify.rendering import Rendered, render
from helpdesk.notify.segments import sms_size
from helpdesk.notify.tasks import notification_enqueue
from helpdesk.phones import is_mobile
from helpdesk.services.contacts import phone_verified

logger = logging.getLogger(__name__)

# What the citizen hears after each lifecycle action (TicketEvent.data["action"]).
CITIZEN_MESSAGES: dict[str, str] = {
    "register": NotificationEvent.TICKET_REGISTERED,
    "dispatch": NotificationEvent.FORWARDED_TO_SECTION,
    "forward_external": NotificationEvent.FORWARDED_TO_PARTNER,
    "resolve": NotificationEvent.RESOLVED,
    "partner_resolve": NotificationEvent.RESOLVED,
    "close": NotificationEvent.CLOSED,
}
# SMS to one number per day, whoever typed it: a ticket's whole life (registered,
# forwarded, solved, closed) is four, so an honest citizen with three tickets a day
# never meets it, while a number typed in someone else's reports stops being texted.
SMS_PER_NUMBER = ratelimit.Limit("sms-number", count=12, seconds=86400)
# The actions whose event note the citizen may read in the message.
_NOTE_IS_FOR_THE_CITIZEN = {"resolve", "partner_resolve"}


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


# ---- planning: who gets what ------------------------------------------------------------


def _conversation_route(ticket: Ticket) -> Route | None:
    conversation = ticket.conversation
    if conversation is None:
        return None
    adapter = adapters.adapter_for(conversation.channel)
    if adapter is None or not adapter.is_reachable(conversation):
        return None
    # A platform thread that ended is not written to again; a web chat is kept for the
    # citizen to come back to (``keeps_closed_conversations``).
    if conversation.state == ConversationState.CLOSED and not getattr(
        adapter, "keeps_closed_conversations", False
    ):
        return None
    return Route(NotifyChannel.CONVERSATION, f"{conversation.channel}:{conversation.public_id}")


def _sms_capable(phone: str) -> bool:
    try:
        return bool(phone) and is_mobile(phone)
    except Exception:  # phonenumbers rejects what it cannot parse
        return False


def _sms_allowed(phone: str) -> bool:
    """A mobile number proven to be the citizen's (helpdesk.services.verification): a
    number typed in a form is not texted until its owner confirms it with a code."""
    if not _sms_capable(phone):
        return False
    if phone_verified(phone):
        return True
    logger.info("SMS to %s held: the number is not verified", phone)
    return False


def citizen_route(contact: Contact, ticket: Ticket) -> Route | None:
    """The citizen's preferred channel if it can reach them now, else SMS, else e-mail.

    SMS only to a verified number; the messages held meanwhile are sent by
    :func:`held_notifications_release` once it is verified."""
    candidates: dict[str, Route | None] = {
        NotifyChannel.SMS: Route(NotifyChannel.SMS, contact.phone)
        if _sms_allowed(contact.phone)
        else None,
        NotifyChannel.EMAIL: Route(NotifyChannel.EMAIL, contact.email) if contact.email else None,
        NotifyChannel.FAX: Route(NotifyChannel.FAX, contact.fax) if contact.fax else None,
    }
    if contact.preferred_channel == NotifyChannel.CONVERSATION:
        route = _conversation_route(ticket)
        if route is not None:
            return route
    for channel in (contact.preferred_channel, NotifyChannel.SMS, NotifyChannel.EMAIL):
        route = candidates.get(channel)
        if route is not None:
            return route
    return None


def _sms_within_limit(route: Route | None) -> bool:
    """Counts one SMS to the route's number; ``False`` once the number had its day's
    share (a number typed by someone else is not texted without end)."""
    if route is None or route.channel != NotifyChannel.SMS:
        return True
    if ratelimit.hit(SMS_PER_NUMBER, route.recipient):
        return True
    logger.warning("SMS to %s skipped: the number's daily limit is reached", route.recipient)
    return False


def citizen_routes(contact: Contact, ticket: Ticket) -> list[Route]:
    """:func:`citizen_route`; for a ticket from a web chat also the chat itself (where the
    citizen comes back with the same token) and the e-mail address when one was given.
    An SMS beyond the number's daily limit (``SMS_PER_NUMBER``) is not sent."""
    first = citizen_route(contact, ticket)
    routes = [first] if first is not None and _sms_within_limit(first) else []
    conversation = ticket.conversation
    if conversation is None or conversation.channel != Channel.WEBCHAT:
        return routes
    chat = _conversation_route(ticket)
    if chat is not None and chat not in routes:
        routes.insert(0, chat)
    email = Route(NotifyChannel.EMAIL, contact.email) if contact.email else None
    if email is not None and email not in routes:
        routes.append(email)
    return routes


def partner_routes(partner: Partner) -> list[Route]:
    routes = []
    if partner.email:
        routes.append(Route(NotifyChannel.EMAIL, partner.email))
    if partner.sms_number:
        routes.append(Route(NotifyChannel.SMS, partner.sms_number))
    return routes


def notification_queue(
    *,
    ticket: Ticket,
    template_key: str,
    route: Route,
    language: str,
    source: str,
    note: str = "",
    event: TicketEvent | None = None,
    contact: Contact | None = None,
    partner: Partner | None = None,
    rendered: Rendered | None = None,
) -> Notification:
    """Store one outgoing message (once per source, channel and recipient); send after commit.

    ``rendered``: the words when they come from no template (a partner callback's JSON).
    """
    key = f"{source}:{route.channel}:{route.recipient}"
    existing = Notification.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if rendered is None:
        rendered = render(
            template_key, channel=route.channel, language=language, ticket=ticket, note=note
        )
    size = sms_size(rendered.body) if route.channel == NotifyChannel.SMS else None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                ticket=ticket,
                event=event,
                contact=contact,
                partner=partner,
                template_key=template_key,
                channel=route.channel,
                recipient=route.recipient,
                language=language,
                subject=rendered.subject[:300],
                body=rendered.body,
                idempotency_key=key,
                sms_encoding=size.encoding if size else "",
                sms_parts=size.parts if size else None,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key)
    transaction.on_commit(lambda: notification_enqueue(notification.pk), robust=True)
    return notification


def ticket_event_notify(event: TicketEvent) -> list[Notification]:
    """The messages a lifecycle event causes: to the citizen, and to a partner agency."""
    if event.kind != TicketEventKind.TRANSITION:
        return []
    action = str(event.data.get("action", ""))
    template_key = CITIZEN_MESSAGES.get(action)
    if template_key is None:
        return []
    ticket = Ticket.objects.select_related(
        "contact", "category", "section__directorate", "partner", "conversation"
    ).get(pk=event.ticket_id)
    source = f"ticket-event:{event.pk}"
    note = event.note if action in _NOTE_IS_FOR_THE_CITIZEN else ""
    sent: list[Notification] = []
    for route in citizen_routes(ticket.contact, ticket):
        sent.append(
            notification_queue(
                ticket=ticket,
                template_key=template_key,
                route=route,
                language=ticket.contact.language,
                source=source,
                note=note,
                event=event,
                contact=ticket.contact,
            )
        )
    if action == "forward_external" and ticket.partner is not None:
        for partner_route in partner_routes(ticket.partner):
            sent.append(
                notification_queue(
                    ticket=ticket,
                    template_key=NotificationEvent.PARTNER_CASE,
                    route=partner_route,
                    # E-mail carries both languages; an SMS stays short, in Arabic.
                    language=(
                        NotificationLanguage.BILINGUAL
                        if partner_route.channel == NotifyChannel.EMAIL
                        else NotificationLanguage.ARABIC
                    ),
                    source=source,
                    note=event.note,
                    event=event,
                    partner=ticket.partner,
                )
            )
    return sent


def held_notifications_release(phone: str) -> list[Notification]:
    """After ``phone`` is verified: the latest message of each of its open tickets, which
    was held (never twice: :func:`notification_queue` keeps one per event and recipient)."""
    released: list[Notification] = []
    tickets = Ticket.objects.filter(contact__phone=phone).exclude(status=TicketStatus.CLOSED)
    for ticket in tickets:
        latest = (
            TicketEvent.objects.filter(
                ticket=ticket,
                kind=TicketEventKind.TRANSITION,
                data__action__in=list(CITIZEN_MESSAGES),
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is not None:
            released.extend(
                n
                for n in ticket_event_notify(latest)
                if n.channel == NotifyChannel.SMS and n.recipient == phone
            )
    return released


def partner_callback_queue(event: TicketEvent) -> Notification | None:
    """Tell the partner's system about a change of a ticket forwarded to it (if it listens).

    Called wherever a ticket event is recorded, inside its transaction: the
    callback exists if and only if the change committed.
    """
    if event.kind not in partner_callbacks.TOLD_KINDS:
        return None
    ticket = (
        Ticket.objects.select_related("contact", "category", "section__directorate", "partner")
        .filter(pk=event.ticket_id, partner__isnull=False)
        .first()
    )
    partner = ticket.partner if ticket is not None else None
    if ticket is None or partner is None or not partner.callback_url:
        return None
    return notification_queue(
        ticket=ticket,
        template_key=PARTNER_CALLBACK,
        route=Route(PARTNER_CALLBACK, partner.code),
        language=NotificationLanguage.BILINGUAL,
        source=f"ticket-event:{event.pk}",
        event=event,
        partner=partner,
        rendered=Rendered(
            subject=partner_callbacks.event_type(event),
            body=partner_callbacks.callback_body(event, ticket),
        ),
    )


def staff_emails(*, roles: Iterable[str] = (), section_id: int | None = None) -> list[str]:
    """E-mail addresses of active staff holding ``roles`` or working in a section."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if section_id is not None:
        users = users.filter(profile__role=Role.SECTION_STAFF, profile__sections=section_id)
    else:
        users = users.filter(profile__role__in=list(roles))
    return sorted(set(users.values_list("email", flat=True)))


def _message_queue(
    *, message: Message, channel: str, recipient: str, target: str = ""
) -> Notification:
    """One outbox row per conversation message, however often it is queued; sent after commit."""
    conversation = message.conversation
    key = f"message:{message.pk}"
    size = sms_size(message.text) if channel == NotifyChannel.SMS else None
    try:
        with transaction.atomic():
            entry, created = Notification.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "message": message,
                    "template_key": REPLY,
                    "channel": channel,
                    "recipient": recipient,
                    "language": conversation.language
                    if conversation.language
                    in (NotificationLanguage.ARABIC, NotificationLanguage.ENGLISH)
                    else NotificationLanguage.ARABIC,
                    "body": message.text,
                    "target": target[:200],
                    "sms_encoding": size.encoding if size else "",
                    "sms_parts": size.parts if size else None,
                    "next_attempt_at": timezone.now(),
                },
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key)
    if created:
        transaction.on_commit(lambda: notification_enqueue(entry.pk), robust=True)
    return entry


def outbox_message_queue(*, message: Message, target: str) -> Notification:
    """Queue a conversation message for an adapter that sends it to an outside platform.

    Called by the adapter's ``deliver`` after the message committed; one row
    per message, however often it is called.
    """
    conversation = message.conversation
    return _message_queue(
        message=message,
        channel=NotifyChannel.CONVERSATION,
        recipient=f"{conversation.channel}:{conversation.public_id}",
        target=target,
    )


def sms_reply_queue(*, message: Message, phone: str) -> Notification:
    """Queue a staff message of an SMS conversation as a text to the citizen's number.

    The citizen wrote from this number, so the daily limit on texts to a number
    (``SMS_PER_NUMBER``, against numbers typed in someone else's report) does not
    apply: an agent answering is never cut off.
    """
    return _message_queue(message=message, channel=NotifyChannel.SMS, recipient=phone)


def notification_templates_seed() -> int:
    """Copy the built-in words into editable rows; rows that already exist stay as edited."""
    created = 0
    for event_key, languages in DEFAULTS.items():
        for language, words in languages.items():
            for channel, body in (
                (NotifyChannel.SMS, words["sms"]),
                (NotifyChannel.EMAIL, words["email"]),
            ):
                _row, made = NotificationTemplate.objects.get_or_create(
                    event_key=event_key,
                    channel=channel,
                    language=language,
                    defaults={"subject": words["subject"], "body": body},
                )
                created += int(made)
    return created
