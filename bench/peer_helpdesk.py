"""django-helpdesk 2.6.1, the Python peer for ticket intake, in a virtual environment of its own.

The bench installs the peer from PyPI with pinned versions into
``var/bench-peer/<hash of the pins>/`` (kept between runs: the same pins reuse
it), generates a minimal Django project for it in the run's scratch directory
(SQLite, Django's defaults, django-helpdesk's public ticket form with CSRF on,
the submitter's e-mail written to files) and serves it with Daphne, one
process, as Nidaa is served. No django-helpdesk code is copied into this
repository: everything below is settings and one URL line.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.procs import LISTEN_BACKLOG, REPO, Server, free_port, spawn, wait_listening

# Pinned to the versions Nidaa runs where they overlap (Django, Daphne), so the two
# differ in the application only.
PINS = (
    "django-helpdesk==2.6.1",
    "Django==5.2.19",
    "daphne==4.2.3",
    "Twisted==26.10.0",
    "asgiref==3.13.0",
    "djangorestframework==3.18.3",
    "django-model-utils==5.0.0",
    "django-cleanup==9.0.0",
    "Markdown==3.11.3",
    "nh3==0.3.8",
    "email-reply-parser==0.5.12",
    "beautifulsoup4==4.15.0",
    "requests==2.34.2",
)
HOME = REPO / "var" / "bench-peer"
INSTALL_TIMEOUT = 600
FORM_PATH = "/tickets/submit/"
# What the peer's public form is filled with (bench/intake.py fills ``{index}``).
FORM = {
    "path": FORM_PATH,
    "choice_field": "queue",
    "fields": {
        "title": "Street light out",
        "body": "Street light out (make bench).",
        "submitter_email": "citizen{index}@example.com",
        "priority": "3",
    },
    "wait_seconds": 0.0,
}

SETTINGS = """\
from pathlib import Path

WORK = Path({work!r})
SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {{
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        }},
    }}
]
# The SQLite file settings Nidaa ships (WAL, synchronous=NORMAL, writers queue up
# front); connections as Django does by default, one per request.
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": WORK / "peer.sqlite3",
        "OPTIONS": {{
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }},
    }}
}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "/login/"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = WORK / "mail"
HELPDESK_TEAMS_MODE_ENABLED = False
LOGGING = {{"version": 1, "root": {{"level": "WARNING"}}}}
"""

URLS = """\
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
"""

ASGI = """\
from django.core.asgi import get_asgi_application

application = get_asgi_application()
"""

SEED = """\
import django

django.setup()
from helpdesk.models import Queue

Queue.objects.get_or_create(
    slug="bench", defaults={"title": "Bench", "allow_public_submission": True}
)
"""


class PeerUnavailable(RuntimeError):
    pass


def _pins_key() -> str:
    text = "\n".join((sys.version.split()[0], *PINS))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def venv_dir() -> Path:
    return HOME / _pins_key()


def peer_python() -> Path:
    """The peer's interpreter, installing it first if these pins were never installed here."""
    venv = venv_dir()
    python = venv / "bin" / "python"
    if (venv / ".installed").exists():
        return python
    venv.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", *PINS],
    ]
    for argv in steps:
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise PeerUnavailable(
                f"installing {PINS[0]} took more than {INSTALL_TIMEOUT} s"
            ) from None
        if done.returncode != 0:
            tail = " ".join(done.stderr.strip().splitlines()[-2:])[:300]
            raise PeerUnavailable(f"could not install {PINS[0]} from PyPI (no network?): {tail}")
    (venv / ".installed").write_text("\n".join(PINS) + "\n")
    return python


def peer_problem() -> str | None:
    """Why the peer cannot run here (it could not be installed), or None when it can."""
    try:
        peer_python()
    except PeerUnavailable as exc:
        return str(exc)
    return None


def _env(work: Path) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        {
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(work),
            "DJANGO_SETTINGS_MODULE": "peer_settings",
        }
    )
    return env


def prepare_project(work: Path, python: Path, log: Path) -> None:
    """Write the peer's project, migrate it and create its one public queue."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "mail").mkdir(exist_ok=True)
    (work / "peer_settings.py").write_text(SETTINGS.format(work=str(work)))
    (work / "peer_urls.py").write_text(URLS)
    (work / "peer_asgi.py").write_text(ASGI)
    (work / "peer_seed.py").write_text(SEED)
    (work / "peer.sqlite3").unlink(missing_ok=True)
    env = _env(work)
    with open(log, "ab") as handle:
        for argv in (
            [str(python), "-m", "django", "migrate", "--no-input", "-v", "0"],
            [str(python), str(work / "peer_seed.py")],
        ):
            subprocess.run(
                argv,
                cwd=work,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=300,
            )


def start_peer(target: Any, log_dir: Path) -> Server:
    python = peer_python()
    work = log_dir / target.name
    prepare_project(work, python, log_dir / f"{target.name}-setup.log")
    port = free_port()
    argv = [
        str(python),
        "-m",
        "daphne",
        "-e",
        f"tcp:{port}:interface=127.0.0.1:backlog={LISTEN_BACKLOG}",
        "-v",
        "0",
        "peer_asgi:application",
    ]
    process = spawn(argv, env=_env(work), log_path=log_dir / f"{target.name}-0.log", cwd=work)
    server = Server(target.name, [port], [process], log_dir)
    try:
        wait_listening([port], [process])
    except RuntimeError as exc:
        server.stop()
        raise RuntimeError(f"{target.name}: {exc}\n{server.log_tail()}") from None
    target.options.update({"http": [f"http://127.0.0.1:{port}"], "intake_form": FORM})
    return server
