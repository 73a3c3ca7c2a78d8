"""Logging: one console handler; credentials and personal data are masked (docs/privacy.md)."""

from __future__ import annotations

from helpdesk.env import env_str

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Credentials (helpdesk/redaction.py), phone numbers, e-mail addresses and message texts
    # (docs/privacy.md) never reach a log line: every handler filters both.
    "filters": {
        "redact": {"()": "helpdesk.redaction.RedactingFilter"},
        "personal_data": {"()": "helpdesk.privacy.logging.PersonalDataFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
