"""Credentials never reach a stored error or a log line.

An outside service's error often quotes the request: a GET-style SMS gateway's
URL with ``password=…``, a webhook path with its token, an ``Authorization``
header. :func:`redact` replaces such values with ``***`` wherever they appear:

- query and form parameters whose name says secret (``password``, ``token``,
  ``access_token``, ``secret``, ``api_key``, ``signature`` …), also as JSON;
- the user information of a URL (``https://user:pass@host``);
- ``Authorization``-style values (``Bearer …``, ``Basic …``);
- the token in our own webhook paths (``/notify/sms/<kind>/<token>/``);
- every secret the settings hold (the SMS gateway's password and tokens, the
  platforms' app secrets), wherever it shows up literally.

:class:`RedactingFilter` applies it to every log record (message, arguments and
traceback); ``settings.LOGGING`` installs it on every handler. Stored errors go
through :func:`redact` before they are saved.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from django.conf import settings

MASK = "***"
_CREDENTIAL_NAMES = (
    r"pass(?:word|wd)?|pwd|secret|client_secret|app_secret|consumer_secret|"
    r"(?:access_|refresh_|verify_|auth_|api_|webhook_)?token|api_?key|apikey|"
    r"key|signature|sig|auth|authorization|session(?:id)?|hub\.verify_token"
)
# name=value in a query string, a form body or a log line ("password=s3cret&to=…").
_PARAM = re.compile(rf"(?i)(\b(?:{_CREDENTIAL_NAMES})=)[^&\s'\"<>,;]+")
# "password": "s3cret" in JSON or a repr.
_QUOTED = re.compile(rf"(?i)(['\"](?:{_CREDENTIAL_NAMES})['\"]\s*:\s*['\"])[^'\"]*")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@:]+:[^/\s@]+@")
_SCHEME_CREDENTIALS = re.compile(r"(?i)\b(Bearer|Basic|Token|OAuth)\s+[A-Za-z0-9._~+/=-]{6,}")
_WEBHOOK_PATH = re.compile(r"(/notify/sms/[a-z]+/)[^/\s?]+")
# Configured values shorter than this are left alone: too likely to be ordinary words.
_MIN_SECRET_LENGTH = 6


def _configured_secrets() -> tuple[str, ...]:
    gateway = getattr(settings, "NIDAA_SMS_GATEWAY", {})
    values = [
        gateway.get("PASSWORD", ""),
        gateway.get("TOKEN", ""),
        gateway.get("WEBHOOK_TOKEN", ""),
        getattr(settings, "NIDAA_FACEBOOK_APP_SECRET", ""),
        getattr(settings, "NIDAA_FACEBOOK_VERIFY_TOKEN", ""),
        getattr(settings, "NIDAA_X_CONSUMER_SECRET", ""),
        getattr(settings, "EMAIL_HOST_PASSWORD", ""),
        getattr(settings, "SECRET_KEY", ""),
    ]
    return _long_enough(tuple(values))


@lru_cache(maxsize=8)
def _long_enough(values: tuple[str, ...]) -> tuple[str, ...]:
    found = {value for value in values if isinstance(value, str)}
    return tuple(sorted((v for v in found if len(v) >= _MIN_SECRET_LENGTH), key=len, reverse=True))


def redact(text: str) -> str:
    """``text`` with every credential in it replaced by ``***``."""
    if not text:
        return text
    for secret in _configured_secrets():
        text = text.replace(secret, MASK)
    text = _USERINFO.sub(rf"\g<1>{MASK}@", text)
    text = _PARAM.sub(rf"\g<1>{MASK}", text)
    text = _QUOTED.sub(rf"\g<1>{MASK}", text)
    text = _SCHEME_CREDENTIALS.sub(rf"\g<1> {MASK}", text)
    return _WEBHOOK_PATH.sub(rf"\g<1>{MASK}", text)


class RedactingFilter(logging.Filter):
    """Redacts the message, its arguments and its traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter's own error
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
