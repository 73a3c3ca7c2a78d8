"""Serve the demo: the web, worker and scheduler processes side by side, until Ctrl-C.

They run in sessions of their own, so the terminal's Ctrl-C reaches this
command alone: it stops them all at once (SIGTERM, then SIGKILL after
:data:`STOP_GRACE_SECONDS`) instead of each one shutting down at its own pace.
When a process cannot start or dies, the others are stopped and the command
exits non-zero with one message naming it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.management.commands.demo_setup import DEMO_PASSWORD, DEMO_USERS

HOST, DEFAULT_PORT = "127.0.0.1", 8000
MANAGE_PY = Path(__file__).resolve().parents[3] / "manage.py"
# Ctrl-C to a quiet prompt in under 3 s: what has not stopped by then is killed.
STOP_GRACE_SECONDS = 1.5
READY_TIMEOUT_SECONDS = 120.0


def demo_processes(port: int) -> list[tuple[str, list[str]]]:
    """The three processes of a deployment (docs/deployment.md): (name, arguments to Python)."""
    return [
        ("web", [str(MANAGE_PY), "web", "--host", HOST, "--port", str(port)]),
        ("worker", [str(MANAGE_PY), "worker"]),
        ("scheduler", [str(MANAGE_PY), "scheduler"]),
    ]


def port_free(port: int) -> bool:
    """Whether the web process could listen on ``HOST:port`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = "Run the demo's web, worker and scheduler processes, on http://127.0.0.1:PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or DEFAULT_PORT),
            help=f"port of the web server (default: $PORT or {DEFAULT_PORT})",
        )
        parser.add_argument(
            "--check", action="store_true", help="only check that the port is free, then exit"
        )

    def handle(self, *args: Any, port: int, check: bool, **options: Any) -> None:
        if not port_free(port):
            raise CommandError(
                f"Port {port} on {HOST} is already in use (another server is running?). "
                f"Stop it, or choose another port: make demo PORT={port + 1}"
            )
        if check:
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        processes = demo_processes(port)
        env = {
            **os.environ,
            "DEBUG": os.environ.get("DEBUG", "1"),
            # The demo shows every e-mail on the console and keeps a copy in the outbox.
            "EMAIL_BACKEND": os.environ.get(
                "EMAIL_BACKEND", "helpdesk.notify.mail.ConsoleAndOutboxBackend"
            ),
        }
        children = [
            # A session of its own: Ctrl-C in the terminal reaches this command only.
            subprocess.Popen(  # noqa: S603 - fixed argv
                [sys.executable, *argv], env=env, start_new_session=True
            )
            for _name, argv in processes
        ]
        names = [name for name, _argv in processes]
        failed: list[str] = []
        try:
            failed = self._watch(children, names, port, stop)
        finally:
            _stop_all(children)
        if failed:
            raise CommandError(
                f"The demo stopped: {', '.join(failed)} could not start or exited "
                "(its messages are above)."
            )
        self.stdout.write("Nidaa demo stopped.")

    def _watch(
        self,
        children: list[subprocess.Popen[bytes]],
        names: list[str],
        port: int,
        stop: threading.Event,
    ) -> list[str]:
        """Wait for Ctrl-C; the names of the processes that ended by themselves, if any."""
        started = time.monotonic()
        ready = False
        while not stop.wait(0.25):
            # A demo process never ends by itself, whatever its exit code says.
            ended = [
                name
                for name, child in zip(names, children, strict=True)
                if child.poll() is not None
            ]
            if ended:
                return ended
            if not ready and port_answers(port):
                ready = True
                self._banner(port)
            elif not ready and time.monotonic() - started > READY_TIMEOUT_SECONDS:
                return ["web"]
        return []

    def _banner(self, port: int) -> None:
        base = f"http://{HOST}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nNidaa demo on {base}\n"))
        self.stdout.write(f"  Municipality site with the chat widget: {base}/")
        self.stdout.write(f"  Public report form:                     {base}/report/")
        self.stdout.write(f"  Ticket status:                          {base}/status/")
        self.stdout.write(f"  Staff sign-in:                          {base}/accounts/login/")
        self.stdout.write(f"  Administration:                         {base}/admin/")
        self.stdout.write(f"\n  Demo logins (password {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"    {user['username']:<12} {user['role']}")
        self.stdout.write(
            "\n  Agents: sign in at /console/ and set yourself Available before starting a chat."
        )
        self.stdout.write(f"  SMS and e-mail outbox:                  {settings.NIDAA_OUTBOX_DIR}/")
        self.stdout.write("\n  Press Ctrl-C to stop.\n")


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to every process still running, SIGKILL to those still there after the grace."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
