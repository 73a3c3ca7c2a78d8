"""The old social delivery rows move into the one outbox when the schema moves on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("social", "0002_inbox_journal"), ("helpdesk", "0009_outbox_merge")]
AFTER = [("social", "0003_outbox_merge")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_after() -> Any:
    """The test moves the schema back; the tests after it need every migration again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_it_moves_social_deliveries_into_the_outbox() -> None:
    apps = _migrate(BEFORE)
    Contact = apps.get_model("helpdesk", "Contact")
    Conversation = apps.get_model("helpdesk", "Conversation")
    Message = apps.get_model("helpdesk", "Message")
    SocialDelivery = apps.get_model("social", "SocialDelivery")
    conversation = Conversation.objects.create(
        channel="x", contact=Contact.objects.create(name="سعيد"), language="en"
    )
    written = timezone.now() - datetime.timedelta(days=2)
    rows = {}
    for seq, status in enumerate(["pending", "sent", "failed"], start=1):
        message = Message.objects.create(
            conversation=conversation, seq=seq, sender_kind="agent", channel="x", text=status
        )
        rows[status] = SocialDelivery.objects.create(
            message=message,
            channel="x",
            target_kind="tweet",
            target_id=f"19{seq}",
            status=status,
            attempts=seq,
            last_error="X server error" if status != "sent" else "",
            failure_reason="gone" if status == "failed" else "",
            platform_id="1999" if status == "sent" else "",
        )
    SocialDelivery.objects.update(created_at=written)

    apps = _migrate(AFTER)
    Notification = apps.get_model("helpdesk", "Notification")
    moved = {n.body: n for n in Notification.objects.all()}
    assert set(moved) == {"pending", "sent", "failed"}
    assert {n.status for n in moved.values()} == {"queued", "sent", "failed"}
    pending = moved["pending"]
    assert (pending.channel, pending.template_key, pending.target) == (
        "conversation",
        "reply",
        "tweet:191",
    )
    assert pending.recipient == f"x:{conversation.public_id}"
    assert pending.idempotency_key == f"message:{rows['pending'].message_id}"
    assert pending.next_attempt_at == written  # due at once: the sweep picks it up
    assert pending.created_at == written
    assert (moved["sent"].provider_message_id, moved["sent"].parts_sent) == ("1999", ["1999"])
    assert (moved["failed"].failure_reason, moved["failed"].attempts) == ("gone", 3)
    assert "socialdelivery" not in apps.all_models["social"]
