"""Durable work of the social channels (django-tasks, queue "social")."""

from __future__ import annotations

from django_tasks import task

from social.services import delivery_attempt


@task(queue_name="social")
def social_deliver(delivery_id: int) -> None:
    """Send one staff message to X or Facebook; re-enqueues itself while retrying."""
    retry_at = delivery_attempt(delivery_id=delivery_id)
    if retry_at is not None:
        social_deliver.using(run_after=retry_at).enqueue(delivery_id)
