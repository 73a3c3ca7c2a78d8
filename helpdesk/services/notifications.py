"""Who is told what, on which channel — and getting it there exactly once: the one outbox.

Everything that leaves Nidaa is a ``Notification`` row sent by this worker
path: SMS, e-mail and fax, ticket notifications in the citizen's own
conversation, and staff replies on X and Facebook (queued by the social
adapter through :func:`outbox_message_queue`).

A lifecycle event becomes ``Notification`` rows inside the event's
transaction (so a rolled-back change tells no one); a durable task is enqueued
after commit. The task locks the row, checks its status, takes a lease and
only then talks to the outside world. A temporary failure re-queues the row
with exponential backoff; a permanent one marks it failed with the reason; a
worker that dies mid-send leaves a ``sending`` row whose lease runs out, and
the scheduler's :func:`notification_sweep` queues it again. The gateway gets
the idempotency key as its client reference, so a resend after such a crash
is recognised there instead of reaching the citizen twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from helpdesk import adapters, partner_callbacks, ratelimit
from helpdesk.models import (
    Channel,
    Contact,
    ConversationState,
    InboundSms,
    Message,
    Notification,
    NotificationEvent,
    NotificationLanguage,
    NotificationStatus,
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
from helpdesk.notify.tasks import notification_send
from helpdesk.notify.transports import TransportError, transport_for
from helpdesk.phones import is_mobile, normalize_phone
from helpdesk.references import parse_reference
from helpdesk.roles import SYSTEM_ROLE
from helpdesk.services.contacts import phone_verified, phone_verified_mark

logger = logging.getLogger(__name__)

Status = NotificationStatus

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


def outbox_message_queue(*, message: Message, target: str) -> Notification:
    """Queue a conversation message for an adapter that sends it to an outside platform.

    Called by the adapter's ``deliver`` after the message committed; one row
    per message, however often it is called.
    """
    conversation = message.conversation
    key = f"message:{message.pk}"
    try:
        with transaction.atomic():
            entry, created = Notification.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "message": message,
                    "template_key": REPLY,
                    "channel": NotifyChannel.CONVERSATION,
                    "recipient": f"{conversation.channel}:{conversation.public_id}",
                    "language": conversation.language
                    if conversation.language
                    in (NotificationLanguage.ARABIC, NotificationLanguage.ENGLISH)
                    else NotificationLanguage.ARABIC,
                    "body": message.text,
                    "target": target[:200],
                    "next_attempt_at": timezone.now(),
                },
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key)
    if created:
        transaction.on_commit(lambda: notification_enqueue(entry.pk), robust=True)
    return entry


# ---- sending ------------------------------------------------------------------------------


def notification_enqueue(
    notification_id: int, *, run_after: datetime.datetime | None = None
) -> None:
    """Hand the row to the durable queue; if that fails, the sweep will try again."""
    task = notification_send.using(run_after=run_after) if run_after else notification_send
    try:
        result = task.enqueue(notification_id)
    except Exception:
        logger.exception("Could not enqueue notification %s; the sweep will retry", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(task_id=str(result.id))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    seconds = settings.NIDAA_NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.NIDAA_NOTIFY_RETRY_MAX_SECONDS))


def _claim(notification_id: int, now: datetime.datetime) -> Notification | str:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return "missing"
        if notification.status in (Status.SENT, Status.FAILED):
            return str(notification.status)
        if notification.status == Status.SENDING and (
            notification.lease_until is None or notification.lease_until > now
        ):
            return "leased"
        notification.status = Status.SENDING
        notification.attempts += 1
        notification.lease_until = now + datetime.timedelta(
            seconds=settings.NIDAA_NOTIFY_LEASE_SECONDS
        )
        notification.save(update_fields=["status", "attempts", "lease_until", "updated_at"])
        return notification


def notification_deliver(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Send one notification unless it is already sent, failed or in another worker's hands."""
    claimed = _claim(notification_id, now or timezone.now())
    if isinstance(claimed, str):
        return claimed
    try:
        provider_id = transport_for(claimed.channel).notify(claimed)
    except TransportError as exc:
        return _record_failure(claimed, exc)
    except Exception as exc:  # a bug or an unexpected library error: retry, and log it
        logger.exception("Notification %s failed unexpectedly", claimed.pk)
        return _record_failure(claimed, TransportError(f"{type(exc).__name__}: {exc}"))
    with transaction.atomic():
        updated = Notification.objects.filter(
            pk=claimed.pk, status=Status.SENDING, attempts=claimed.attempts
        ).update(
            status=Status.SENT,
            sent_at=timezone.now(),
            provider_message_id=provider_id[:200],
            lease_until=None,
            last_error="",
            updated_at=timezone.now(),
        )
        if updated and claimed.ticket_id:
            TicketEvent.objects.create(
                ticket_id=claimed.ticket_id,
                kind=TicketEventKind.NOTIFICATION,
                actor_role=SYSTEM_ROLE,
                data={
                    "notification": claimed.pk,
                    "channel": claimed.channel,
                    "template": claimed.template_key,
                    "recipient": claimed.recipient,
                },
            )
    return "sent"


