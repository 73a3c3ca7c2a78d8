"""Getting one outbox row to its recipient exactly once, and what the gateway reports back.

The worker's task (:mod:`helpdesk.notify.tasks`) calls :func:`notification_deliver`:
it locks the row, checks its status, takes a lease and only then talks to the
outside world through the row's transport. A temporary failure puts the row back
to ``queued`` with its next attempt time (the task enqueues that attempt); a
permanent one marks it failed with the reason; a worker that dies mid-send leaves
a ``sending`` row whose lease runs out, and the sweep queues it again. The gateway
gets the idempotency key as its client reference, so a resend after such a crash
is recognised there instead of reaching the citizen twice.

Below this module are only the transports, the conversation service and the
models: nothing here decides who is told what (``helpdesk.services.notifications``).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import Notification, NotificationStatus, TicketEvent, TicketEventKind
from helpdesk.notify.transports import TransportError, transport_for
from helpdesk.roles import SYSTEM_ROLE
from helpdesk.services.conversations import system_event_record

logger = logging.getLogger(__name__)

Status = NotificationStatus


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
    """Send one notification unless it is already sent, failed or in another worker's hands.

    Returns ``sent``, ``retry`` (the row is queued again for its ``next_attempt_at``),
    ``failed``, or why nothing was done (``leased``, ``missing``, ``superseded``).
    """
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
            logger.info(
                "Notification %s will be retried at %s: %s",
                locked.pk,
                locked.next_attempt_at,
                error.message,
            )
        locked.save()
    return "failed" if locked.status == Status.FAILED else "retry"


def _failure_tell_the_agent(entry: Notification, error: TransportError) -> None:
    """A message to the citizen's channel that will not arrive is said so in its conversation."""
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


# ---- what the gateway reports back --------------------------------------------------------

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
