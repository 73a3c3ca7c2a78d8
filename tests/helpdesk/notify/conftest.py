from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.sms_gateway import FakeSmsGateway, gateway_settings, running_gateway
from tests.support.worker import worker_drain


@pytest.fixture
def gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    with running_gateway() as fake:
        settings.NIDAA_SMS_BACKEND = "http"
        settings.NIDAA_SMS_GATEWAY = gateway_settings(fake)
        yield fake


@pytest.fixture
def outbox(settings: Any, tmp_path: Path) -> Path:
    settings.NIDAA_OUTBOX_DIR = tmp_path / "outbox"
    return settings.NIDAA_OUTBOX_DIR


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks: Any) -> Callable[[], None]:
    """Run the real worker in this process until no task is ready.

    Commit callbacks (the enqueues of retries) run as they would outside a test
    transaction.
    """

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            worker_drain("notifications")

    return run
