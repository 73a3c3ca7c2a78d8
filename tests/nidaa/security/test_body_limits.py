"""Finding 8: a request body over the limit is refused (413) before it is read, in the
application's ASGI layer; nginx's configuration carries the same limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings

from nidaa.asgi import application
from tests.support.asgi_scope import http_scope

pytestmark = pytest.mark.django_db(transaction=True)
NGINX = Path(__file__).resolve().parents[3] / "docs" / "nginx-nidaa.conf"


async def test_finding_08_a_declared_oversized_body_is_refused_unread() -> None:
    # 150 MB announced, one chunk sent: the answer must come without the rest.
    app = ApplicationCommunicator(
        application,
        http_scope(
            "/chat/api/upload",
            method="POST",
            host=b"127.0.0.1",
            headers=[(b"content-length", str(150 * 2**20).encode())],
        ),
    )
    await app.send_input({"type": "http.request", "body": b"x" * 1024, "more_body": True})
    start = await app.receive_output(timeout=5)
    assert (start["type"], start["status"]) == ("http.response.start", 413)
    await app.wait(timeout=5)


async def test_finding_08_a_chunked_body_is_cut_off_once_over_the_limit() -> None:
    app = ApplicationCommunicator(
        application, http_scope("/api/v1/status/", method="POST", host=b"127.0.0.1", headers=[])
    )
    chunk = b"x" * 2**20
    limit = settings.NIDAA_MAX_REQUEST_BYTES
    for _ in range(limit // len(chunk) + 1):
        await app.send_input({"type": "http.request", "body": chunk, "more_body": True})
    start = await app.receive_output(timeout=10)
    assert (start["type"], start["status"]) == ("http.response.start", 413)


async def test_finding_08_a_body_within_the_limit_reaches_the_view() -> None:
    body = b'{"reference": "MCT-2026-1", "phone_last_digits": "4567"}'
    app = ApplicationCommunicator(
        application,
        http_scope(
            "/api/v1/status/",
            method="POST",
            host=b"127.0.0.1",
            headers=[
                (b"content-length", str(len(body)).encode()),
                (b"content-type", b"application/json"),
            ],
        ),
    )
    await app.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await app.receive_output(timeout=10)
    assert start["status"] == 404  # read, looked up, not found


def test_finding_08_nginx_caps_bodies_like_the_app() -> None:
    conf = NGINX.read_text()
    caps = dict(re.findall(r"location (\S+) \{[^}]*?client_max_body_size (\d+)m;", conf))
    default = int(re.search(r"server \{.*?client_max_body_size (\d+)m;", conf, re.S)[1])
    assert default * 2**20 <= settings.NIDAA_MAX_REQUEST_BYTES
    assert int(caps["/social/"]) * 2**20 <= settings.NIDAA_SOCIAL_WEBHOOK_MAX_BYTES + 2**20
