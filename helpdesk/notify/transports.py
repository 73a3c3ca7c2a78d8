"""One class per outside service that carries a notification.

Every transport exposes ``notify(notification) -> provider message id`` and
raises :class:`TransportError` on failure: ``permanent=True`` when trying again
cannot help (a rejected number, a 4xx from the gateway), ``permanent=False``
when it may (a timeout, a 5xx, a refused connection). The worker decides about
retries; transports never retry on their own.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import smtplib
from email.utils import make_msgid
from functools import partial
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from helpdesk import adapters, partner_callbacks
from helpdesk.models import Message, Notification
from helpdesk.models.notifications import PARTNER_CALLBACK
from helpdesk.models.people import NotifyChannel
from helpdesk.notify.segments import UCS2, sms_size
from helpdesk.privacy.logging import personal
from helpdesk.redaction import redact
from helpdesk.services.conversations import message_delivered_mark, notice_post

logger = logging.getLogger(__name__)


class TransportError(Exception):
    """A send failed. ``retry_at``: the platform said when to try again (rate limits).

    ``reason`` is a stable code and ``explanation`` what the agent reads in the
    conversation when a message to the citizen's channel fails for good.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        reason: str = "",
        retry_at: datetime.datetime | None = None,
        explanation: str = "",
    ) -> None:
        # Gateways' errors quote their URLs (password=…): kept and logged without them.
        self.message = redact(message)
        super().__init__(self.message)
        self.permanent = permanent
        self.reason = reason or ("rejected" if permanent else "unavailable")
        self.retry_at = retry_at
        self.explanation = explanation


class Transport(Protocol):
    def notify(self, notification: Notification) -> str:
        """Hand ``notification`` to the service; return the service's message id."""


# ---- SMS ---------------------------------------------------------------------------


class HttpSmsTransport:
    """A generic bulk-SMS HTTP API, described entirely by ``settings.NIDAA_SMS_GATEWAY``.

    Omani bulk-SMS providers take the number, the text, a sender name and
    credentials as GET or POST parameters and answer with a status line or
    JSON; the parameter names, the success check and where the message id is
    found are configuration, not code.
    """

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = dict(config or settings.NIDAA_SMS_GATEWAY)
        if not self.config.get("URL"):
            raise ImproperlyConfigured("NIDAA_SMS_BACKEND=http needs NIDAA_SMS_URL.")
        if self.config["METHOD"] not in ("GET", "POST"):
            raise ImproperlyConfigured("NIDAA_SMS_METHOD must be GET or POST.")

    def _params(self, notification: Notification) -> dict[str, str]:
        c = self.config
        to = notification.recipient
        if c.get("TO_FORMAT") == "digits":
            to = to.lstrip("+")
        params = dict(parse_qsl(c.get("EXTRA_PARAMS", ""), keep_blank_values=True))
        params[c["PARAM_TO"]] = to
        params[c["PARAM_TEXT"]] = notification.body
        if c.get("PARAM_SENDER"):
            params[c["PARAM_SENDER"]] = c["SENDER"]
        if c.get("PARAM_REFERENCE"):
            params[c["PARAM_REFERENCE"]] = notification.idempotency_key
        if c.get("PARAM_UNICODE") and sms_size(notification.body).encoding == UCS2:
            params[c["PARAM_UNICODE"]] = "1"
        if c.get("AUTH") == "params":
            params[c["PARAM_USERNAME"]] = c["USERNAME"]
            params[c["PARAM_PASSWORD"]] = c["PASSWORD"]
        return params

    def notify(self, notification: Notification) -> str:
        c = self.config
        params = self._params(notification)
        auth = (c["USERNAME"], c["PASSWORD"]) if c.get("AUTH") == "basic" else None
        headers = {"Authorization": f"Bearer {c['TOKEN']}"} if c.get("AUTH") == "bearer" else {}
        try:
            if c["METHOD"] == "GET":
                response = requests.get(
                    c["URL"], params=params, auth=auth, headers=headers, timeout=c["TIMEOUT"]
                )
            else:
                response = requests.post(
                    c["URL"], data=params, auth=auth, headers=headers, timeout=c["TIMEOUT"]
                )
        except requests.Timeout:
            raise TransportError("The SMS gateway timed out.") from None
        except requests.RequestException as exc:
            raise TransportError(f"The SMS gateway is unreachable: {exc}") from None
        body = response.text[:500]
        status = response.status_code
        if status >= 500 or status in (408, 429):
            raise TransportError(f"SMS gateway answered {status}: {body}")
        if status >= 400:
            raise TransportError(
                f"SMS gateway refused the message ({status}): {body}", permanent=True
            )
        if c.get("SUCCESS_REGEX") and not re.search(c["SUCCESS_REGEX"], response.text):
            raise TransportError(f"SMS gateway did not confirm: {body}", permanent=True)
        if c.get("MESSAGE_ID_REGEX"):
            match = re.search(c["MESSAGE_ID_REGEX"], response.text)
            if match:
                return match.group(1) if match.groups() else match.group(0)
        return ""


