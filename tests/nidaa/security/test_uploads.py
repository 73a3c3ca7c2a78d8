"""Finding 6: uploads no message takes expire and are deleted by the scheduler; a
conversation and an address have quotas."""

from __future__ import annotations

import datetime
import os
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from helpdesk.models import Attachment
from tests.chat.test_views import png, start, upload

pytestmark = pytest.mark.django_db(transaction=True)  # the scheduler closes connections


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_finding_06_orphan_uploads_expire_and_are_deleted_by_the_scheduler(
    open_center: Any,
) -> None:
    token = start().json()["token"]
    old, recent = (upload(token, png()).json()["id"] for _ in range(2))
    orphan = Attachment.objects.get(public_id=old)
    path = orphan.file.path
    Attachment.objects.filter(pk=orphan.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    call_command("scheduler", "--once", "--job", "service.sweep", stdout=StringIO())
    assert not Attachment.objects.filter(public_id=old).exists()
    assert not os.path.exists(path)
    assert Attachment.objects.filter(public_id=recent).exists()  # not old enough yet


def test_finding_06_an_upload_sent_in_a_message_is_kept(open_center: Any) -> None:
    from helpdesk.models import Message

    token = start().json()["token"]
    kept = Attachment.objects.get(public_id=upload(token, png()).json()["id"])
    kept.message = Message.objects.filter(conversation=kept.conversation).first()
    assert kept.message is not None
    kept.save()
    Attachment.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    call_command("scheduler", "--once", "--job", "service.sweep", stdout=StringIO())
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_finding_06_a_conversation_holds_a_limited_number_of_waiting_uploads(
    open_center: Any,
    settings: Any,
) -> None:
    settings.NIDAA_UPLOADS_PENDING_PER_CONVERSATION = 3
    token = start().json()["token"]
    for _ in range(3):
        assert upload(token, png()).status_code == 201
    refused = upload(token, png())
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "upload_quota"
    assert Attachment.objects.count() == 3


def test_finding_06_an_address_has_a_daily_upload_quota(
    open_center: Any,
    settings: Any,
) -> None:
    settings.NIDAA_UPLOADS_PER_ADDRESS_PER_DAY = 4
    settings.NIDAA_UPLOADS_PENDING_PER_CONVERSATION = 100
    statuses = []
    for _ in range(5):
        token = start().json()["token"]  # a new conversation does not reset it
        statuses.append(upload(token, png()).status_code)
    assert statuses == [201, 201, 201, 201, 429]
