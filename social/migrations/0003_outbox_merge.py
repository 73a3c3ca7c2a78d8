"""Social replies join the one outbox: every SocialDelivery row becomes a Notification row.

Pending rows arrive queued and due, so the scheduler's sweep hands them to
the worker (the old table had no sweep: rows whose task was lost stayed
pending for ever). The target keeps its old kind: ``tweet:``, ``dm:``,
``messenger:``, ``comment:``.
"""

from django.db import migrations

STATUS = {"pending": "queued", "sent": "sent", "failed": "failed"}


def forwards(apps, schema_editor):
    SocialDelivery = apps.get_model("social", "SocialDelivery")
    Notification = apps.get_model("helpdesk", "Notification")
    for delivery in SocialDelivery.objects.select_related("message__conversation").iterator():
        message = delivery.message
        conversation = message.conversation
        status = STATUS.get(delivery.status, "queued")
        Notification.objects.update_or_create(
            idempotency_key=f"message:{message.pk}",
            defaults={
                "message": message,
                "template_key": "reply",
                "channel": "conversation",
                "recipient": f"{conversation.channel}:{conversation.public_id}",
                "language": conversation.language if conversation.language in ("ar", "en") else "ar",
                "body": message.text,
                "target": f"{delivery.target_kind}:{delivery.target_id}"[:200],
                "status": status,
                "attempts": delivery.attempts,
                "last_error": delivery.last_error,
                "failure_reason": delivery.failure_reason,
                "provider_message_id": delivery.platform_id,
                "parts_sent": [delivery.platform_id] if delivery.platform_id else [],
                "next_attempt_at": delivery.next_attempt_at or delivery.created_at
                if status == "queued"
                else None,
                "sent_at": delivery.sent_at,
            },
        )
        # auto_now_add ignores a given value: keep when the reply was really written.
        Notification.objects.filter(idempotency_key=f"message:{message.pk}").update(
            created_at=delivery.created_at
        )


def backwards(apps, schema_editor):
    SocialDelivery = apps.get_model("social", "SocialDelivery")
    Notification = apps.get_model("helpdesk", "Notification")
    back = {"queued": "pending", "sending": "pending", "sent": "sent", "failed": "failed"}
    replies = Notification.objects.filter(template_key="reply", message__isnull=False)
    for entry in replies.select_related("message__conversation").iterator():
        kind, _sep, target_id = entry.target.partition(":")
        SocialDelivery.objects.update_or_create(
            message=entry.message,
            defaults={
                "channel": entry.message.conversation.channel,
                "target_kind": kind,
                "target_id": target_id,
                "status": back.get(entry.status, "pending"),
                "attempts": entry.attempts,
                "last_error": entry.last_error,
                "failure_reason": entry.failure_reason,
                "platform_id": entry.provider_message_id,
                "next_attempt_at": entry.next_attempt_at,
                "sent_at": entry.sent_at,
            },
        )
    replies.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0009_outbox_merge"),
        ("social", "0002_inbox_journal"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="SocialDelivery"),
    ]
