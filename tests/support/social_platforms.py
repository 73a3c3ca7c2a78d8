"""Local fake X API and Graph API: real HTTP servers on 127.0.0.1 speaking the documented JSON."""

from __future__ import annotations

import json
import mimetypes
import re
import select
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import TestCase
from oauthlib import oauth1
from oauthlib.oauth1.rfc5849 import signature

from tests.support.worker import worker_drain

# The account and page the fakes speak for, and the app secret Facebook signs with.
ACCOUNT_ID = "1500000000000000001"
PAGE_ID = "108000000000001"
APP_SECRET = "fb-app-secret-for-tests"


def _client_gone(handler: BaseHTTPRequestHandler) -> bool:
    """Whether the client closed its end (a killed process) while we held its request."""
    readable, _w, _x = select.select([handler.connection], [], [], 0)
    if not readable:
        return False
    try:
        return handler.connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.body).encode(), "application/json; charset=UTF-8"


Handler = Callable[[Request, re.Match[str]], Reply]


class FakeServer:
    """Routes by method and path pattern; records every request; scripted failures first."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.requests: list[Request] = []
        self.scripted: dict[str, list[Reply]] = {}
        self.files: dict[str, bytes] = {}
        # "METHOD path-regex": the first matching request is held this long before its answer
        # (a test kills the client meanwhile); ``answered`` lists the requests fully answered.
        self.holds: dict[str, float] = {}
        self.holding = threading.Event()
        self.released = threading.Event()
        self.answered: list[Request] = []
        self.route("GET", r"/media/(?P<name>[\w.-]+)", self._file)
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                fake._dispatch(self)

            do_GET = do_POST = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method, re.compile(pattern + "$"), handler))

    def fail_next(self, method: str, path_pattern: str, *replies: Reply) -> None:
        """The next requests matching ``path_pattern`` get these replies, in order."""
        self.scripted.setdefault(f"{method} {path_pattern}", []).extend(replies)

    def media_url(self, name: str, content: bytes) -> str:
        self.files[name] = content
        return f"{self.url}/media/{name}"

    def calls(self, method: str, pattern: str) -> list[Request]:
        regex = re.compile(pattern + "$")
        return [r for r in self.requests if r.method == method and regex.match(r.path)]

    def _file(self, request: Request, match: re.Match[str]) -> Reply:
        content = self.files.get(match["name"])
        if content is None:
            return Reply(404, {"error": "not found"})
        content_type = mimetypes.guess_type(match["name"])[0] or "application/octet-stream"
        return Reply(200, content, {"Content-Type": content_type})

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = Request(
            method=handler.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=handler.rfile.read(length) if length else b"",
        )
        self.requests.append(request)
        reply = Reply(404, {"error": f"no route for {request.method} {request.path}"})
        for key, queued in self.scripted.items():
            method, pattern = key.split(" ", 1)
            if queued and method == request.method and re.fullmatch(pattern, request.path):
                reply = queued.pop(0)
                break
        else:
            for method, pattern, route in self.routes:
                match = pattern.match(request.path)
                if method == request.method and match:
                    reply = route(request, match)
                    break
        for key, seconds in list(self.holds.items()):
            method, pattern = key.split(" ", 1)
            if method == request.method and re.fullmatch(pattern, request.path):
                del self.holds[key]
                self.holding.set()
                self.released.wait(seconds)
                if _client_gone(handler):
                    return
        body, content_type = reply.encoded()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                if name.lower() != "content-type":
                    handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the client went away (killed, or gave up on a large file)
        self.answered.append(request)


def oauth1_signature_valid(
    base_url: str, request: Request, consumer_secret: str, token_secret: str
) -> bool:
    """Check an OAuth 1.0a HMAC-SHA1 ``Authorization`` header as X does (RFC 5849)."""
    header = request.headers.get("authorization", "")
    if not header.startswith("OAuth "):
        return False
    params = signature.collect_parameters(
        uri_query=urlencode(request.query),
        headers={"Authorization": header},
        exclude_oauth_signature=True,
    )
    base = signature.signature_base_string(
        request.method,
        signature.base_string_uri(base_url + request.path),
        signature.normalize_parameters(params),
    )
    signer = oauth1.Client("", client_secret=consumer_secret, resource_owner_secret=token_secret)
    expected = signature.sign_hmac_sha1_with_client(base, signer)
    given = dict(
        signature.collect_parameters(
            headers={"Authorization": header}, exclude_oauth_signature=False
        )
    )
    return bool(given.get("oauth_signature")) and given["oauth_signature"] == expected


class FakeX(FakeServer):
    """X API v2: mentions with since_id and next_token, DM events, posts and DMs."""

    def __init__(self, *, account_id: str, page_size: int = 100) -> None:
        super().__init__()
        self.account_id = account_id
        self.page_size = page_size
        self.tweets: list[dict[str, Any]] = []  # newest first, like the API
        self.dm_events: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self._next_id = 9_000_000_000_000_000_000
        self.route("GET", r"/2/users/me", self._me)
        self.route("GET", r"/2/users/(?P<id>\d+)", self._user)
        # DM media lives on ton.twitter.com and is served only to an OAuth 1.0a signature.
        self.route("GET", r"/1.1/ton/data/dm/(?P<name>[\w./-]+)", self._dm_media)
        self.credentials: tuple[str, str] = ("consumer-secret", "access-secret")
        self.route("GET", r"/2/users/(?P<id>\d+)/mentions", self._mentions)
        self.route("GET", r"/2/dm_events", self._dms)
        self.route("POST", r"/2/tweets", self._create_tweet)
        self.route("POST", r"/2/dm_conversations/with/(?P<pid>\d+)/messages", self._create_dm)

    def new_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def add_user(self, user_id: str, username: str, name: str) -> None:
        self.users[user_id] = {"id": user_id, "username": username, "name": name}

    def add_mention(
        self, *, author: str, text: str, conversation_id: str = "", photo_url: str = ""
    ) -> str:
        tweet_id = self.new_id()
        tweet: dict[str, Any] = {
            "id": tweet_id,
            "text": text,
            "author_id": author,
            "conversation_id": conversation_id or tweet_id,
            "created_at": "2026-03-01T08:00:00.000Z",
            "edit_history_tweet_ids": [tweet_id],
        }
        if photo_url:
            key = f"3_{tweet_id}"
            self.media[key] = {"media_key": key, "type": "photo", "url": photo_url}
            tweet["attachments"] = {"media_keys": [key]}
        self.tweets.insert(0, tweet)
        return tweet_id

    def add_dm(self, *, sender: str, text: str) -> str:
        event_id = self.new_id()
        pair = "-".join(sorted((sender, self.account_id), key=int))
        self.dm_events.insert(
            0,
            {
                "id": event_id,
                "event_type": "MessageCreate",
                "text": text,
                "sender_id": sender,
                "dm_conversation_id": pair,
                "created_at": "2026-03-01T08:00:00.000Z",
            },
        )
        return event_id

    def _page(self, items: list[dict[str, Any]], request: Request) -> tuple[list[Any], str]:
        start = int(request.query.get("pagination_token") or 0)
        end = start + min(self.page_size, int(request.query.get("max_results") or 100))
        return items[start:end], (str(end) if end < len(items) else "")

    def _includes(self, items: list[dict[str, Any]], user_key: str) -> dict[str, Any]:
        users = {
            self.users[i[user_key]]["id"]: self.users[i[user_key]]
            for i in items
            if i[user_key] in self.users
        }
        keys = [k for i in items for k in (i.get("attachments") or {}).get("media_keys", [])]
        includes: dict[str, Any] = {"users": list(users.values())}
        if keys:
            includes["media"] = [self.media[k] for k in keys]
        return includes

    def _me(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, {"data": {"id": self.account_id, "name": "Muscat", "username": "muscat"}})

    def _user(self, request: Request, match: re.Match[str]) -> Reply:
        user = self.users.get(match["id"])
        if user is None:
            return Reply(404, {"errors": [{"detail": "Could not find user", "title": "Not Found"}]})
        return Reply(200, {"data": user})

    def dm_media_url(self, name: str, content: bytes) -> str:
        self.files[name] = content
        return f"{self.url}/1.1/ton/data/dm/{name}"

    def _dm_media(self, request: Request, match: re.Match[str]) -> Reply:
        if not oauth1_signature_valid(self.url, request, *self.credentials):
            return Reply(401, {"errors": [{"code": 32, "message": "Could not authenticate you."}]})
        return self._file(request, match)

    def _mentions(self, request: Request, match: re.Match[str]) -> Reply:
        since = int(request.query.get("since_id") or 0)
        matching = [t for t in self.tweets if int(t["id"]) > since]
        page, next_token = self._page(matching, request)
        if not page:
            return Reply(200, {"meta": {"result_count": 0}})
        meta: dict[str, Any] = {
            "result_count": len(page),
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
        }
        if next_token:
            meta["next_token"] = next_token
        return Reply(
            200, {"data": page, "includes": self._includes(page, "author_id"), "meta": meta}
        )

    def _dms(self, request: Request, match: re.Match[str]) -> Reply:
        page, next_token = self._page(self.dm_events, request)
        meta: dict[str, Any] = {"result_count": len(page)}
        if next_token:
            meta["next_token"] = next_token
        return Reply(
            200, {"data": page, "includes": self._includes(page, "sender_id"), "meta": meta}
        )

    def _create_tweet(self, request: Request, match: re.Match[str]) -> Reply:
        body = request.json()
        return Reply(
            201,
            {
                "data": {
                    "id": self.new_id(),
                    "text": body.get("text", ""),
                    "edit_history_tweet_ids": [],
                }
            },
        )

    def _create_dm(self, request: Request, match: re.Match[str]) -> Reply:
        pair = "-".join(sorted((match["pid"], self.account_id), key=int))
        return Reply(201, {"data": {"dm_conversation_id": pair, "dm_event_id": self.new_id()}})


class FakeGraph(FakeServer):
    """Graph API: the Send API and comment replies, under any version prefix."""

    def __init__(self) -> None:
        super().__init__()
        self._next = 0
        self.route("POST", r"/(?P<version>v[\d.]+)/(?P<page>\d+)/messages", self._send)
        self.route("POST", r"/(?P<version>v[\d.]+)/(?P<comment>[\d_]+)/comments", self._comment)
        # Messenger's User Profile API: GET /{psid}?fields=name with the page token.
        self.profiles: dict[str, dict[str, str]] = {}
        self.route("GET", r"/(?P<version>v[\d.]+)/(?P<psid>\d+)", self._profile)

    def _id(self) -> int:
        self._next += 1
        return self._next

    def _send(self, request: Request, match: re.Match[str]) -> Reply:
        form = request.form()
        if "access_token" not in form:
            return Reply(
                400,
                {
                    "error": {
                        "message": "An access token is required",
                        "type": "OAuthException",
                        "code": 104,
                    }
                },
            )
        recipient = json.loads(form["recipient"])
        return Reply(
            200,
            {
                "recipient_id": recipient.get("id", "psid-of-commenter"),
                "message_id": f"m_sent{self._id()}",
            },
        )

    def _profile(self, request: Request, match: re.Match[str]) -> Reply:
        profile = self.profiles.get(match["psid"])
        if "access_token" not in request.query or profile is None:
            return Reply(
                400,
                {
                    "error": {
                        "message": "Unsupported get request.",
                        "type": "GraphMethodException",
                        "code": 100,
                        "error_subcode": 33,
                    }
                },
            )
        fields = request.query.get("fields", "id").split(",")
        return Reply(
            200, {k: v for k, v in {"id": match["psid"], **profile}.items() if k in fields}
        )

    def _comment(self, request: Request, match: re.Match[str]) -> Reply:
        return Reply(200, {"id": f"{match['comment']}_r{self._id()}"})


def run_worker() -> None:
    """The durable worker, as deployed, draining the inbox and the outbox queues once."""
    worker_drain("social", "notifications")


def post_committed(client: Any, url: str, body: bytes, headers: dict[str, str]) -> Any:
    """POST to a webhook and run what the view left for after its commit (the enqueue)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, body, content_type="application/json", headers=headers)
