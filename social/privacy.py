"""The social inbox's copies of a citizen's data, erased with the rest (see helpdesk.privacy)."""

from __future__ import annotations

from helpdesk.privacy.erase import ErasureScope, dumps_scrubbed
from social.models import InboxDelivery, InboxEvent


def social_erase(scope: ErasureScope) -> dict[str, int]:
    """Platform events stored as they came: the citizen's strings scrubbed from the raw text."""
    events = InboxEvent.objects.filter(message_id__in=scope.messages)
    delivery_ids: set[int] = set()
    count = 0
    for event in events:
        event.raw = dumps_scrubbed(scope, event.raw)
        event.external_id = ""
        event.save(update_fields=["raw", "external_id"])
        delivery_ids.add(event.delivery_id)
        count += 1
    for delivery in InboxDelivery.objects.filter(pk__in=delivery_ids):
        body = bytes(delivery.body).decode("utf-8", errors="replace")
        delivery.body = dumps_scrubbed(scope, body).encode()
        delivery.save(update_fields=["body"])
    return {"social_events": count, "social_deliveries": len(delivery_ids)}
