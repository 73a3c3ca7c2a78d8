"""E-mail, SMS and fax, the notification outbox's retries, partner callbacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpdesk.env import env_bool, env_int, env_str
from nidaa.settings.base import VAR_DIR

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Nidaa 1111 <nidaa@mm.gov.om.example>")

# Notifications and SLA follow-up (helpdesk/notify, docs/notifications.md)
NIDAA_OUTBOX_DIR = Path(env_str("NIDAA_OUTBOX_DIR", str(VAR_DIR / "outbox")))
NIDAA_SMS_BACKEND = env_str("NIDAA_SMS_BACKEND", "console")
NIDAA_SMS_GATEWAY: dict[str, Any] = {
    "URL": env_str("NIDAA_SMS_URL", ""),
    "METHOD": env_str("NIDAA_SMS_METHOD", "POST").upper(),
    "PARAM_TO": env_str("NIDAA_SMS_PARAM_TO", "to"),
    # e164 (+96891234567) or digits (96891234567)
    "TO_FORMAT": env_str("NIDAA_SMS_TO_FORMAT", "e164"),
    "PARAM_TEXT": env_str("NIDAA_SMS_PARAM_TEXT", "text"),
    "PARAM_SENDER": env_str("NIDAA_SMS_PARAM_SENDER", "from"),
    "SENDER": env_str("NIDAA_SMS_SENDER", "1111"),
    "PARAM_REFERENCE": env_str("NIDAA_SMS_PARAM_REFERENCE", ""),
    "PARAM_UNICODE": env_str("NIDAA_SMS_PARAM_UNICODE", ""),
    "EXTRA_PARAMS": env_str("NIDAA_SMS_EXTRA_PARAMS", ""),
    "AUTH": env_str("NIDAA_SMS_AUTH", "none").lower(),
    "USERNAME": env_str("NIDAA_SMS_USERNAME", ""),
    "PASSWORD": env_str("NIDAA_SMS_PASSWORD", ""),
    "PARAM_USERNAME": env_str("NIDAA_SMS_PARAM_USERNAME", "username"),
    "PARAM_PASSWORD": env_str("NIDAA_SMS_PARAM_PASSWORD", "password"),
    "TOKEN": env_str("NIDAA_SMS_TOKEN", ""),
    "SUCCESS_REGEX": env_str("NIDAA_SMS_SUCCESS_REGEX", ""),
    "MESSAGE_ID_REGEX": env_str("NIDAA_SMS_MESSAGE_ID_REGEX", ""),
    "TIMEOUT": env_int("NIDAA_SMS_TIMEOUT", 15, minimum=1, maximum=120),
    # Webhooks from the gateway: /notify/sms/<kind>/<token>/
    "WEBHOOK_TOKEN": env_str("NIDAA_SMS_WEBHOOK_TOKEN", ""),
    "DLR_PARAM_ID": env_str("NIDAA_SMS_DLR_PARAM_ID", "id"),
    "DLR_PARAM_REFERENCE": env_str("NIDAA_SMS_DLR_PARAM_REFERENCE", "reference"),
    "DLR_PARAM_STATUS": env_str("NIDAA_SMS_DLR_PARAM_STATUS", "status"),
    "INBOUND_PARAM_FROM": env_str("NIDAA_SMS_INBOUND_PARAM_FROM", "from"),
    "INBOUND_PARAM_TEXT": env_str("NIDAA_SMS_INBOUND_PARAM_TEXT", "text"),
    "INBOUND_PARAM_ID": env_str("NIDAA_SMS_INBOUND_PARAM_ID", "id"),
}
NIDAA_FAX_EMAIL_PATTERN = env_str("NIDAA_FAX_EMAIL_PATTERN", "{number}@fax.example")
NIDAA_NOTIFY_MAX_ATTEMPTS = env_int("NIDAA_NOTIFY_MAX_ATTEMPTS", 8, minimum=1, maximum=50)
NIDAA_NOTIFY_RETRY_BASE_SECONDS = env_int("NIDAA_NOTIFY_RETRY_BASE_SECONDS", 30, minimum=1)
NIDAA_NOTIFY_RETRY_MAX_SECONDS = env_int("NIDAA_NOTIFY_RETRY_MAX_SECONDS", 3600, minimum=1)
# A worker holds a message this long while sending; after that the sweep re-queues it.
NIDAA_NOTIFY_LEASE_SECONDS = env_int("NIDAA_NOTIFY_LEASE_SECONDS", 120, minimum=1)
# Partner callbacks (docs/partners.md): seconds to wait for the partner's answer, and
# whether plain http:// callback URLs are accepted (development and tests only).
NIDAA_PARTNER_CALLBACK_TIMEOUT = env_int(
    "NIDAA_PARTNER_CALLBACK_TIMEOUT", 10, minimum=1, maximum=60
)
NIDAA_PARTNER_CALLBACK_ALLOW_HTTP = env_bool("NIDAA_PARTNER_CALLBACK_ALLOW_HTTP", False)
# Business minutes after "resolved" before the dispatcher is reminded to call the citizen.
NIDAA_CALLBACK_DUE_MINUTES = env_int("NIDAA_CALLBACK_DUE_MINUTES", 60, minimum=1)
