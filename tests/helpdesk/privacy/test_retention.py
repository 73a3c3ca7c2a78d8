"""Retention with a controlled clock: each class goes after its period; legal hold exempts."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bots.models import BotSession, Stage
from helpdesk.models import (
    AccessLog,
    Attachment,
    Conversation,
    DataClass,
    Message,
    Notification,
    RetentionPeriod,
    Ticket,
)
from helpdesk.privacy.access import access_log_flush, access_record
from helpdesk.privacy.erase import PLACEHOLDER
from helpdesk.privacy.retention import retention_apply
from helpdesk.processes import registered_jobs
from tests.helpdesk.privacy.helpers import CHAT_TEXT, Citizen, make_citizen
from tests.support.factories import Org, make_staff

DAY = datetime.timedelta(days=1)


def _age(citizen: Citizen, days: int) -> None:
    """Everything of the citizen happened ``days`` ago."""
    then = timezone.now() - days * DAY
    Conversation.objects.filter(pk=citizen.conversation.pk).update(closed_at=then)
    Attachment.objects.filter(pk=citizen.photo.pk).update(created_at=then)
    Notification.objects.filter(ticket=citizen.ticket).update(created_at=then, status="sent")


def _counts(results: list[Any]) -> dict[str, int | None]:
    return {r.data_class: r.count for r in results}


@pytest.fixture
def periods(db: None) -> None:
    for data_class, days in {
        DataClass.CHAT_TEXTS: 30,
        DataClass.ATTACHMENTS: 10,
        DataClass.NOTIFICATION_TEXTS: 30,
        DataClass.ACCESS_LOG: 100,
        DataClass.DRAFTS: 1,
    }.items():
        RetentionPeriod.objects.update_or_create(data_class=data_class, defaults={"days": days})


@pytest.mark.django_db
def test_each_class_goes_after_its_own_period(
    org: Org, periods: None, django_capture_on_commit_callbacks: Any
) -> None:
    citizen = make_citizen(org)
    photo = Path(citizen.photo.file.path)
    _age(citizen, days=20)  # past the attachments' 10 days, within the texts' 30
    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        assert _counts(retention_apply())[DataClass.ATTACHMENTS] == 1
    assert not photo.exists()
    assert Message.objects.filter(conversation=citizen.conversation, text=CHAT_TEXT).exists()
    assert not Notification.objects.filter(body=PLACEHOLDER).exists()

    _age(citizen, days=40)
    counts = _counts(retention_apply())
    assert counts[DataClass.CHAT_TEXTS] == 4
    assert counts[DataClass.NOTIFICATION_TEXTS] == Notification.objects.count() >= 1
    assert (
        not Message.objects.filter(conversation=citizen.conversation)
        .exclude(text=PLACEHOLDER)
        .exists()
    )
    assert set(Notification.objects.values_list("recipient", "body")) == {("", PLACEHOLDER)}
    ticket = Ticket.objects.get(pk=citizen.ticket.pk)
    assert ticket.reference == citizen.ticket.reference and ticket.conversation is not None
    assert ticket.conversation.rating == 4


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing(org: Org, periods: None) -> None:
    citizen = make_citizen(org)
    _age(citizen, days=40)
    out = StringIO()
    call_command("retention_apply", "--dry-run", stdout=out)
    assert "chat_texts (kept 30 days): would remove 4" in out.getvalue()
    assert "attachments (kept 10 days): would remove 1" in out.getvalue()
    assert Message.objects.filter(text=CHAT_TEXT).exists()
    assert Path(citizen.photo.file.path).exists()
    assert RetentionPeriod.objects.get(data_class=DataClass.CHAT_TEXTS).last_applied_at is None


@pytest.mark.django_db
def test_legal_hold_on_the_ticket_exempts_its_texts_files_and_notifications(
    org: Org, periods: None
) -> None:
    citizen = make_citizen(org)
    Ticket.objects.filter(pk=citizen.ticket.pk).update(legal_hold=True)
    _age(citizen, days=400)
    counts = _counts(retention_apply())
    assert counts[DataClass.CHAT_TEXTS] == counts[DataClass.ATTACHMENTS] == 0
    assert counts[DataClass.NOTIFICATION_TEXTS] == 0
    assert Message.objects.filter(text=CHAT_TEXT).exists()
    assert Path(citizen.photo.file.path).exists()


@pytest.mark.django_db
def test_old_access_log_rows_are_deleted(org: Org, periods: None) -> None:
    agent = make_staff("agent")
    for _ in range(3):
        access_record(user=agent, object_type="contact", object_id=1, via="page", purpose="x")
    access_log_flush()
    AccessLog.objects.filter(pk=AccessLog.objects.first().pk).update(  # type: ignore[union-attr]
        at=timezone.now() - 101 * DAY
    )
    assert _counts(retention_apply())[DataClass.ACCESS_LOG] == 1
    assert AccessLog.objects.count() == 2


@pytest.mark.django_db
def test_the_assistants_unfinished_reports_are_forgotten_after_a_day(
    org: Org, periods: None
) -> None:
    citizen = make_citizen(org)
    session = BotSession.objects.create(
        conversation=citizen.conversation,
        stage=Stage.REPORT_CONFIRM,
        slots={"description": CHAT_TEXT, "phone": "+96891112233"},
    )
    assert _counts(retention_apply())[DataClass.DRAFTS] == 0
    BotSession.objects.filter(pk=session.pk).update(updated_at=timezone.now() - 2 * DAY)
    assert _counts(retention_apply())[DataClass.DRAFTS] == 1
    session.refresh_from_db()
    assert (session.slots, session.stage) == ({}, Stage.NEW)


@pytest.mark.django_db
def test_an_inactive_period_is_not_applied(org: Org, periods: None) -> None:
    RetentionPeriod.objects.filter(data_class=DataClass.ATTACHMENTS).update(is_active=False)
    citizen = make_citizen(org)
    _age(citizen, days=400)
    counts = _counts(retention_apply())
    assert DataClass.ATTACHMENTS not in counts
    assert Path(citizen.photo.file.path).exists()


@pytest.mark.django_db
def test_orphan_uploads_go_after_their_period_with_their_files(org: Org, periods: None) -> None:
    from helpdesk.media import image_store
    from tests.support.images import png_bytes

    citizen = make_citizen(org)
    orphan = image_store(
        png_bytes(),
        filename="never-sent.png",
        purpose="evidence",
        conversation=citizen.conversation,
    )
    Attachment.objects.filter(pk=orphan.pk).update(created_at=timezone.now() - 2 * DAY)
    assert _counts(retention_apply(dry_run=True))[DataClass.ORPHAN_UPLOADS] == 1
    assert Attachment.objects.filter(pk=orphan.pk).exists()
    assert _counts(retention_apply())[DataClass.ORPHAN_UPLOADS] == 1
    assert not Attachment.objects.filter(pk=orphan.pk).exists()
    assert not Path(orphan.file.path).exists()
    assert Attachment.objects.filter(pk=citizen.photo.pk).exists()  # sent: not an orphan


@pytest.mark.django_db
def test_the_scheduler_applies_it_once_a_day_from_three_in_the_morning(periods: None) -> None:
    muscat = datetime.timezone(datetime.timedelta(hours=4))
    before = datetime.datetime(2026, 11, 30, 2, 59, tzinfo=muscat)
    after = datetime.datetime(2026, 11, 30, 3, 1, tzinfo=muscat)
    RetentionPeriod.objects.update(
        last_applied_at=datetime.datetime(2026, 11, 29, 3, 5, tzinfo=muscat)
    )
    [job] = [job for job in registered_jobs() if job.name == "retention.apply"]

    def due(now: datetime.datetime) -> bool:
        return job.first_due(now) <= now

    assert not due(before)
    assert due(after)
    retention_apply(now=after)
    assert not due(after + datetime.timedelta(hours=5))
    assert due(after + DAY)


@pytest.mark.django_db
def test_administrators_set_the_periods_in_the_admin(periods: None) -> None:
    from django.contrib.auth.models import Permission

    admin = make_staff("administrator")
    admin.user_permissions.add(*Permission.objects.filter(content_type__model="retentionperiod"))
    client = Client()
    client.force_login(admin)
    row = RetentionPeriod.objects.get(data_class=DataClass.CHAT_TEXTS)
    response = client.post(
        f"/admin/helpdesk/retentionperiod/{row.pk}/change/",
        {"data_class": DataClass.CHAT_TEXTS, "days": 365, "is_active": "on"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.days == 365
