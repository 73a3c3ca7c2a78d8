"""Finding 5: credentials never reach a stored error, a page or a log line.

A GET-style SMS gateway that cannot be reached raises an error quoting its URL,
``password=`` included: the notification keeps it redacted, the log line too, and
the ticket page shows staff only what happened, in words.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, TestCase

from helpdesk.models import Notification
from helpdesk.notify.delivery import notification_deliver
from helpdesk.redaction import RedactingFilter, redact
from helpdesk.services.tickets import ticket_dispatch
from tests.support.factories import Org, actor, make_contact, make_staff, make_ticket
from tests.support.sms_gateway import FakeSmsGateway, gateway_settings

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Gw-pass-7731"


@pytest.fixture
def unreachable_get_gateway(settings: Any) -> None:
    gateway = FakeSmsGateway.__new__(FakeSmsGateway)
    gateway.url, gateway.username, gateway.password = "http://127.0.0.1:9/send", "mm", PASSWORD
    settings.NIDAA_SMS_BACKEND = "http"
    settings.NIDAA_SMS_GATEWAY = gateway_settings(gateway, METHOD="GET", TIMEOUT=2)


def test_finding_05_gateway_password_never_stored_shown_or_logged(
    org: Org, unreachable_get_gateway: None, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = make_staff("dispatcher")
    section = make_staff("section_staff", sections=[org.potholes])
    with TestCase.captureOnCommitCallbacks(execute=False):
        ticket = make_ticket(org, contact=make_contact(phone="+96891234567"))
        ticket_dispatch(ticket=ticket, actor=actor(dispatcher))
    sms = Notification.objects.filter(ticket=ticket, channel="sms").first()
    assert sms is not None
    caplog.handler.addFilter(RedactingFilter())  # as every handler of settings.LOGGING
    with caplog.at_level(logging.INFO):
        notification_deliver(notification_id=sms.pk)
    sms.refresh_from_db()
    assert sms.last_error  # the failure is kept, for the admin …
    assert PASSWORD not in sms.last_error and "password=***" in sms.last_error
    assert PASSWORD not in caplog.text
    client = Client()
    client.force_login(section)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert PASSWORD not in page
    assert "password=" not in page and "127.0.0.1:9" not in page  # … staff read words


def test_finding_05_redact_masks_every_kind_of_credential() -> None:
    cases = {
        "GET https://sms.example/send?user=mm&password=abc123&to=968": "abc123",
        "https://mm:hunter22@sms.example/api": "hunter22",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig": "eyJhbGciOiJIUzI1NiJ9",
        '{"access_token": "EAAG-page-token-99"}': "EAAG-page-token-99",
        "Not Found: /notify/sms/dlr/7f3a9c0e-hook/": "7f3a9c0e-hook",
        "GET /social/facebook/webhook?hub.verify_token=verify-me-77&hub.mode=x": "verify-me-77",
        "api_key=K-123456 secret=S-abcdef": "S-abcdef",
    }
    for line, secret in cases.items():
        assert secret not in redact(line), line
    assert redact("Ticket MCT-2026-000123 resolved") == "Ticket MCT-2026-000123 resolved"


def test_finding_05_log_filter_redacts_arguments_and_tracebacks() -> None:
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "calling %s", ("https://g/?token=tok-998877",), None
    )
    try:
        raise RuntimeError("password=tb-secret-55")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "tok-998877" not in formatted and "tb-secret-55" not in formatted
