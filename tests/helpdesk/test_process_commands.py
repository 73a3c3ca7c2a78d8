"""``manage.py web``, ``worker`` and ``scheduler`` as real processes: each does its work and
exits 0 on SIGTERM.

They run against the test's own database (PostgreSQL: other processes can open it),
like ``tests/support/live.py``'s web processes.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from helpdesk.models import Conversation, ConversationState, Notification, NotificationStatus
from helpdesk.services.conversations import conversation_open
from tests.support.chat import agent_on_duty, open_around_the_clock
from tests.support.factories import make_contact, make_org, make_ticket
from tests.support.live import live_environment
from tests.support.processes import WAIT_SECONDS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_the_scheduler_expires_an_offer_nobody_answered(manage_start: Any, tmp_path: Path) -> None:
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    agent = agent_on_duty()
    agent.profile.last_heartbeat_at = timezone.now()  # not lost: only the offer runs out
    agent.profile.save()
    conversation = conversation_open(channel="webchat", contact=make_contact(name="Said"))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.OFFERED
    Conversation.objects.filter(pk=conversation.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    scheduler = manage_start(live_environment(tmp_path), "scheduler")
    scheduler.wait_for(lambda: conversation.messages.filter(event="offer_expired").exists())
    assert scheduler.stop() == 0, scheduler.log()
    assert "scheduler stopped" in scheduler.log()


def test_the_worker_sends_a_queued_notification(manage_start: Any, tmp_path: Path) -> None:
    make_ticket(make_org(), contact=make_contact(phone="+96891234567", language="en"))
    assert Notification.objects.filter(status=NotificationStatus.QUEUED).exists()

    worker = manage_start(live_environment(tmp_path), "worker", "--interval", "0.2")
    unsent = Notification.objects.exclude(status=NotificationStatus.SENT)
    worker.wait_for(lambda: not unsent.exists())
    assert worker.stop() == 0, worker.log()


def test_the_web_process_answers_and_stops_on_sigterm(live_servers: Any) -> None:
    [web] = live_servers(1)  # `manage.py web`, ready once it answered /healthz
    assert web.process is not None
    web.process.terminate()
    assert web.process.wait(timeout=WAIT_SECONDS) == 0, web.log()
