"""Real Daphne processes for tests that need the whole stack over the network.

``live_servers(n)`` starts ``n`` web processes (``manage.py web``, Daphne)
on free ports, against the test database of the running test, and waits until
each answers ``/healthz``. Each server can be killed (SIGKILL, like a crash) and
restarted on the same port. Everything is stopped when the test ends, before
pytest-django empties the database.

The processes share the test's database and, when ``REDIS_URL`` is set, its
Redis (channel layer and cache), so several of them behave like a deployment
behind a load balancer. The test process itself publishes to the same channel
layer, so a service called from the test reaches the sockets of the servers.

Tests using it need the data they create to be committed (``transaction=True``,
which the fixture requests) and a database other processes can open: PostgreSQL
(mark the test ``@pytest.mark.postgres``); pytest-django's SQLite test database
lives in memory and cannot be shared.

    def test_it_…(live_servers):
        first, second = live_servers(2)
        first.url       # "http://127.0.0.1:43121"
        first.ws_url    # "ws://127.0.0.1:43121"
        first.kill(); first.restart()
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent.parent
READY_TIMEOUT_SECONDS = 30.0
_LISTENING = re.compile(r"Listening on TCP address [\d.]+:(\d+)")


def database_url() -> str:
    """A DATABASE_URL naming the database this test runs against (``test_<name>``)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "127.0.0.1"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.vendor == "sqlite" and name and "memory" not in name and name != ":memory:":
        return f"sqlite:///{name}"
    pytest.skip("live servers need a database other processes can open (PostgreSQL)")
    raise AssertionError("unreachable")


class LiveServer:
    """One Daphne process; its output goes to ``log_path`` for post-mortems."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> LiveServer:
        # Port 0 on the first start lets the kernel pick a free port (no race with
        # other tests); a restart binds the same port again.
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "web", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_until_ready(offset)
        return self

    def _wait_until_ready(self, offset: int) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"the web process exited early:\n{self.log()}")
            if not self.port:
                found = _LISTENING.search(self.log()[offset:])
                if found:
                    self.port = int(found.group(1))
            if self.port and self._healthy():
                return
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the web process did not become ready:\n{self.log()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """Die at once, like a crashed process: no clean shutdown, sockets just drop."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def restart(self) -> LiveServer:
        self.kill()
        return self.start()


def live_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",  # static and media files served by the process itself
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NIDAA_VAR_DIR": str(var_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    env.update(overrides)
    return env


@pytest.fixture
def live_servers(
    transactional_db: None, tmp_path: Path
) -> Iterator[Callable[..., list[LiveServer]]]:
    """``live_servers(n, **env)`` starts ``n`` Daphne processes and returns them."""
    started: list[LiveServer] = []

    def start(count: int = 1, **env: Any) -> list[LiveServer]:
        servers = []
        for _ in range(count):
            index = len(started)
            var_dir = tmp_path / f"live-{index}"
            var_dir.mkdir()
            server = LiveServer(
                live_environment(var_dir, **{k: str(v) for k, v in env.items()}),
                tmp_path / f"daphne-{index}.log",
            )
            started.append(server)
            servers.append(server.start())
        return servers

    try:
        yield start
    finally:
        for server in started:
            server.stop()


T = TypeVar("T")


def off_the_loop(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run Django code beside Playwright, whose sync API keeps an event loop in this thread.

    (Django refuses ORM calls in such a thread, and services publish their events with
    ``async_to_sync``, which refuses it too.)
    """

    def run() -> T:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def sign_in(page: Any, url: str, username: str, password: str) -> None:
    """Sign in through the staff login form; returns once the user has left it."""
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("button.primary[type=submit]").click()
    page.wait_for_url(lambda address: "/accounts/login/" not in address)
