from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from social.models import FacebookPage, XAccount
from tests.support.social_platforms import ACCOUNT_ID, APP_SECRET, PAGE_ID, FakeGraph, FakeX


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