class ConsoleSmsTransport:
    """The demo's SMS gateway: one JSON line per message in the outbox, and the log."""

    def __init__(self, outbox: Path | None = None) -> None:
        self.outbox = Path(outbox or settings.NIDAA_OUTBOX_DIR)

    def notify(self, notification: Notification) -> str:
        size = sms_size(notification.body)
        record = {
            "at": timezone.now().isoformat(),
            "to": notification.recipient,
            "text": notification.body,
            "encoding": size.encoding,
            "parts": size.parts,
            "reference": notification.idempotency_key,
        }
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            with (self.outbox / "sms.jsonl").open("a", encoding="utf-8") as outbox:
                outbox.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise TransportError(f"Cannot write the SMS outbox: {exc}") from None
        logger.info(
            "SMS to %s (%s part(s), %s): %s",
            notification.recipient,
            size.parts,
            size.encoding,
            personal(notification.body),
        )
        return f"console-{notification.pk}"


def sms_transport() -> Transport:
    backend = settings.NIDAA_SMS_BACKEND
    if backend == "http":
        return HttpSmsTransport()
    if backend == "console":
        return ConsoleSmsTransport()
    raise ImproperlyConfigured(f"NIDAA_SMS_BACKEND={backend!r}: use console or http.")


# ---- e-mail and fax -------------------------------------------------------------------


def _send_mail(notification: Notification, *, to: str, html: bool) -> str:
    message_id = make_msgid(domain="nidaa.local")
    mail = EmailMultiAlternatives(
        subject=notification.subject or notification.body.splitlines()[0][:120],
        body=notification.body,
        to=[to],
        headers={"Message-ID": message_id, "X-Nidaa-Reference": notification.idempotency_key},
    )
    if html:
        rtl = notification.language.startswith("ar")
        mail.attach_alternative(
            render_to_string(
                "notify/email.html",
                {
                    "subject": mail.subject,
                    "paragraphs": [p for p in notification.body.split("\n\n") if p.strip()],
                    "lang": notification.language[:2],
                    "dir": "rtl" if rtl else "ltr",
                },
            ),
            "text/html",
        )
    try:
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise TransportError(f"The mail server refused {to}: {exc}", permanent=True) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TransportError(f"Sending e-mail failed: {exc}") from None
    return message_id


class EmailTransport:
    """E-mail through Django's mail framework: plain text and HTML, right-to-left for Arabic."""

    def notify(self, notification: Notification) -> str:
        return _send_mail(notification, to=notification.recipient, html=True)


class EmailFaxTransport:
    """Fax through an e-mail-to-fax gateway: ``{number}@fax.example`` from the environment."""

    def __init__(self, pattern: str | None = None) -> None:
        self.pattern = pattern or settings.NIDAA_FAX_EMAIL_PATTERN
        if "{number}" not in self.pattern:
            raise ImproperlyConfigured("NIDAA_FAX_EMAIL_PATTERN must contain {number}.")

    def address(self, number: str) -> str:
        return self.pattern.format(number=number.lstrip("+"))

    def notify(self, notification: Notification) -> str:
        return _send_mail(notification, to=self.address(notification.recipient), html=False)


# ---- the citizen's own channel ----------------------------------------------------------