def _record_failure(notification: Notification, error: TransportError) -> str:
    now = timezone.now()
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status != Status.SENDING or locked.attempts != notification.attempts:
            return "superseded"
        locked.last_error = error.message[:2000]
        locked.lease_until = None
        if error.permanent or locked.attempts >= settings.NIDAA_NOTIFY_MAX_ATTEMPTS:
            locked.status = Status.FAILED
            locked.next_attempt_at = None
            locked.failure_reason = (error.reason if error.permanent else "gave_up")[:40]
            _failure_tell_the_agent(locked, error)
            logger.warning("Notification %s failed: %s", locked.pk, error.message)
        else:
            locked.status = Status.QUEUED
            # When the platform said when (a rate limit's reset), then; otherwise back off.
            locked.next_attempt_at = (
                error.retry_at
                if error.retry_at and error.retry_at > now
                else now + retry_delay(locked.attempts)
            )
            run_after = locked.next_attempt_at
            transaction.on_commit(
                lambda: notification_enqueue(locked.pk, run_after=run_after), robust=True
            )
            logger.info(
                "Notification %s will be retried at %s: %s", locked.pk, run_after, error.message
            )
        locked.save()
    return "failed" if locked.status == Status.FAILED else "retry"


def _failure_tell_the_agent(entry: Notification, error: TransportError) -> None:
    """A message to the citizen's channel that will not arrive is said so in its conversation."""
    from helpdesk.services.conversations import system_event_record

    message = entry.message
    if message is None:
        return
    if error.permanent:
        explanation = error.explanation or _("Not sent: the platform rejected the message.")
    else:
        explanation = _("Not sent: the platform kept failing; we stopped retrying.")
    system_event_record(
        message.conversation,
        event="delivery_failed",
        data={
            "seq": message.seq,
            "reason": entry.failure_reason,
            "explanation": str(explanation),
            "attempts": entry.attempts,
            "outbox": entry.pk,
        },
    )


def _task_pending(notification: Notification) -> bool:
    if not notification.task_id:
        return False
    try:
        result = notification_send.get_result(notification.task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status == TaskResultStatus.READY


def notification_sweep(*, now: datetime.datetime | None = None) -> int:
    """Re-queue what a dead worker or a lost enqueue left behind; returns how many."""
    now = now or timezone.now()
    grace = datetime.timedelta(seconds=settings.NIDAA_NOTIFY_LEASE_SECONDS)
    count = 0
    for pk in Notification.objects.filter(status=Status.SENDING, lease_until__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            stale = Notification.objects.select_for_update().get(pk=pk)
            if stale.status != Status.SENDING or not stale.lease_until or stale.lease_until >= now:
                continue
            stale.status = Status.QUEUED
            stale.lease_until = None
            stale.next_attempt_at = now
            stale.last_error = "The worker stopped while sending; sending again."
            stale.save()
            transaction.on_commit(partial(notification_enqueue, pk), robust=True)
            count += 1
    forgotten = Notification.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now - grace)
    for notification in forgotten:
        if not _task_pending(notification):
            notification_enqueue(notification.pk)
            count += 1
    return count


# ---- what comes back from the gateway ---------------------------------------------------------

_DELIVERED = {"delivered", "delivrd", "deliv", "success", "successful"}
_UNDELIVERED = {"failed", "undeliv", "undelivered", "rejected", "rejectd", "expired", "error"}


def notification_delivery_report(
    *, provider_message_id: str = "", reference: str = "", status: str
) -> Notification | None:
    """Record a gateway's delivery report against the message it describes."""
    candidates = Notification.objects.none()
    if reference:
        candidates = Notification.objects.filter(idempotency_key=reference)
    if provider_message_id and not candidates.exists():
        candidates = Notification.objects.filter(provider_message_id=provider_message_id)
    notification = candidates.first()
    if notification is None:
        return None
    raw = status.strip().lower()
    normalised = "delivered" if raw in _DELIVERED else "undelivered" if raw in _UNDELIVERED else raw
    notification.delivery_status = normalised[:40]
    if normalised == "delivered":
        notification.delivered_at = notification.delivered_at or timezone.now()
    notification.save(update_fields=["delivery_status", "delivered_at", "updated_at"])
    return notification


def _phone_or_raw(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError:
        return raw.strip()


def _ticket_for_reply(phone: str, text: str) -> Ticket | None:
    mine = Ticket.objects.filter(contact__phone=phone)
    reference = parse_reference(text)
    if reference:
        named = mine.filter(reference=reference).first()
        if named is not None:
            return named
    return mine.exclude(status=TicketStatus.CLOSED).order_by("-created_at", "-pk").first()


def sms_inbound_receive(*, gateway_id: str, sender: str, text: str) -> InboundSms:
    """Keep a citizen's SMS (once per gateway id) and attach it to their ticket."""
    existing = InboundSms.objects.filter(gateway_id=gateway_id).first()
    if existing is not None:
        return existing
    phone = _phone_or_raw(sender)
    if phone_verified_mark(phone):
        # The citizen wrote from this number: it is theirs, and what was held goes out.
        held_notifications_release(phone)
    ticket = _ticket_for_reply(phone, text)
    contact = (
        ticket.contact
        if ticket
        else Contact.objects.filter(phone=phone).order_by("-created_at").first()
    )
    try:
        with transaction.atomic():
            inbound = InboundSms.objects.create(
                gateway_id=gateway_id[:200],
                sender=phone[:40],
                text=text,
                contact=contact,
                ticket=ticket,
            )
            if ticket is not None:
                told = TicketEvent.objects.create(
                    ticket=ticket,
                    kind=TicketEventKind.INBOUND,
                    actor_role=SYSTEM_ROLE,
                    note=text,
                    data={"channel": "sms", "from": phone, "inbound_sms": inbound.pk},
                )
                partner_callback_queue(told)
    except IntegrityError:
        return InboundSms.objects.get(gateway_id=gateway_id[:200])
    return inbound


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
