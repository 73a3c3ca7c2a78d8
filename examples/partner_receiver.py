#!/usr/bin/env python3
"""A partner agency's receiver for Nidaa's callbacks — standard library only.

Run it, register its address and secret in Nidaa (the partner page "Your
system: callbacks", or the admin), and every change of a case forwarded to your
agency arrives here as signed JSON (docs/partners.md):

    python3 partner_receiver.py --port 8787 --secret "$NIDAA_CALLBACK_SECRET"

Each accepted event is printed as one JSON line (or appended to ``--log``).
A request whose signature is wrong or whose timestamp is more than five
minutes away from this machine's clock is refused with 401; a delivery already
processed is answered 200 again without being processed twice (Nidaa retries
until it hears a 2xx). ``--fail-first N`` answers 500 to the first N valid
deliveries, to watch Nidaa retry.

Put it behind your HTTPS reverse proxy: Nidaa only calls https:// addresses.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 1_000_000


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    """What Nidaa sends in X-Nidaa-Signature: HMAC-SHA256 over "<timestamp>.<raw body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, headers: Any, body: bytes, now: float) -> str | None:
    """``None`` when the request is Nidaa's and recent, else why not."""
    timestamp = headers.get("X-Nidaa-Timestamp", "")
    if not timestamp.isdigit():
        return "missing or malformed X-Nidaa-Timestamp"
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return "timestamp outside the tolerance (replayed or clock skew)"
    sent = headers.get("X-Nidaa-Signature", "")
    if not hmac.compare_digest(sent, expected_signature(secret, timestamp, body)):
        return "bad signature"
    return None


class Receiver(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], *, secret: str, fail_first: int, log: Any):
        super().__init__(address, Handler)
        self.secret = secret
        self.failures_left = fail_first
        self.log = log
        self.processed: dict[str, float] = {}  # delivery id → when (replay window)
        self.lock = threading.Lock()

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.log.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.log.flush()


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def answer(self, status: int, text: str) -> None:
        payload = json.dumps({"status": text}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.answer(413, "too large")
            return
        body = self.rfile.read(length)  # the raw bytes: verify before parsing
        now = time.time()
        delivery = self.headers.get("X-Nidaa-Delivery", "")
        problem = verify(self.server.secret, self.headers, body, now)
        if problem is not None:
            self.server.record({"outcome": "rejected", "delivery": delivery, "why": problem})
            self.answer(401, problem)
            return
        event = json.loads(body)
        with self.server.lock:
            for seen, at in list(self.server.processed.items()):
                if now - at > 2 * TOLERANCE_SECONDS:
                    del self.server.processed[seen]
            duplicate = delivery in self.server.processed
            fail = not duplicate and self.server.failures_left > 0
            if fail:
                self.server.failures_left -= 1
            elif not duplicate:
                self.server.processed[delivery] = now
        if duplicate:
            self.answer(200, "already processed")
            return
        if fail:
            self.server.record({"outcome": "failed_on_purpose", "delivery": delivery})
            self.answer(500, "failing on purpose (--fail-first)")
            return
        # Your agency's work starts here: open a case in your own system, and so on.
        self.server.record(
            {
                "outcome": "accepted",
                "delivery": delivery,
                "type": event["type"],
                "reference": event["ticket"]["reference"],
                "status": event["ticket"]["status"],
                "note": event["event"]["note"],
                "actor_role": event["event"]["actor_role"],
            }
        )
        self.answer(200, "ok")

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787, help="0: any free port")
    parser.add_argument("--secret", default=os.environ.get("NIDAA_CALLBACK_SECRET", ""))
    parser.add_argument("--fail-first", type=int, default=0, metavar="N")
    parser.add_argument("--log", help="append accepted events here instead of stdout")
    args = parser.parse_args()
    if not args.secret:
        parser.error("give --secret or set NIDAA_CALLBACK_SECRET")
    log = open(args.log, "a", encoding="utf-8") if args.log else sys.stdout
    server = Receiver(
        (args.host, args.port), secret=args.secret, fail_first=args.fail_first, log=log
    )
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
