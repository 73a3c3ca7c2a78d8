"""Retention: each class of personal data is kept for its period, then removed.

Periods are set per class in the admin (*Retention periods*); a class without
a row is kept for its default (``DEFAULT_RETENTION_DAYS``), an inactive row is
not applied. A ticket under legal hold exempts everything linked to it: its
conversation's texts, its files and its notifications.

What "removed" means per class — rows stay where reports count them:

- chat texts: message texts (and locations) of conversations closed before
  the cut-off become ``[erased]``, as do satisfaction comments;
- attachments: the file is deleted from storage, the row keeps its purpose,
  type and size;
- notification texts: the text, subject and recipient of sent or failed
  SMS / e-mail / fax become placeholders;
- access log: rows older than the cut-off are deleted;
- unregistered drafts and orphan uploads: applied by the code that owns them,
  registered with :func:`register_retention` (the assistant registers drafts,
  ``helpdesk.services.uploads`` orphan uploads, which the scheduler also sweeps
  every round after ``NIDAA_ORPHAN_UPLOAD_HOURS``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from helpdesk.models import (
    DEFAULT_RETENTION_DAYS,
    AccessLog,
    Attachment,
    Conversation,
    DataClass,
    Message,
    Notification,
    NotificationStatus,
    RetentionPeriod,
    Ticket,
)
from helpdesk.privacy.erase import PLACEHOLDER, delete_files

# Hour (Asia/Muscat) at which the scheduler applies the periods, once a day (helpdesk/jobs.py).
RETENTION_HOUR = 3

Applier = Callable[[datetime.datetime, bool], int]
"""``applier(cutoff, dry_run)`` → how many items are (or would be) removed."""

_APPLIERS: dict[str, Applier] = {}


def register_retention(data_class: str, applier: Applier) -> None:
    """The code that removes one class of data older than the cut-off (one per class)."""
    _APPLIERS[data_class] = applier


@dataclass(frozen=True)
class RetentionResult:
    data_class: str
    days: int
    count: int | None  # None: nothing registered to apply this class


def retention_periods() -> dict[str, int]:
    """Days each applied class is kept (inactive rows left out)."""
    periods = dict(DEFAULT_RETENTION_DAYS)
    for row in RetentionPeriod.objects.all():
        if row.is_active:
            periods[row.data_class] = row.days
        else:
            periods.pop(row.data_class, None)
    return periods


def _held_conversations() -> QuerySet[Ticket, int]:
    return Ticket.objects.filter(legal_hold=True, conversation__isnull=False).values_list(
        "conversation_id", flat=True
    )


def chat_texts_expire(cutoff: datetime.datetime, dry_run: bool) -> int:
    closed = Conversation.objects.filter(closed_at__lt=cutoff).exclude(pk__in=_held_conversations())
    messages = Message.objects.filter(conversation__in=closed).exclude(
        Q(text="") | Q(text=PLACEHOLDER), latitude__isnull=True
    )
    if dry_run:
        return messages.count()
    count = messages.update(text=PLACEHOLDER, latitude=None, longitude=None)
    closed.exclude(rating_comment="").update(rating_comment="")
    return count


def attachments_expire(cutoff: datetime.datetime, dry_run: bool) -> int:
    held = _held_conversations()
    old = (
        Attachment.objects.filter(created_at__lt=cutoff)
        .exclude(file="")
        .exclude(ticket__legal_hold=True)
        .exclude(conversation_id__in=held)
        .exclude(message__conversation_id__in=held)
    )
    if dry_run:
        return old.count()
    with transaction.atomic():
        files = list(old.values_list("file", flat=True))
        count = Attachment.objects.filter(file__in=files).update(
            file="", original_name="", external_url=""
        )
        transaction.on_commit(lambda: delete_files(files))
    return count


def notification_texts_expire(cutoff: datetime.datetime, dry_run: bool) -> int:
    old = (
        Notification.objects.filter(
            created_at__lt=cutoff, status__in=(NotificationStatus.SENT, NotificationStatus.FAILED)
        )
        .exclude(body=PLACEHOLDER)
        .exclude(ticket__legal_hold=True)
    )
    if dry_run:
        return old.count()
    return old.update(body=PLACEHOLDER, subject="", recipient="", target="", last_error="")


def access_log_expire(cutoff: datetime.datetime, dry_run: bool) -> int:
    old = AccessLog.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted


register_retention(DataClass.CHAT_TEXTS, chat_texts_expire)
register_retention(DataClass.ATTACHMENTS, attachments_expire)
register_retention(DataClass.NOTIFICATION_TEXTS, notification_texts_expire)
register_retention(DataClass.ACCESS_LOG, access_log_expire)


def retention_apply(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[RetentionResult]:
    """Apply every period (or count what would go, ``dry_run``); one result per class."""
    now = now or timezone.now()
    results = []
    for data_class, days in sorted(retention_periods().items()):
        applier = _APPLIERS.get(data_class)
        count = None
        if applier is not None:
            count = applier(now - datetime.timedelta(days=days), dry_run)
        results.append(RetentionResult(data_class=data_class, days=days, count=count))
        if not dry_run:
            RetentionPeriod.objects.update_or_create(
                data_class=data_class,
                defaults={"days": days, "last_applied_at": now, "last_count": count},
            )
    return results


def retention_last_applied() -> datetime.datetime | None:
    """When the periods were last applied (the scheduler applies them daily, helpdesk/jobs.py)."""
    applied = RetentionPeriod.objects.filter(is_active=True, last_applied_at__isnull=False)
    return applied.aggregate(last=Max("last_applied_at"))["last"]
