"""Finding 10: X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies
in NIDAA_TRUSTED_PROXIES; from anyone else they are dropped, so a client cannot rotate
a spoofed address past the per-address limits."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core.cache import cache

from chat.views import SESSION_LIMIT
from nidaa.asgi import application
from tests.support.asgi_scope import http_scope
from tests.support.chat import agent_on_duty, keep_conversations_waiting, open_around_the_clock
from tests.support.factories import make_org

pytestmark = pytest.mark.django_db(transaction=True)
BODY = b'{"name": "Said", "language": "ar"}'


async def _start_chat(peer: str, forwarded_for: str) -> int:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
        (b"x-forwarded-for", forwarded_for.encode()),
    ]
    scope = http_scope(
        "/chat/api/session", method="POST", headers=headers, client=(peer, 40000), host=b"127.0.0.1"
    )
    app = ApplicationCommunicator(application, scope)
    await app.send_input({"type": "http.request", "body": BODY, "more_body": False})
    start = await app.receive_output(timeout=10)
    body = await app.receive_output(timeout=10)
    assert start["status"] in (201, 429), body
    return int(start["status"])


@pytest.fixture
def open_chat(transactional_db: None, settings: Any) -> None:
    settings.NIDAA_TRUSTED_PROXIES = ["10.0.0.5", "192.168.50.0/24"]
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    keep_conversations_waiting()
    agent_on_duty()
    cache.clear()


async def test_finding_10_spoofed_forwarded_for_does_not_escape_the_limit(open_chat: None) -> None:
    statuses = [
        await _start_chat("203.0.113.9", f"198.51.100.{n}") for n in range(SESSION_LIMIT.count + 1)
    ]
    assert statuses[:-1] == [201] * SESSION_LIMIT.count
    assert statuses[-1] == 429  # one client, however many addresses it claims


async def test_finding_10_a_trusted_proxy_names_the_client(open_chat: None) -> None:
    # Behind nginx every request comes from the proxy: each citizen is counted apart.
    statuses = [
        await _start_chat("10.0.0.5", f"198.51.100.{n}") for n in range(SESSION_LIMIT.count + 1)
    ]
    assert statuses == [201] * (SESSION_LIMIT.count + 1)
    # A chain through two of our proxies: the first address from the right not ours.
    for _ in range(SESSION_LIMIT.count):
        assert await _start_chat("10.0.0.5", "198.51.100.200, 192.168.50.7") == 201
    assert await _start_chat("10.0.0.5", "1.1.1.1, 198.51.100.200, 192.168.50.7") == 429


def test_finding_10_the_documented_web_process_does_not_believe_every_client() -> None:
    from pathlib import Path

    deployment = (Path(__file__).resolve().parents[3] / "docs" / "deployment.md").read_text()
    [web] = [line for line in deployment.splitlines() if line.startswith("| web |")]
    command = web.split("|")[2].split("`")[1]
    assert command.startswith("manage.py web") and "--proxy-headers" not in command
    assert "NIDAA_TRUSTED_PROXIES" in web
