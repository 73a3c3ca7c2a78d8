"""Logs without personal data: phone numbers, e-mail addresses and message texts are masked."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from helpdesk.models import Notification
from helpdesk.notify.transports import ConsoleSmsTransport
from helpdesk.privacy.logging import PersonalDataFilter, mask, personal
from tests.support.factories import make_contact


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """A handler configured as the settings configure the console one."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    "phone",
    [
        "+96891234567",
        "+968 9123 4567",
        "0096891234567",
        "96891234567",
        "91234567",
        "7123-4567",
        "+٩٦٨٩١٢٣٤٥٦٧",
        "+44 20 7946 0958",
    ],
)
def test_phone_numbers_are_masked(phone: str) -> None:
    masked = mask(f"calling {phone} now")
    assert phone not in masked
    assert masked.startswith("calling [phone …") and masked.endswith("] now")


@pytest.mark.parametrize(
    "harmless",
    ["MCT-2026-000123", "ticket 4512", "2026-11-30 10:07:01", "notification 123456789012"],
)
def test_references_dates_and_ids_are_left_alone(harmless: str) -> None:
    assert mask(harmless) == harmless


def test_e_mail_addresses_are_masked(log: io.StringIO) -> None:
    logging.getLogger("helpdesk.test").warning("bounce from %s", "said.m@example.om")
    assert "said.m@example.om" not in log.getvalue()
    assert "bounce from [e-mail]" in log.getvalue()


def test_a_message_text_marked_personal_is_replaced_by_its_length(log: io.StringIO) -> None:
    logging.getLogger("helpdesk.test").info("citizen wrote: %s", personal("مرحبا، الحفرة عميقة"))
    assert "الحفرة" not in log.getvalue()
    assert "citizen wrote: [text, 19 characters]" in log.getvalue()


def test_an_exception_s_traceback_is_masked_too(log: io.StringIO) -> None:
    try:
        raise ValueError("gateway refused +96891234567")
    except ValueError:
        logging.getLogger("helpdesk.test").exception("send failed")
    assert "91234567" not in log.getvalue()
    assert "ValueError: gateway refused [phone …67]" in log.getvalue()


@pytest.mark.django_db
def test_the_demo_sms_gateway_logs_neither_the_number_nor_the_text(
    log: io.StringIO, tmp_path: Path
) -> None:
    contact = make_contact(phone="+96891234567")
    notification = Notification.objects.create(
        contact=contact,
        template_key="ticket_registered",
        channel="sms",
        recipient=contact.phone,
        language="ar",
        body="Your report about the broken pipe was registered",
        idempotency_key="log-test",
    )
    ConsoleSmsTransport(outbox=tmp_path).notify(notification)
    written = log.getvalue()
    assert "SMS to [phone …67]" in written
    assert "broken pipe" not in written and "91234567" not in written


def test_the_settings_put_the_filter_on_the_console_handler() -> None:
    logging_config: dict[str, Any] = settings.LOGGING
    assert "personal_data" in logging_config["handlers"]["console"]["filters"]
    factory = logging_config["filters"]["personal_data"]["()"]
    assert factory == "helpdesk.privacy.logging.PersonalDataFilter"
