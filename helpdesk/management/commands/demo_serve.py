"""Serve the demo: the web process and its helpers, side by side, until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from helpdesk.management.commands.demo_setup import DEMO_PASSWORD, DEMO_USERS

HOST, PORT = "127.0.0.1", 8000
MANAGE_PY = Path(__file__).resolve().parents[3] / "manage.py"

# Every process of the embedded deployment (DESIGN.md, "Processes").
PROCESSES: list[tuple[str, list[str]]] = [
    ("web", ["-m", "daphne", "-b", HOST, "-p", str(PORT), "helpdesk.asgi:application"]),
    (
        "worker",
        [
            str(MANAGE_PY),
            "db_worker",
            "--queue-name",
            "default,notifications",
            "--interval",
            "1",
            "--no-reload",
        ],
    ),
    ("scheduler", [str(MANAGE_PY), "run_scheduler", "--interval", "30"]),
    ("social-listen", [str(MANAGE_PY), "social_listen"]),
    # Reads the social inbox journal (webhook bodies, polled X pages); see docs/social.md.
    ("social-worker", [str(MANAGE_PY), "db_worker", "--queue-name", "social", "--no-reload"]),
    ("acd", [str(MANAGE_PY), "acd_sweep"]),
]


class Command(BaseCommand):
    help = "Run the demo web server (and its worker processes) on http://127.0.0.1:8000."

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://{HOST}:{PORT}"
        self.stdout.write(self.style.SUCCESS(f"\nNidaa demo on {base}\n"))
        self.stdout.write(f"  Municipality site with the chat widget: {base}/")
        self.stdout.write(f"  Staff sign-in:                          {base}/accounts/login/")
        self.stdout.write(f"  Administration:                         {base}/admin/")
        self.stdout.write(f"\n  Demo logins (password {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"    {user['username']:<12} {user['role']}")
        self.stdout.write("\n  Press Ctrl-C to stop.\n")
        self.stdout.write(f"  SMS and e-mail outbox:                  {settings.NIDAA_OUTBOX_DIR}/")
        env = {
            **os.environ,
            "DEBUG": os.environ.get("DEBUG", "1"),
            # The demo shows every e-mail on the console and keeps a copy in the outbox.
            "EMAIL_BACKEND": os.environ.get(
                "EMAIL_BACKEND", "helpdesk.notify.mail.ConsoleAndOutboxBackend"
            ),
        }
        children = [
            subprocess.Popen([sys.executable, *argv], env=env)  # noqa: S603 - fixed argv
            for _name, argv in PROCESSES
        ]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [
            name for (name, _argv), c in zip(PROCESSES, children, strict=True) if c.returncode
        ]
        if failed:
            self.stderr.write(f"stopped: {', '.join(failed)} exited with an error")
