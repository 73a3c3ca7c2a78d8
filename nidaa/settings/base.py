"""Paths, the installed apps, middleware, templates, languages and static files."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from helpdesk.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
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
    "demo",
    "nidaa",
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

ROOT_URLCONF = "nidaa.urls"
ASGI_APPLICATION = "nidaa.asgi.application"

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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Threads that run HTTP requests' sync code in each web process, each keeping one
# database connection (helpdesk/request_threads.py).
HTTP_REQUEST_THREADS = env_int("HTTP_REQUEST_THREADS", 4, minimum=1)

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
