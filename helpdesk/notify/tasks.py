"""The durable queue of the one outbox (django-tasks, stored by django-tasks-db, run by
``manage.py worker``): the send task, handing a row to the queue, and the sweep.

Tasks are thin: they call :func:`helpdesk.notify.delivery.notification_deliver`.
Retries are ours — django-tasks has none built in — so when a send failed for now
the task enqueues the next attempt with ``run_after``; the attempt count lives on
the ``Notification`` row. The services that write the outbox hand each new row
here after commit (:func:`notification_enqueue`); this module never calls back up
into them.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from helpdesk.models import Notification, NotificationStatus
from helpdesk.notify.delivery import notification_deliver

logger = logging.getLogger(__name__)

NOTIFICATIONS_QUEUE = "notifications"


@task(queue_name=NOTIFICATIONS_QUEUE)
def notification_send(notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == "retry":
        run_after = (
            Notification.objects.filter(pk=notification_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        notification_enqueue(notification_id, run_after=run_after)
    return outcome


def notification_enqueue(
    notification_id: int, *, run_after: datetime.datetime | None = None
) -> None:
    """Hand the row to the durable queue; if that fails, the sweep will try again."""
    send = notification_send.using(run_after=run_after) if run_after else notification_send
    try:
        result = send.enqueue(notification_id)
    except Exception:
        logger.exception("Could not enqueue notification %s; the sweep will retry", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(task_id=str(result.id))


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
    sending = Notification.objects.filter(
        status=NotificationStatus.SENDING, lease_until__lt=now
    ).values_list("pk", flat=True)
    for pk in sending:
        with transaction.atomic():
            stale = Notification.objects.select_for_update().get(pk=pk)
            if (
                stale.status != NotificationStatus.SENDING
                or not stale.lease_until
                or stale.lease_until >= now
            ):
                continue
            stale.status = NotificationStatus.QUEUED
            stale.lease_until = None
            stale.next_attempt_at = now
            stale.last_error = "The worker stopped while sending; sending again."
            stale.save()
            transaction.on_commit(partial(notification_enqueue, pk), robust=True)
            count += 1
    forgotten = Notification.objects.filter(
        status=NotificationStatus.QUEUED, next_attempt_at__lte=now - grace
    )
    for notification in forgotten:
        if not _task_pending(notification):
            notification_enqueue(notification.pk)
            count += 1
    return count
