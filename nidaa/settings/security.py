"""Sign-in, sessions, cookies, TLS, trusted proxies, request size limits and the
production refusals (docs/security.md)."""

from __future__ import annotations

import sys

from helpdesk.env import env_bool, env_int, env_list
from nidaa.settings.base import DEBUG

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

# Production hardening (docs/security.md). With DEBUG off, the web processes and every
# management command that runs Django's checks refuse to start with a weak SECRET_KEY,
# the console SMS backend or the demo logins (nidaa/production.py); under the test
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