class ConversationTransport:
    """A message in the citizen's conversation, carried by that channel's adapter.

    A ticket notification first becomes a notice in the conversation, written by the
    conversation service (once, by its idempotency key); a staff reply already is a
    message (``message``). An
    adapter that talks to an outside platform (:class:`adapters.OutboundSender`)
    sends it here, under the row's lease; the others (web chat) are handed it.
    """

    def notify(self, notification: Notification) -> str:
        message = notification.message or self._notification_message(notification)
        adapter = adapters.adapter_for(message.channel)
        if adapter is None:
            raise TransportError(f"No adapter for {message.channel}.", permanent=True)
        if not isinstance(adapter, adapters.OutboundSender):
            try:
                adapter.deliver(message)
            except Exception as exc:  # an edge adapter may fail in its own ways
                raise TransportError(f"{message.channel} delivery failed: {exc}") from None
            return f"message-{message.pk}"
        if not notification.target:
            notification.target = adapter.target(message)[:200]
            Notification.objects.filter(pk=notification.pk).update(target=notification.target)
        sent = adapter.send(
            message,
            target=notification.target,
            parts_sent=tuple(notification.parts_sent),
            part_sent=partial(_part_sent, notification),
        )
        if sent.confirmed:
            message_delivered_mark(message)
        return sent.platform_id

    @staticmethod
    def _notification_message(notification: Notification) -> Message:
        """The ticket notification as a notice in the ticket's conversation (once)."""
        conversation = notification.ticket.conversation if notification.ticket else None
        if conversation is None:
            raise TransportError("The ticket has no conversation to answer in.", permanent=True)
        message = notice_post(
            conversation=conversation, text=notification.body, key=notification.idempotency_key
        )
        notification.message = message
        Notification.objects.filter(pk=notification.pk).update(message=message)
        return message


def _part_sent(notification: Notification, platform_id: str) -> None:
    """A long message goes in parts; each sent part is recorded before the next one leaves."""
    notification.parts_sent = [*notification.parts_sent, platform_id]
    Notification.objects.filter(pk=notification.pk).update(parts_sent=notification.parts_sent)


# ---- a partner agency's system -------------------------------------------------------------


class PartnerCallbackTransport:
    """A signed JSON POST to the callback URL a partner agency registered.

    The body was fixed when the change committed; the URL and the secret are
    read now, so a partner that moves its endpoint or rotates its secret gets
    the pending deliveries at the new place, signed with the new secret.
    """

    def __init__(self, timeout: int | None = None) -> None:
        self.timeout = timeout or settings.NIDAA_PARTNER_CALLBACK_TIMEOUT

    def notify(self, notification: Notification) -> str:
        partner = notification.partner
        if partner is None or not partner.callback_url or not partner.callback_secret:
            raise TransportError("The partner has no callback URL and secret.", permanent=True)
        body = notification.body.encode()
        timestamp = str(int(timezone.now().timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Nidaa-Callbacks/1",
            partner_callbacks.TIMESTAMP_HEADER: timestamp,
            partner_callbacks.SIGNATURE_HEADER: partner_callbacks.signature(
                partner.callback_secret, timestamp, body
            ),
            partner_callbacks.EVENT_HEADER: notification.subject,
            partner_callbacks.DELIVERY_HEADER: notification.idempotency_key,
        }
        try:
            response = requests.post(
                partner.callback_url,
                data=body,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise TransportError("The partner's system timed out.") from None
        except requests.RequestException as exc:
            raise TransportError(f"The partner's system is unreachable: {exc}") from None
        status = response.status_code
        answer = response.text[:300]
        if 200 <= status < 300:
            return f"http-{status}"
        if status >= 500 or status in (408, 425, 429):
            raise TransportError(f"The partner's system answered {status}: {answer}")
        # A redirect is not followed (the signature names no host) and a 4xx will not change.
        raise TransportError(
            f"The partner's system refused the callback ({status}): {answer}", permanent=True
        )


def transport_for(channel: str) -> Transport:
    if channel == NotifyChannel.SMS:
        return sms_transport()
    if channel == NotifyChannel.EMAIL:
        return EmailTransport()
    if channel == NotifyChannel.FAX:
        return EmailFaxTransport()
    if channel == NotifyChannel.CONVERSATION:
        return ConversationTransport()
    if channel == PARTNER_CALLBACK:
        return PartnerCallbackTransport()
    raise TransportError(f"Unknown channel {channel!r}.", permanent=True)
