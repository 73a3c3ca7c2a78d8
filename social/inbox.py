"""The inbox's front door: keep what the platforms send, hand it to the worker.

Webhooks and the poller store each delivery exactly as it came
(:func:`inbox_store`) and the worker reads it (``social.tasks`` runs
``social.journal``). What the worker never got — an enqueue that failed, a worker
killed mid-way — the scheduler's sweep hands over again (:func:`inbox_sweep`);
operators put failed events back in line from the admin.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from social.models import InboxDelivery, InboxDeliveryStatus, InboxEvent
from social.models import InboxEventStatus as Status
from social.tasks import inbox_process

logger = logging.getLogger(__name__)


# ---- storing ---------------------------------------------------------------------------


def inbox_store(
    *, source: str, body: bytes, headers: dict[str, str] | None = None, enqueue: bool = True
) -> InboxDelivery:
    """Keep a delivery exactly as it came; the worker reads it after commit.

    ``enqueue=False`` is for a caller that reads it itself right away (the
    poller); the sweep still finds it if that caller dies first.
    """
    with transaction.atomic():
        delivery = InboxDelivery.objects.create(
            source=source, body=body, headers=headers or {}, enqueued_at=timezone.now()
        )
        if enqueue:
            transaction.on_commit(partial(inbox_enqueue, delivery.pk), robust=True)
    return delivery


def inbox_enqueue(delivery_id: int) -> None:
    """Hand a delivery to the worker; when that fails, the sweep does it later."""
    try:
        inbox_process.enqueue(delivery_id)
    except Exception:
        logger.exception("could not enqueue inbox delivery %s; the sweep will", delivery_id)


# ---- operators ----------------------------------------------------------------------------


RETRIABLE = (Status.FAILED, Status.IGNORED)


def inbox_events_retry(*, event_ids: Iterable[int]) -> int:
    """Put failed or ignored events back in line (the admin's "retry"); returns how many.

    Ignored ones too: events for a page connected only afterwards are stored
    once it is (the core never stores one twice).
    """
    with transaction.atomic():
        failed = InboxEvent.objects.select_for_update().filter(
            pk__in=list(event_ids), status__in=RETRIABLE
        )
        deliveries = set(failed.values_list("delivery_id", flat=True))
        count = failed.update(status=Status.PENDING, error="", note="")
        InboxDelivery.objects.filter(pk__in=deliveries).update(enqueued_at=timezone.now())
        for delivery_id in deliveries:
            transaction.on_commit(partial(inbox_enqueue, delivery_id), robust=True)
    return count


def inbox_deliveries_retry(*, delivery_ids: Iterable[int]) -> int:
    """Read unreadable deliveries again (after a fix) and retry their failed events."""
    ids = list(delivery_ids)
    with transaction.atomic():
        count = InboxDelivery.objects.filter(
            pk__in=ids, status=InboxDeliveryStatus.UNREADABLE
        ).update(status=InboxDeliveryStatus.RECEIVED, error="", enqueued_at=timezone.now())
        failed = InboxEvent.objects.filter(delivery_id__in=ids, status=Status.FAILED)
        count += failed.update(status=Status.PENDING, error="")
        for delivery_id in ids:
            transaction.on_commit(partial(inbox_enqueue, delivery_id), robust=True)
    return count


def inbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand deliveries with unread work back to the worker once their grace has passed.

    A worker killed between the journal and the parse (or an enqueue that
    failed) leaves a delivery ``received`` or events ``pending``; nothing else
    would ever look at them again.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.NIDAA_SOCIAL_INBOX_GRACE_SECONDS)
    stale = InboxDelivery.objects.filter(
        Q(status=InboxDeliveryStatus.RECEIVED) | Q(events__status=Status.PENDING),
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff),
    ).distinct()
    ids = list(stale.values_list("pk", flat=True))
    InboxDelivery.objects.filter(pk__in=ids).update(enqueued_at=now)
    for delivery_id in ids:
        inbox_enqueue(delivery_id)
    return len(ids)


def inbox_poll_record(
    *, source: str, account_id: str, pages: list[dict[str, Any]]
) -> InboxDelivery:
    """A poll's pages go through the same journal as a webhook body."""
    body = json.dumps({"account_id": account_id, "pages": pages}, ensure_ascii=False).encode()
    return inbox_store(source=source, body=body, headers={"account_id": account_id}, enqueue=False)
