"""Durable background tasks (django-tasks, stored by django-tasks-db, run by ``manage.py worker``).

Tasks are thin: they call one service. Retries are the service's business —
django-tasks has none built in — so a temporary failure re-enqueues the task
with ``run_after`` and the attempt count lives on the ``Notification`` row.
"""

from __future__ import annotations

from django_tasks import task

NOTIFICATIONS_QUEUE = "notifications"


@task(queue_name=NOTIFICATIONS_QUEUE)
def notification_send(notification_id: int) -> str:
    from helpdesk.services.notifications import notification_deliver

    return notification_deliver(notification_id=notification_id)
