"""Each transport alone: what it sends, and how it fails."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from helpdesk.models import Notification
from helpdesk.notify.transports import (
    ConsoleSmsTransport,
    EmailFaxTransport,
    EmailTransport,
    HttpSmsTransport,
    TransportError,
)
from tests.support.sms_gateway import FakeSmsGateway, gateway_settings


def _sms(body: str = "Your report MCT-2026-000001 is registered.", **kwargs: Any) -> Notification:
    kwargs.setdefault("channel", "sms")
    kwargs.setdefault("recipient", "+96891234567")
    kwargs.setdefault("language", "en")
    kwargs.setdefault("idempotency_key", "ticket-event:1:sms:+96891234567")
    return Notification(pk=7, body=body, template_key="ticket_registered", **kwargs)


def test_it_posts_the_configured_parameters(gateway: FakeSmsGateway) -> None:
    message_id = HttpSmsTransport(gateway_settings(gateway)).notify(_sms())
    [received] = gateway.requests
    assert received.method == "POST"
    assert received.params["to"] == "96891234567"
    assert received.params["ref"] == "ticket-event:1:sms:+96891234567"
    assert message_id == next(iter(gateway.delivered))


def test_it_can_send_by_get_with_basic_auth_and_extra_parameters(gateway: FakeSmsGateway) -> None:
    config = gateway_settings(
        gateway,
        METHOD="GET",
        AUTH="basic",
        EXTRA_PARAMS="username=nidaa&password=s3cret&priority=1",
        TO_FORMAT="e164",
    )
    HttpSmsTransport(config).notify(_sms())
    [received] = gateway.requests
    assert received.method == "GET"
    assert received.params["priority"] == "1"
    assert received.params["to"] == "+96891234567"
    assert received.authorization == "Basic " + base64.b64encode(b"nidaa:s3cret").decode()


def test_it_raises_a_temporary_error_on_a_5xx(gateway: FakeSmsGateway) -> None:
    gateway.fail_next(503, "busy")
    with pytest.raises(TransportError) as error:
        HttpSmsTransport(gateway_settings(gateway)).notify(_sms())
    assert not error.value.permanent


def test_it_raises_a_temporary_error_on_429(gateway: FakeSmsGateway) -> None:
    gateway.fail_next(429, "slow down")
    with pytest.raises(TransportError) as error:
        HttpSmsTransport(gateway_settings(gateway)).notify(_sms())
    assert not error.value.permanent


def test_it_raises_a_permanent_error_on_a_4xx(gateway: FakeSmsGateway) -> None:
    with pytest.raises(TransportError) as error:
        HttpSmsTransport(gateway_settings(gateway, PASSWORD="wrong")).notify(_sms())
    assert error.value.permanent
    assert "authentication failed" in error.value.message


def test_it_raises_a_permanent_error_when_the_success_check_fails(gateway: FakeSmsGateway) -> None:
    with pytest.raises(TransportError) as error:
        HttpSmsTransport(gateway_settings(gateway, SUCCESS_REGEX="^ACCEPTED")).notify(_sms())
    assert error.value.permanent


def test_it_raises_a_temporary_error_on_a_timeout(gateway: FakeSmsGateway) -> None:
    gateway.hold_first_seconds = 5
    with pytest.raises(TransportError) as error:
        HttpSmsTransport(gateway_settings(gateway, TIMEOUT=1)).notify(_sms())
    assert not error.value.permanent
    assert "timed out" in error.value.message


def test_it_refuses_to_start_without_a_gateway_url() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        HttpSmsTransport({"URL": "", "METHOD": "POST"})


def test_it_writes_demo_sms_to_the_outbox(tmp_path: Path) -> None:
    ConsoleSmsTransport(tmp_path).notify(_sms(body="تم تسجيل بلاغكم"))
    [line] = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["to"] == "+96891234567"
    assert record["text"] == "تم تسجيل بلاغكم"
    assert (record["encoding"], record["parts"]) == ("ucs2", 1)


def test_it_sends_e_mail_as_text_and_right_to_left_html_for_arabic() -> None:
    note = _sms(
        channel="email",
        recipient="said@example.org",
        language="ar",
        body="السلام عليكم\n\nتم تسجيل بلاغكم",
        subject="تسجيل بلاغكم",
    )
    EmailTransport().notify(note)
    [sent] = mail.outbox
    assert sent.to == ["said@example.org"]
    assert sent.subject == "تسجيل بلاغكم"
    assert sent.body == "السلام عليكم\n\nتم تسجيل بلاغكم"
    [(html, mimetype)] = sent.alternatives  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert 'dir="rtl"' in html
    assert "تم تسجيل بلاغكم" in html


def test_it_escapes_text_in_the_html_e_mail() -> None:
    EmailTransport().notify(
        _sms(channel="email", recipient="a@example.org", body="<script>x</script>", subject="s")
    )
    [(html, _mime)] = mail.outbox[0].alternatives  # type: ignore[attr-defined]
    assert "<script>" not in html


def test_it_faxes_through_the_e_mail_gateway_address(settings: Any) -> None:
    settings.NIDAA_FAX_EMAIL_PATTERN = "{number}@fax.omantel.example"
    EmailFaxTransport().notify(_sms(channel="fax", recipient="+96824123456", subject="Report"))
    [sent] = mail.outbox
    assert sent.to == ["96824123456@fax.omantel.example"]
    assert sent.alternatives == []  # type: ignore[attr-defined]
