"""Django settings for Nidaa.

Everything that differs between a laptop and production comes from the
environment through the typed readers in ``helpdesk.env``; ``.env.example``
documents every variable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from helpdesk.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_optional,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("NIDAA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, uploads and the outbox live here

DEBUG = env_bool("DEBUG", False)
# The demo key is only accepted while DEBUG is on: production must set its own.
SECRET_KEY = env_str("SECRET_KEY", "insecure-demo-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# WebSocket origins (helpdesk/origins.py, docs/security.md): exact scheme://host[:port].
# Outside sites allowed to embed the citizen widget (CORS on /chat/api/… and /ws/chat/).
WIDGET_ORIGINS = env_list("NIDAA_WIDGET_ORIGINS", [])
# Origins staff sockets accept; empty: the site's own (CSRF_TRUSTED_ORIGINS,
# NIDAA_PUBLIC_URL and the request's own scheme://Host).
STAFF_ORIGINS = env_list("NIDAA_STAFF_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "helpdesk",
    "chat",
    "social",
    "bots",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "helpdesk.security_headers.SecurityHeadersMiddleware",  # CSP, Cache-Control: no-store
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
ASGI_APPLICATION = "helpdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.nidaa",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'nidaa.sqlite3'}")}
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, the worker and the scheduler share the file;
    # IMMEDIATE transactions make SQLite take the write lock up front, so
    # concurrent writers queue instead of failing with "database is locked";
    # within a process they queue on a lock rather than SQLite's polling
    # (helpdesk/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "helpdesk.sqlite_backend"
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Keep SQLite connections open: closing the last one checkpoints the WAL with
    # fsyncs, which the channels layer's per-hop close did for every chat message
    # (make bench measured ~50 ms per message; bench/NOTES.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Under Daphne every HTTP request runs in a thread of its own, so neither a
    # connection per request nor a persistent one per thread bounds PostgreSQL's
    # connections; a pool per process does (docs/deployment.md, "PostgreSQL").
    DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0, minimum=0)
    if DATABASE_POOL_SIZE:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_SIZE,
            "timeout": 30,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Threads that run HTTP requests' sync code in each web process, each keeping one
# database connection (helpdesk/request_threads.py).
HTTP_REQUEST_THREADS = env_int("HTTP_REQUEST_THREADS", 4, minimum=1)

REDIS_URL = env_optional("REDIS_URL")
# redis-py 8 fails past 100 pooled connections instead of waiting (make bench's
# reconnect storm crashed consumers), so pools are sized here.
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 1000, minimum=10)
# redis-py 8 also times every read out after 5 s by default — exactly the channel
# layer's own blocking receive (BZPOPMIN, 5 s): quiet sockets were closed with
# 1011 every few seconds. Reads get longer than that wait; a dead server is still
# noticed.
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 30, minimum=10)
CHANNEL_LAYERS: dict[str, Any]
if REDIS_URL:
    _redis_options = {
        "max_connections": REDIS_MAX_CONNECTIONS,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": 5,
        "health_check_interval": 15,
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **_redis_options}],
                "capacity": env_int("CHANNEL_LAYER_CAPACITY", 1500, minimum=100),
                "expiry": env_int("CHANNEL_LAYER_EXPIRY", 60, minimum=5),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nidaa",
            "OPTIONS": _redis_options,
        }
    }
else:
    # The in-memory layer's default capacity (100 per channel) made group_send drop
    # events silently for busy agent consoles under load (make bench, bench/NOTES.md).
    CHANNEL_LAYERS = {
        "default": {
            # Channels' in-memory layer without its per-event walk over every socket.
            "BACKEND": "helpdesk.channel_layer.LocalChannelLayer",
            "CONFIG": {"capacity": env_int("CHANNEL_LAYER_CAPACITY", 1500, minimum=100)},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications", "social"],
    }
}

# Every password set through a form (admin, password change) is checked; an all-digit
# password is refused whatever its length.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins (staff login and admin) before both are refused for the window
# (helpdesk/login_throttle.py).
NIDAA_LOGIN_FAILURES_PER_ACCOUNT = env_int("NIDAA_LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
NIDAA_LOGIN_FAILURES_PER_ADDRESS = env_int("NIDAA_LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
NIDAA_LOGIN_LOCKOUT_MINUTES = env_int("NIDAA_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Arabic numbers with a decimal point, not Django's «225,6» (helpdesk/formats/ar).
FORMAT_MODULE_PATH = ["helpdesk.formats"]
TIME_ZONE = "Asia/Muscat"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # collectstatic fills it; WhiteNoise warns while it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads are served only through signed, expiring links (helpdesk.attachments).
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

# Production hardening (docs/security.md). With DEBUG off, the web processes and every
# management command that runs Django's checks refuse to start with a weak SECRET_KEY,
# the console SMS backend or the demo logins (helpdesk/production.py); under the test
# runner the tests switch this on themselves.
NIDAA_PRODUCTION_CHECKS = env_bool(
    "NIDAA_PRODUCTION_CHECKS", not DEBUG and "pytest" not in sys.modules
)
# A deployment that really sends no SMS (or a benchmark) says so explicitly.
NIDAA_ALLOW_CONSOLE_SMS = env_bool("NIDAA_ALLOW_CONSOLE_SMS", False)
# Only for throw-away servers (make bench): start although the demo logins exist.
NIDAA_ALLOW_DEMO_LOGINS = env_bool("NIDAA_ALLOW_DEMO_LOGINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
# Sessions end after this long without a request or a staff-socket frame (the console's
# heartbeat counts), and with the browser.
SESSION_COOKIE_AGE = env_int("NIDAA_SESSION_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The reverse proxies (addresses or networks) whose X-Forwarded-For / -Proto are believed
# (helpdesk/proxies.py); from anyone else those headers are dropped. Daphne runs
# without --proxy-headers.
NIDAA_TRUSTED_PROXIES = env_list("NIDAA_TRUSTED_PROXIES", [])
if env_bool("BEHIND_TLS_PROXY", False):
    # Safe: X-Forwarded-Proto only reaches Django from a trusted proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Nidaa 1111 <nidaa@mm.gov.om.example>")

# Organisation-specific
NIDAA_REFERENCE_PREFIX = env_str("NIDAA_REFERENCE_PREFIX", "MCT")
NIDAA_PUBLIC_URL = env_str("NIDAA_PUBLIC_URL", "http://127.0.0.1:8000")
NIDAA_DEFAULT_PHONE_REGION = env_str("NIDAA_DEFAULT_PHONE_REGION", "OM")
# The public report form refuses submissions faster than a person can type (spam bots).
NIDAA_PORTAL_MIN_SECONDS = env_int("NIDAA_PORTAL_MIN_SECONDS", 3, minimum=0)

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
# Each web process runs the distributor's engine (helpdesk/acd.py); one leads per database.
NIDAA_ACD_ENGINE = env_bool("NIDAA_ACD_ENGINE", True)
# The leader's session (advisory lock, LISTEN) goes here when DATABASE_URL points at a
# pooler in transaction mode; empty: the same server as DATABASE_URL.
NIDAA_ACD_DATABASE_URL = env_str("NIDAA_ACD_DATABASE_URL", "")
# Seconds between the scheduler's service sweeps (SLA, stuck notifications, orphan uploads)
# and e-mail ingest runs (helpdesk/jobs.py); the distributor's clock ticks every 2 s.
NIDAA_SCHEDULER_INTERVAL = env_int("NIDAA_SCHEDULER_INTERVAL", 60, minimum=1)
# The scheduler e-mails yesterday's report to the supervisors at this hour (Asia/Muscat)
# when NIDAA_DAILY_REPORT_EMAIL is on (`manage.py report_daily` prints or sends any day).
NIDAA_DAILY_REPORT_EMAIL = env_bool("NIDAA_DAILY_REPORT_EMAIL", False)
NIDAA_DAILY_REPORT_HOUR = env_int("NIDAA_DAILY_REPORT_HOUR", 6, minimum=0, maximum=23)
# A Maildir the scheduler ingests e-mails from (what arrived in new/ since its last run);
# empty: e-mails come in by `manage.py email_ingest` only.
NIDAA_EMAIL_MAILDIR = env_str("NIDAA_EMAIL_MAILDIR", "")
# Days of past activity `demo_setup` writes for the demo (`demo_history`); 0: none.
NIDAA_DEMO_HISTORY_DAYS = env_int("NIDAA_DEMO_HISTORY_DAYS", 30, minimum=0)
# The category classifier (docs/assistant.md): a suggestion at least this probable (in
# percent) is pre-selected; below it the citizen or the agent chooses among the top three.
NIDAA_CLASSIFIER_CONFIDENCE = (
    env_int("NIDAA_CLASSIFIER_CONFIDENCE_PERCENT", 80, minimum=1, maximum=99) / 100
)
# The scheduler retrains the classifier once a night, from this hour (Asia/Muscat).
NIDAA_CLASSIFIER_TRAIN_HOUR = env_int("NIDAA_CLASSIFIER_TRAIN_HOUR", 2, minimum=0, maximum=23)

# Social media (social/, docs/social.md). App-level values here; each X account's
# and Facebook page's own token is read from the variable named in the admin.
NIDAA_X_API_URL = env_str("X_API_URL", "https://api.twitter.com")
NIDAA_X_CONSUMER_KEY = env_str("X_CONSUMER_KEY", "")
NIDAA_X_CONSUMER_SECRET = env_str("X_CONSUMER_SECRET", "")
NIDAA_FACEBOOK_GRAPH_URL = env_str("FACEBOOK_GRAPH_URL", "https://graph.facebook.com/")
NIDAA_FACEBOOK_GRAPH_VERSION = env_str("FACEBOOK_GRAPH_VERSION", "v25.0")
NIDAA_FACEBOOK_APP_SECRET = env_str("FACEBOOK_APP_SECRET", "")
NIDAA_FACEBOOK_VERIFY_TOKEN = env_str("FACEBOOK_VERIFY_TOKEN", "")
NIDAA_SOCIAL_MEDIA_MAX_BYTES = env_int(
    "SOCIAL_MEDIA_MAX_BYTES", 8 * 1024 * 1024, minimum=1024, maximum=50 * 1024 * 1024
)
NIDAA_SOCIAL_HTTP_TIMEOUT = env_int("SOCIAL_HTTP_TIMEOUT", 20, minimum=1, maximum=300)
# Replies leave through the one outbox: their attempts are NIDAA_NOTIFY_MAX_ATTEMPTS.
# Downloads of citizens' media, in the worker: tries per file and the first pause between them.
NIDAA_SOCIAL_MEDIA_ATTEMPTS = env_int("SOCIAL_MEDIA_ATTEMPTS", 3, minimum=1, maximum=10)
NIDAA_SOCIAL_MEDIA_RETRY_SECONDS = env_int("SOCIAL_MEDIA_RETRY_SECONDS", 2, minimum=0, maximum=60)
# Chat uploads no message took are deleted after this many hours; quotas per conversation
# (waiting to be sent, and in all) and per address per day (helpdesk/services/uploads.py).
NIDAA_ORPHAN_UPLOAD_HOURS = env_int("NIDAA_ORPHAN_UPLOAD_HOURS", 24, minimum=1)
NIDAA_UPLOADS_PENDING_PER_CONVERSATION = env_int(
    "NIDAA_UPLOADS_PENDING_PER_CONVERSATION", 8, minimum=1
)
NIDAA_UPLOADS_PER_CONVERSATION = env_int("NIDAA_UPLOADS_PER_CONVERSATION", 40, minimum=1)
NIDAA_UPLOADS_PER_ADDRESS_PER_DAY = env_int("NIDAA_UPLOADS_PER_ADDRESS_PER_DAY", 200, minimum=1)
# Request bodies (helpdesk/request_limits.py refuses larger ones unread, with 413): every
# route but the social webhooks. An 8 MB photo in a form fits; nginx has the same figure.
NIDAA_MAX_REQUEST_BYTES = env_int(
    "NIDAA_MAX_REQUEST_BYTES", 10 * 1024 * 1024, minimum=64 * 1024, maximum=100 * 1024 * 1024
)
# Django's own limits, stated: form fields held in memory, and files kept in memory
# before they go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=65_536)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=65_536)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000, minimum=10)
# The largest webhook body kept in the inbox journal (Meta batches up to 1000 events).
NIDAA_SOCIAL_WEBHOOK_MAX_BYTES = env_int(
    "SOCIAL_WEBHOOK_MAX_BYTES", 20 * 1024 * 1024, minimum=64 * 1024, maximum=100 * 1024 * 1024
)
# After this long, journal entries still unread are handed to the worker again (the sweep).
NIDAA_SOCIAL_INBOX_GRACE_SECONDS = env_int("SOCIAL_INBOX_GRACE_SECONDS", 60, minimum=1)

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
