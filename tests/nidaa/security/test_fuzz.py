"""Finding 7: malformed input earns a 4xx or a documented error frame, never a 500 or a
dead socket — a fixed corpus over every public endpoint and every socket frame type,
on PostgreSQL (which refuses NUL characters and lone surrogates in text).

The corpus: hostile JSON documents (deep nesting, lone surrogates, NUL characters,
huge numbers, wrong shapes), hostile bytes, and hostile values put in each field of
each endpoint and frame. Each case is one request or one frame; the test reports
every case that failed, not only the first.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.test import Client, TestCase

from chat import consumers
from chat.frames import CITIZEN_FRAMES, CONSOLE_FRAMES
from helpdesk.services.api_tokens import partner_token_issue
from social.journal import inbox_delivery_process
from social.models import InboxDelivery
from social.signatures import facebook_signature, x_signature
from tests.nidaa.security.helpers import staff_socket
from tests.support.chat import open_around_the_clock
from tests.support.factories import make_agent, make_org, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 20_000 + "1" + "}" * 20_000
DEEP_BUT_SHORT = "[" * 15_000 + "]" * 15_000  # within the citizen's frame size

# Whole documents that are not what any endpoint expects.
DOCUMENTS: list[bytes] = [
    DEEP_ARRAY.encode(),
    DEEP_OBJECT.encode(),
    DEEP_BUT_SHORT.encode(),
    b'{"name": "\\ud800"}',
    b'{"name": "a\\u0000b"}',
    b'{"\\u0000": 1}',
    b'{"\\udfff": "x"}',
    b"\xff\xfe\x00{",
    b"{\x00}",
    b"1e999999",
    b'{"a": 1e999999}',
    b"NaN",
    b"[]",
    b'"text"',
    b"null",
    b"",
    b"{",
    b'{"a": "' + b"x" * 70_000 + b'"}',
]

# Values put into each field in turn.
VALUES: list[Any] = [
    "\ud800",
    "a\x00b",
    "\x00",
    "\udfff tail",
    "x" * 20_000,
    [],
    {},
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
    10**40,
    -1,
    1.5e308,
    True,
    None,
]


def _raw_json(value: Any) -> str:
    """JSON with lone surrogates kept as escapes (json.dumps keeps them as \\udXXX)."""
    return json.dumps(value)


def _field_documents(fields: list[str], base: dict[str, Any]) -> Iterator[bytes]:
    for name in fields:
        for value in VALUES:
            yield _raw_json({**base, name: value}).encode()


@pytest.fixture
def world(transactional_db: None, settings: Any) -> dict[str, Any]:
    settings.NIDAA_SMS_GATEWAY = {**settings.NIDAA_SMS_GATEWAY, "WEBHOOK_TOKEN": "hook-token"}
    settings.NIDAA_FACEBOOK_APP_SECRET = "fb-secret"
    settings.NIDAA_X_CONSUMER_SECRET = "x-secret"
    org = make_org()
    open_around_the_clock(fallback=org.pothole)
    org.haya.api_enabled = True
    org.haya.save()
    partner = make_staff("partner", partner=org.haya)
    _token, raw = partner_token_issue(user=partner)
    return {"org": org, "token": raw}


def _http_failures(world: dict[str, Any]) -> tuple[int, list[str]]:
    """Every public endpoint × the corpus; the cases answered with 5xx."""
    anonymous = Client(raise_request_exception=False)
    partner = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    json_endpoints: list[tuple[str, list[str], dict[str, Any], dict[str, Any]]] = [
        ("/chat/api/session", ["name", "phone", "language", "desk"], {"name": "Said"}, {}),
        (
            "/chat/api/message",
            ["name", "phone", "text", "client_msg_id"],
            {"name": "Said", "text": "hi", "client_msg_id": "m1"},
            {},
        ),
        ("/api/v1/status/", ["reference", "phone_last_digits"], {"reference": "MCT-1"}, {}),
        ("/api/v1/tickets/", ["subject", "description", "category"], {}, partner),
        ("/notify/sms/dlr/hook-token/", ["id", "status", "reference"], {"status": "x"}, {}),
        ("/notify/sms/inbound/hook-token/", ["from", "text", "id"], {"from": "+968"}, {}),
    ]
    cases, failures = 0, []
    for url, fields, base, extra in json_endpoints:
        for body in [*DOCUMENTS, *_field_documents(fields, base)]:
            cases += 1
            cache.clear()  # rate limits must not answer 429 before the body is read
            response = anonymous.post(url, body, content_type="application/json", **extra)
            if response.status_code >= 500:
                failures.append(f"POST {url} {body[:60]!r} → {response.status_code}")
    form_endpoints = [
        ("/report/", ["description", "address", "name", "phone", "latitude", "category"]),
        ("/status/", ["reference", "digits"]),
        ("/accounts/login/", ["username", "password"]),
    ]
    for url, fields in form_endpoints:
        for name in fields:
            for value in ["a\x00b", "\ud800", "%00", "x" * 20_000, "\x00" * 10]:
                cases += 1
                cache.clear()
                try:
                    response = anonymous.post(url, {name: value})
                except UnicodeEncodeError:
                    continue  # a lone surrogate cannot even be put on the wire as a form
                if response.status_code >= 500:
                    failures.append(f"POST {url} {name}={value[:20]!r} → {response.status_code}")
    for query in ["desk=%00", "desk=%ED%A0%80", "desk=" + "x" * 5000, "reference=%00"]:
        for url in ("/chat/api/status", "/status/"):
            cases += 1
            response = anonymous.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"GET {url}?{query[:30]} → {response.status_code}")
    for token in ["", "\x00", "x" * 600, "a.b.c"]:
        cases += 1
        response = anonymous.post("/chat/api/upload", {"token": token})
        if response.status_code >= 500:
            failures.append(f"upload token={token[:10]!r} → {response.status_code}")
    return cases, failures


def _webhook_failures() -> tuple[int, list[str]]:
    """Signed-but-malformed platform payloads: stored (200), then read without a crash."""
    client = Client(raise_request_exception=False)
    shapes = [
        {"object": "page", "entry": "x"},
        {"object": "page", "entry": [{"id": None, "messaging": [{"sender": "x"}]}]},
        {"object": "page", "entry": [{"messaging": [{"message": {"text": "\x00\ud800"}}]}]},
        {"object": "page", "entry": [{"changes": [{"field": "feed", "value": []}]}]},
        {"for_user_id": {"a": 1}, "tweet_create_events": "x"},
        {"for_user_id": "1", "direct_message_events": [{"message_create": None}]},
    ]
    bodies = [*DOCUMENTS, *(_raw_json(shape).encode() for shape in shapes)]
    cases, failures = 0, []
    for body in bodies:
        for url, header, signature in [
            (
                "/social/facebook/webhook",
                "X-Hub-Signature-256",
                facebook_signature(body, "fb-secret"),
            ),
            ("/social/x/webhook", "x-twitter-webhooks-signature", x_signature(body, "x-secret")),
        ]:
            cases += 1
            with TestCase.captureOnCommitCallbacks(execute=False):
                response = client.post(
                    url, body, content_type="application/json", headers={header: signature}
                )
            if response.status_code >= 500:
                failures.append(f"POST {url} {body[:40]!r} → {response.status_code}")
    for delivery_id in InboxDelivery.objects.values_list("pk", flat=True):
        try:
            inbox_delivery_process(delivery_id=delivery_id)
        except Exception as exc:  # the worker must keep every failure on the row
            failures.append(f"inbox delivery {delivery_id}: {type(exc).__name__}: {exc}")
    return cases, failures


def _frames(
    schema_fields: dict[str, list[str]],
    *,
    extra: dict[str, dict[str, Any]],
    values: list[Any] = VALUES,
) -> list[str]:
    texts = [
        DEEP_ARRAY,
        DEEP_OBJECT,
        DEEP_BUT_SHORT,
        '{"type": "\\ud800"}',
        '{"type": "ping\\u0000"}',
        "[]",
    ]
    for kind, fields in schema_fields.items():
        for name in fields:
            for value in values:
                texts.append(_raw_json({"type": kind, **extra.get(kind, {}), name: value}))
    return texts


# Closes the protocol documents after an error frame: the citizen's invalid session.
DOCUMENTED_CLOSES = {4401}


async def _socket_failures(
    open_socket: Callable[[], Awaitable[WebsocketCommunicator]],
    texts: list[str],
    probe: tuple[str, str],
) -> list[str]:
    """Each text on the socket, then ``probe``: its answer must come, the socket still open
    (or closed as documented, after an error frame)."""
    probe_frame, probe_answer = probe
    failures = []
    communicator = await open_socket()
    try:
        for text in texts:
            await communicator.send_to(text_data=text)
            await communicator.send_to(text_data=probe_frame)
            answered_error = False
            try:
                while True:
                    output = await communicator.receive_output(timeout=5)
                    if output["type"] == "websocket.send":
                        kind = json.loads(output["text"]).get("type")
                        if kind == probe_answer:
                            break
                        answered_error |= kind == "error"
                        continue
                    code = output.get("code")
                    if not (answered_error and code in DOCUMENTED_CLOSES):
                        failures.append(f"{text[:60]!r} closed the socket ({code})")
                    await communicator.disconnect()
                    communicator = await open_socket()
                    break
            except Exception as exc:
                failures.append(f"{text[:60]!r} killed the socket: {type(exc).__name__}: {exc}")
                communicator = await open_socket()
    finally:
        await communicator.disconnect()
    return failures


def _report(cases: int, failures: list[str]) -> str:
    return f"{len(failures)} of {cases} cases failed:\n" + "\n".join(failures)


def test_finding_07_malformed_input_to_public_endpoints_is_a_4xx(world: dict[str, Any]) -> None:
    cases, failures = _http_failures(world)
    assert cases >= 200
    assert failures == [], _report(cases, failures)


def test_finding_07_signed_but_malformed_webhooks_are_kept_and_read_without_a_crash(
    world: dict[str, Any],
) -> None:
    cases, failures = _webhook_failures()
    assert failures == [], _report(cases, failures)


async def test_finding_07_malformed_citizen_frames_earn_error_frames(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every frame must be read, not refused by the per-connection flood limit.
    monkeypatch.setattr(consumers, "CONNECTION_FRAMES", 100_000)

    async def citizen() -> WebsocketCommunicator:
        communicator = await staff_socket(path="/ws/chat/")
        assert (await communicator.connect())[0]
        return communicator

    texts = _frames(
        {kind: list(fields) for kind, fields in CITIZEN_FRAMES.schemas.items()},
        extra={"hello": {"token": "x"}},
    )
    failures = await _socket_failures(citizen, texts, ('{"type": "ping"}', "pong"))
    assert len(texts) >= 200
    assert failures == [], _report(len(texts), failures)


async def test_finding_07_malformed_agent_frames_earn_error_frames(world: dict[str, Any]) -> None:
    agent = await sync_to_async(make_agent)()

    async def console() -> WebsocketCommunicator:
        communicator = await staff_socket(agent)
        assert (await communicator.connect())[0]
        return communicator

    # Each agent frame costs two database hops (the session check, the frame): fewer values.
    texts = _frames(
        {kind: list(fields) for kind, fields in CONSOLE_FRAMES.schemas.items()},
        extra={},
        values=VALUES[:9],
    )
    failures = await _socket_failures(console, texts, ('{"type": "heartbeat"}', "heartbeat"))
    assert len(texts) >= 200
    assert failures == [], _report(len(texts), failures)
