"""Sending through the durable queue against a fake SMS gateway on a real socket."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from helpdesk.models import Notification, NotificationStatus, TicketEvent, TicketEventKind
from helpdesk.notify.delivery import notification_deliver, retry_delay
from helpdesk.notify.tasks import notification_sweep
from tests.support.factories import Org, make_contact, make_ticket
from tests.support.sms_gateway import FakeSmsGateway

# Real commits: the worker closes and reopens its database connection, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registered_sms(org: Org, django_capture_on_commit_callbacks: Any) -> Notification:
    """The "ticket registered" SMS of a new ticket, queued with its task."""
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(org, contact=make_contact(phone="+96891234567", language="en"))
    return Notification.objects.get(ticket=ticket, channel="sms")


def test_it_sends_a_queued_sms_through_the_gateway(
    gateway: FakeSmsGateway, registered_sms: Notification, run_worker: Callable[[], None]
) -> None:
    run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.SENT
    assert registered_sms.attempts == 1
    [(message_id, params)] = gateway.delivered.items()
    assert registered_sms.provider_message_id == message_id
    assert params["to"] == "96891234567"
    assert params["from"] == "1111"
    assert params["ref"] == registered_sms.idempotency_key
    assert registered_sms.body == params["text"]
    assert "unicode" not in params


def test_it_flags_arabic_text_as_unicode_to_the_gateway(
    org: Org, gateway: FakeSmsGateway, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(org, contact=make_contact(language="ar"))
    run_worker()
    [params] = gateway.delivered.values()
    assert params["unicode"] == "1"
    assert "تم تسجيل بلاغكم" in params["text"]


def test_it_records_the_sent_message_on_the_ticket(
    gateway: FakeSmsGateway, registered_sms: Notification, run_worker: Callable[[], None]
) -> None:
    run_worker()
    event = TicketEvent.objects.get(ticket=registered_sms.ticket, kind=TicketEventKind.NOTIFICATION)
    assert event.data["notification"] == registered_sms.pk
    assert event.data["channel"] == "sms"


def test_it_retries_a_temporary_failure_with_backoff_until_it_succeeds(
    gateway: FakeSmsGateway, registered_sms: Notification, run_worker: Callable[[], None]
) -> None:
    gateway.fail_next(503, "service unavailable")
    before = timezone.now()
    run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.QUEUED
    assert registered_sms.attempts == 1
    assert "503" in registered_sms.last_error
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after >= before + retry_delay(1)
    assert gateway.delivered == {}

    # Time passes: the retry becomes due.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.SENT
    assert registered_sms.attempts == 2
    assert len(gateway.delivered) == 1
    assert len(gateway.requests) == 2


def test_it_doubles_the_delay_after_each_failure_up_to_the_cap(settings: Any) -> None:
    settings.NIDAA_NOTIFY_RETRY_BASE_SECONDS = 30
    settings.NIDAA_NOTIFY_RETRY_MAX_SECONDS = 200
    delays = [retry_delay(n).total_seconds() for n in range(1, 6)]
    assert delays == [30, 60, 120, 200, 200]


def test_it_marks_a_permanent_refusal_failed_with_the_reason(
    gateway: FakeSmsGateway, registered_sms: Notification, run_worker: Callable[[], None]
) -> None:
    gateway.fail_next(400, "102 invalid destination")
    run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.FAILED
    assert "invalid destination" in registered_sms.last_error
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_it_gives_up_after_the_maximum_attempts(
    settings: Any, gateway: FakeSmsGateway, registered_sms: Notification, run_worker: Any
) -> None:
    settings.NIDAA_NOTIFY_MAX_ATTEMPTS = 2
    gateway.fail_next(502, "bad gateway", times=5)
    for _ in range(2):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.FAILED
    assert registered_sms.attempts == 2
    assert len(gateway.requests) == 2


def test_it_treats_an_unreachable_gateway_as_temporary(
    settings: Any, gateway: FakeSmsGateway, registered_sms: Notification
) -> None:
    settings.NIDAA_SMS_GATEWAY = {**settings.NIDAA_SMS_GATEWAY, "URL": "http://127.0.0.1:9/x"}
    assert notification_deliver(notification_id=registered_sms.pk) == "retry"
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.QUEUED
    assert "unreachable" in registered_sms.last_error


def test_it_never_sends_a_message_twice_when_its_task_runs_twice(
    gateway: FakeSmsGateway, registered_sms: Notification
) -> None:
    assert notification_deliver(notification_id=registered_sms.pk) == "sent"
    assert notification_deliver(notification_id=registered_sms.pk) == "sent"
    assert len(gateway.requests) == 1


def test_it_leaves_a_message_alone_while_another_worker_holds_its_lease(
    gateway: FakeSmsGateway, registered_sms: Notification
) -> None:
    Notification.objects.filter(pk=registered_sms.pk).update(
        status=NotificationStatus.SENDING, lease_until=timezone.now() + datetime.timedelta(60)
    )
    assert notification_deliver(notification_id=registered_sms.pk) == "leased"
    assert gateway.requests == []


def test_it_requeues_a_message_whose_worker_died_while_sending(
    gateway: FakeSmsGateway,
    registered_sms: Notification,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = timezone.now()
    Notification.objects.filter(pk=registered_sms.pk).update(
        status=NotificationStatus.SENDING, attempts=1, lease_until=now - datetime.timedelta(1)
    )
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)  # the dead worker's claim
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_sweep(now=now) == 1
    run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.SENT
    assert registered_sms.attempts == 2


def test_it_requeues_a_queued_message_whose_task_was_lost(
    settings: Any, gateway: FakeSmsGateway, registered_sms: Notification, run_worker: Any
) -> None:
    DBTaskResult.objects.all().delete()
    later = timezone.now() + datetime.timedelta(seconds=settings.NIDAA_NOTIFY_LEASE_SECONDS + 1)
    assert notification_sweep(now=later) == 1
    run_worker()
    registered_sms.refresh_from_db()
    assert registered_sms.status == NotificationStatus.SENT


def test_it_does_not_requeue_a_message_whose_task_is_still_waiting(
    settings: Any, registered_sms: Notification
) -> None:
    later = timezone.now() + datetime.timedelta(seconds=settings.NIDAA_NOTIFY_LEASE_SECONDS + 1)
    assert notification_sweep(now=later) == 0
    assert DBTaskResult.objects.count() == 1
