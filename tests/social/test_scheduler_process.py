"""The scheduler process polls the configured X account (the fake X API on a real socket)
into the live queue, and exits 0 on SIGTERM."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpdesk.models import Conversation
from social.models import XAccount
from tests.support.live import live_environment
from tests.support.social_platforms import ACCOUNT_ID, FakeX

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def x_api() -> Iterator[FakeX]:
    server = FakeX(account_id=ACCOUNT_ID)
    yield server
    server.close()


def test_the_scheduler_polls_an_x_account_into_the_queue(
    x_api: FakeX, manage_start: Any, tmp_path: Path
) -> None:
    x_api.add_user("2000000000000000009", "said_om", "سعيد")
    x_api.add_mention(author="2000000000000000009", text="@muscat حفرة في الشارع")
    XAccount.objects.create(handle="muscat", user_id=ACCOUNT_ID, poll_interval_seconds=60)
    env = live_environment(
        tmp_path,
        X_API_URL=x_api.url,
        X_CONSUMER_KEY="consumer-key",
        X_CONSUMER_SECRET="consumer-secret",
        X_ACCESS_TOKEN="access-token",
        X_ACCESS_TOKEN_SECRET="access-secret",
    )
    scheduler = manage_start(env, "scheduler", "--job", "social.x_poll")
    scheduler.wait_for(lambda: Conversation.objects.filter(channel="x").exists())
    assert scheduler.stop() == 0, scheduler.log()
    assert Conversation.objects.get(channel="x").messages.filter(sender_kind="citizen").exists()
