from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import TestCase

from social.models import FacebookPage, XAccount
from tests.social.fakes import FakeGraph, FakeX

ACCOUNT_ID = "1500000000000000001"
PAGE_ID = "108000000000001"
APP_SECRET = "fb-app-secret-for-tests"


@pytest.fixture
def fake_x(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    server = FakeX(account_id=ACCOUNT_ID)
    settings.NIDAA_X_API_URL = server.url
    settings.NIDAA_X_CONSUMER_KEY = "consumer-key"
    settings.NIDAA_X_CONSUMER_SECRET = "consumer-secret"
    monkeypatch.setenv("X_ACCESS_TOKEN", "access-token")
    monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", "access-secret")
    yield server
    server.close()


@pytest.fixture
def x_account(db: None) -> XAccount:
    return XAccount.objects.create(handle="muscat", user_id=ACCOUNT_ID, poll_interval_seconds=60)


@pytest.fixture
def fake_graph(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    server = FakeGraph()
    settings.NIDAA_FACEBOOK_GRAPH_URL = server.url + "/"
    settings.NIDAA_FACEBOOK_APP_SECRET = APP_SECRET
    settings.NIDAA_FACEBOOK_VERIFY_TOKEN = "verify-me"
    monkeypatch.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", "page-token")
    yield server
    server.close()


@pytest.fixture
def fb_page(db: None) -> FacebookPage:
    return FacebookPage.objects.create(page_id=PAGE_ID, name="Muscat Municipality")


@pytest.fixture(autouse=True)
def _quick_media_retries(settings: Any) -> None:
    settings.NIDAA_SOCIAL_MEDIA_RETRY_SECONDS = 0


def run_worker() -> None:
    """The durable workers, as deployed, draining the inbox and the outbox queues once."""
    call_command(
        "db_worker",
        queue_name="social,notifications",
        batch=True,
        reload=False,
        startup_delay=False,
        interval=0,
        verbosity=0,
    )


def post_committed(client: Any, url: str, body: bytes, headers: dict[str, str]) -> Any:
    """POST to a webhook and run what the view left for after its commit (the enqueue)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, body, content_type="application/json", headers=headers)
