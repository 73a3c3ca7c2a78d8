"""A fake bulk-SMS gateway: a real HTTP server on 127.0.0.1 and a random port.

It speaks the shape of a typical Omani bulk-SMS HTTP API: ``POST /api/send``
(or ``GET`` with a query string) with ``username``, ``password``, ``to``,
``text``, ``from``, an optional ``unicode=1`` and an optional client reference
``ref``; it answers ``OK id=<message id>``, or an error status with a reason.
A repeated ``ref`` is answered with the first message's id and is not sent
again — the duplicate protection real gateways offer for client references.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    method: str
    path: str
    params: dict[str, str]
    authorization: str


@dataclass
class FakeSmsGateway:
    url: str = ""
    username: str = "nidaa"
    password: str = "s3cret"
    requests: list[Received] = field(default_factory=list)
    # Messages the gateway accepted for delivery: id -> params (one per ref).
    delivered: dict[str, dict[str, str]] = field(default_factory=dict)
    # Statuses to answer with before working normally again (e.g. [503, 503]).
    failures: list[tuple[int, str]] = field(default_factory=list)
    # When set, the first accepted message is held this long before the answer.
    hold_first_seconds: float = 0.0
    first_request_seen: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))
    _by_ref: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, reason: str, times: int = 1) -> None:
        self.failures.extend([(status, reason)] * times)

    def handle(self, received: Received) -> tuple[int, str, float]:
        with self._lock:
            self.requests.append(received)
            first = len(self.requests) == 1
            if self.failures:
                status, reason = self.failures.pop(0)
                return status, f"ERROR {reason}", 0.0
            p = received.params
            if (p.get("username"), p.get("password")) != (self.username, self.password):
                return 401, "ERROR 101 authentication failed", 0.0
            if not p.get("to", "").lstrip("+").isdigit():
                return 400, "ERROR 102 invalid destination", 0.0
            ref = p.get("ref", "")
            if ref and ref in self._by_ref:
                return 200, f"OK id={self._by_ref[ref]} duplicate", 0.0
            message_id = f"M{next(self._ids)}"
            self.delivered[message_id] = p
            if ref:
                self._by_ref[ref] = message_id
            hold = self.hold_first_seconds if first else 0.0
            return 200, f"OK id={message_id}", hold


def _handler(gateway: FakeSmsGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            if self.command == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params.update({k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()})
            received = Received(
                self.command, parts.path, params, self.headers.get("Authorization", "")
            )
            status, text, hold = gateway.handle(received)
            gateway.first_request_seen.set()
            if hold:
                gateway.release.wait(hold)
            try:
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client went away (a killed worker)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def running_gateway() -> Iterator[FakeSmsGateway]:
    gateway = FakeSmsGateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/api/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        gateway.release.set()
        server.shutdown()
        server.server_close()


def gateway_settings(gateway: FakeSmsGateway, **overrides: object) -> dict[str, object]:
    """``NIDAA_SMS_GATEWAY`` for the fake gateway, as an operator would configure it."""
    config: dict[str, object] = {
        "URL": gateway.url,
        "METHOD": "POST",
        "PARAM_TO": "to",
        "TO_FORMAT": "digits",
        "PARAM_TEXT": "text",
        "PARAM_SENDER": "from",
        "SENDER": "1111",
        "PARAM_REFERENCE": "ref",
        "PARAM_UNICODE": "unicode",
        "EXTRA_PARAMS": "",
        "AUTH": "params",
        "USERNAME": gateway.username,
        "PASSWORD": gateway.password,
        "PARAM_USERNAME": "username",
        "PARAM_PASSWORD": "password",
        "TOKEN": "",
        "SUCCESS_REGEX": r"^OK",
        "MESSAGE_ID_REGEX": r"id=(\w+)",
        "TIMEOUT": 5,
        "WEBHOOK_TOKEN": "hook-token",
        "DLR_PARAM_ID": "id",
        "DLR_PARAM_REFERENCE": "reference",
        "DLR_PARAM_STATUS": "status",
        "INBOUND_PARAM_FROM": "from",
        "INBOUND_PARAM_TEXT": "text",
        "INBOUND_PARAM_ID": "id",
    }
    config.update(overrides)
    return config
