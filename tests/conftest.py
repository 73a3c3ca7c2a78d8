"""Shared test set-up.

Tests that need PostgreSQL, Redis or a browser carry a marker. Without the
service they skip with the reason; under ``REQUIRE_SERVICES=1`` (CI) a missing
service fails the test instead, so CI can never go green by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support.chat import open_center  # noqa: F401 - shared fixture: an open center
from tests.support.live import live_servers  # noqa: F401 - shared fixture: real Daphne processes
from tests.support.processes import (
    database_url,  # noqa: F401 - shared fixture: a database of its own
    manage_start,  # noqa: F401 - shared fixture: background commands
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Processes the tests start (workers, schedulers, servers) run with test keys and the demo
# logins; the production refusals (nidaa/production.py) are tested on their own.
os.environ.setdefault("NIDAA_PRODUCTION_CHECKS", "0")
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} — and REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def redis_available() -> bool:
    url = settings.REDIS_URL
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _require_marked_services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        service_missing("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not redis_available():
        service_missing("needs Redis: set REDIS_URL=redis://… to a running server")
    if request.node.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        service_missing(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # Rate-limit counters (status look-ups, SMS per number …) live in the shared cache:
    # one test's attempts must not count against the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Iterator[None]:
    # A layer keeps per-channel locks and pools bound to the event loop that used
    # them; every test has a loop of its own, so every test gets a layer of its own.
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _distribute_after_each_commit(settings: object) -> None:
    # In-process tests distribute right after the commit that changed the queue, as
    # every process without an engine does; tests/helpdesk/test_acd_engine.py and the
    # live servers (real Daphne processes) run the engine itself.
    settings.NIDAA_ACD_ENGINE = False  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, settings: object) -> None:
    # Tests make many staff users and the real hashers are slow on purpose (PBKDF2: a
    # third of a second each). Web processes of their own (``live_servers``) check
    # passwords with the project's hashers, so their tests keep those.
    if "live_servers" not in request.fixturenames:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _demo_without_history(settings: object) -> None:
    # demo_setup writes a month of past work for the demo; tests ask for it by name
    # (tests/demo/test_demo_history.py) and otherwise start from the organisation alone.
    settings.NIDAA_DEMO_HISTORY_DAYS = 0  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_access_log() -> None:
    # Reads buffered by an earlier test (a view called without a request cycle) are not ours.
    from helpdesk.privacy.access import access_log_discard

    access_log_discard()


@pytest.fixture(autouse=True)
def _test_storage(settings: object, tmp_path: Path) -> None:
    # Uploads go to a fresh folder; static files are found in place (no collectstatic).
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def artifacts_dir() -> Iterator[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    yield ARTIFACTS


@pytest.fixture
def org(db: None) -> object:
    from tests.support.factories import make_org

    return make_org()


@pytest.fixture
def english(settings: object) -> Iterator[None]:
    """Messages in English, for tests that assert on their wording.

    Arabic is the product's default language; a test that reads English text
    says so with this fixture (or sends Accept-Language itself).
    """
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield
