"""Durable work of the social channels (django-tasks, queue "social").

Replies and notifications leave through the one outbox (``helpdesk.notify``);
this queue reads what the platforms sent, from the inbox journal.
"""

from __future__ import annotations

from django_tasks import task

from social.journal import inbox_delivery_process


@task(queue_name="social")
def inbox_process(delivery_id: int) -> dict[str, int]:
    """Read one journal delivery into events and store each on its own."""
    return inbox_delivery_process(delivery_id=delivery_id)
