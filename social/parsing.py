"""Platform JSON → journal pieces → the normalized InboundMessage.

Two steps, so one broken event never costs its neighbours: ``*_pieces`` cuts
a delivery (a webhook body, a poll's pages) into one small JSON object per
platform event, and :func:`piece_parse` reads one piece into an action. Both
are strict about what they need (ids, senders) and raise :class:`Malformed`
with a readable reason; the journal keeps that reason beside the piece.

Ids of different kinds are namespaced so they never collide in the
(channel, external_id) de-duplication: ``tweet:``, ``dm:``, ``mid:``,
``postback:``, ``comment:``. Thread ids carry their kind and owner (the
account or page that was addressed): ``tweet:<account>:<conversation_id>``,
``dm:<account>:<dm_conversation_id>``, ``psid:<page>:<psid>``,
``post:<page>:<post_id>``; replies are routed by them (``thread_parts``).

Media are not downloaded here: pieces name them (:class:`MediaRef`) and the
worker fetches them (``social.media``).
"""

from __future__ import annotations

import datetime
import hashlib
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.models import Channel

# Posts and comments are answered in public: the assistant leaves them to people
# (bots.flow.assistant_wants reads the conversation's meta).
PUBLIC: dict[str, object] = {"public": True}

MESSENGER_MEDIA = ("image", "file", "audio", "video")


class Malformed(ValueError):
    """A piece lacks what it needs or has the wrong shape; the message says what."""


class ThreadParts(NamedTuple):
    kind: str
    owner: str
    platform_id: str


def thread_id(kind: str, owner: str, platform_id: str) -> str:
    return f"{kind}:{owner}:{platform_id}"


def thread_parts(value: str) -> ThreadParts | None:
    parts = value.split(":", 2)
    if len(parts) != 3:
        return None
    return ThreadParts(*parts)


@dataclass(frozen=True)
class MediaRef:
    """A file the citizen sent, named by the platform; fetched later by the worker."""

    url: str
    kind: str
    # X DM media is only served to the account's own OAuth 1.0a credentials.
    authenticated: bool = False


@dataclass(frozen=True)
class Incoming:
    owner: str  # the page or account that was addressed
    inbound: InboundMessage
    media: tuple[MediaRef, ...] = ()
    # X Account Activity: the tweet this one answers (joined to its thread when known).
    in_reply_to: str = ""


@dataclass(frozen=True)
class Echo:
    """A message the page itself sent (ours through the Send API, or typed in Meta's inbox)."""

    owner: str
    mid: str


@dataclass(frozen=True)
class CommentRemoved:
    owner: str
    external_id: str


@dataclass(frozen=True)
class Skip:
    """Nothing for an agent: a read receipt, our own post, a like."""

    owner: str
    reason: str


Action = Incoming | Echo | CommentRemoved | Skip


@dataclass(frozen=True)
class Piece:
    """One event cut out of a delivery; ``error`` when the cut itself found it broken."""

    kind: str
    data: Any
    error: str = ""


# ---- strict readers ------------------------------------------------------------------


def _id(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise Malformed(f"{what} is missing or is not an id: {value!r:.80}")
    return str(value).strip()


def _optional_id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object: {type(value).__name__}")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    """An optional object: absent or null reads as empty."""
    if value is None:
        return {}
    return _object(value, what)


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} is not a list: {type(value).__name__}")
    return value


def _text(value: Any, what: str = "text") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise Malformed(f"{what} is not text: {type(value).__name__}")


def _url(value: Any) -> str:
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else ""


def _time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _from_timestamp(seconds: float) -> datetime.datetime | None:
    if not math.isfinite(seconds):
        return None
    try:
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _millis(value: Any) -> datetime.datetime | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return _from_timestamp(value / 1000)


def _seconds(value: Any) -> datetime.datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_timestamp(value)
    return _time(value)


def _numeric_order(piece: Piece) -> int:
    item = piece.data.get("item") if isinstance(piece.data, dict) else None
    value = item.get("id") if isinstance(item, dict) else None
    return int(value) if isinstance(value, str) and value.isdigit() else 0


# ---- cutting deliveries into pieces ----------------------------------------------------


def facebook_pieces(payload: Any) -> list[Piece]:
    """Every Messenger event and feed change of a Page webhook body, in order."""
    if not isinstance(payload, dict):
        raise Malformed(f"the body is not a JSON object: {type(payload).__name__}")
    if payload.get("object") != "page":
        raise Malformed(f"object {payload.get('object')!r:.40} is not a Page subscription")
    pieces: list[Piece] = []
    entries = payload.get("entry")
    if not isinstance(entries, list):
        return [Piece("entry", entries, f"entry is not a list: {type(entries).__name__}")]
    for entry in entries:
        if not isinstance(entry, dict):
            pieces.append(Piece("entry", entry, "an entry is not an object"))
            continue
        page_id = _optional_id(entry.get("id"))
        for field, kind in (("messaging", "messenger"), ("changes", "feed")):
            items = entry.get(field)
            if items is None:
                continue
            if not isinstance(items, list):
                pieces.append(Piece(kind, items, f"{field} is not a list"))
                continue
            pieces.extend(Piece(kind, {"page_id": page_id, "item": item}) for item in items)
    return pieces


def x_activity_pieces(payload: Any) -> list[Piece]:
    """The mentions and DMs of an Account Activity delivery; other events are left out."""
    if not isinstance(payload, dict):
        raise Malformed(f"the body is not a JSON object: {type(payload).__name__}")
    account_id = _optional_id(payload.get("for_user_id"))
    users = _dict_or_empty(payload.get("users"))
    pieces: list[Piece] = []
    for field, kind in (("tweet_create_events", "x_tweet"), ("direct_message_events", "x_dm")):
        items = payload.get(field)
        if items is None:
            continue
        if not isinstance(items, list):
            pieces.append(Piece(kind, items, f"{field} is not a list"))
            continue
        for item in items:
            data: dict[str, Any] = {"account_id": account_id, "item": item}
            if kind == "x_dm" and isinstance(item, dict):
                create = item.get("message_create")
                sender = create.get("sender_id") if isinstance(create, dict) else None
                if isinstance(sender, str) and isinstance(users.get(sender), dict):
                    data["user"] = users[sender]
            pieces.append(Piece(kind, data))
    return pieces


def x_poll_pieces(payload: Any, *, kind: str) -> list[Piece]:
    """The items of a poll's pages (``{"account_id", "pages"}``), oldest first.

    The API answers newest first; a conversation should read in the order it
    was written. ``kind`` is ``x_mention`` or ``x_dm_event``.
    """
    if not isinstance(payload, dict):
        raise Malformed("the poll record is not a JSON object")
    account_id = _optional_id(payload.get("account_id"))
    pieces: list[Piece] = []
    for page in _list(payload.get("pages"), "pages"):
        page = _dict(page, "a page")
        includes = _dict(page.get("includes"), "includes")
        users = {
            str(u.get("id")): u
            for u in _list(includes.get("users"), "users")
            if isinstance(u, dict)
        }
        media = {
            str(m.get("media_key")): m
            for m in _list(includes.get("media"), "media")
            if isinstance(m, dict)
        }
        for item in _list(page.get("data"), "data"):
            data: dict[str, Any] = {"account_id": account_id, "item": item}
            if isinstance(item, dict):
                author = str(item.get("author_id") or item.get("sender_id") or "")
                if author in users:
                    data["user"] = users[author]
                keys = (_dict_or_empty(item.get("attachments"))).get("media_keys")
                if isinstance(keys, list):
                    data["media"] = [media[str(k)] for k in keys if str(k) in media]
            pieces.append(Piece(kind, data))
    return sorted(pieces, key=_numeric_order)


def _dict_or_empty(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# ---- reading one piece -----------------------------------------------------------------


def piece_parse(kind: str, data: Any) -> Action:
    """Read one journal piece; raises :class:`Malformed` when it cannot be used."""
    parser = _PARSERS.get(kind)
    if parser is None:
        raise Malformed(f"unknown kind of event {kind!r}")
    return parser(_dict(data, "the event"))


def _messenger(data: dict[str, Any]) -> Action:
    page_id = _id(data.get("page_id"), "entry.id (the page)")
    event = _object(data.get("item"), "the messaging event")
    sent_at = _millis(event.get("timestamp"))
    message = event.get("message")
    postback = event.get("postback")
    if isinstance(message, dict) and message.get("is_echo"):
        return Echo(owner=page_id, mid=_id(message.get("mid"), "message.mid"))
    if not isinstance(message, dict) and not isinstance(postback, dict):
        # Deliveries, reads, reactions, referrals: nothing for an agent to answer.
        return Skip(page_id, "not a message: " + ", ".join(sorted(event))[:200])
    psid = _id(_dict(event.get("sender"), "sender").get("id"), "sender.id")
    thread = thread_id("psid", page_id, psid)
    if isinstance(message, dict):
        media = []
        for attachment in _list(message.get("attachments"), "message.attachments"):
            attachment = _dict(attachment, "an attachment")
            url = _url(_dict(attachment.get("payload"), "attachment.payload").get("url"))
            kind = attachment.get("type")
            if kind in MESSENGER_MEDIA and url:
                media.append(MediaRef(url=url, kind=str(kind)))
        return Incoming(
            page_id,
            InboundMessage(
                channel=Channel.FACEBOOK,
                external_id=f"mid:{_id(message.get('mid'), 'message.mid')}",
                thread_id=thread,
                sender=SenderIdentity(external_id=psid),
                text=_text(message.get("text"), "message.text"),
                sent_at=sent_at,
            ),
            media=tuple(media),
        )
    assert isinstance(postback, dict)
    stamp = _optional_id(event.get("timestamp"))
    key = _optional_id(postback.get("mid")) or (f"{psid}:{stamp}" if stamp else "")
    if not key:
        raise Malformed("postback has neither mid nor timestamp")
    return Incoming(
        page_id,
        InboundMessage(
            channel=Channel.FACEBOOK,
            external_id=f"postback:{key}",
            thread_id=thread,
            sender=SenderIdentity(external_id=psid),
            text=_text(postback.get("title"), "postback.title")
            or _text(postback.get("payload"), "postback.payload"),
            sent_at=sent_at,
        ),
    )


def _feed(data: dict[str, Any]) -> Action:
    page_id = _id(data.get("page_id"), "entry.id (the page)")
    change = _object(data.get("item"), "the change")
    if change.get("field") != "feed":
        return Skip(page_id, f"field {change.get('field')!r:.40}")
    value = _dict(change.get("value"), "change.value")
    if value.get("item") != "comment":
        return Skip(page_id, f"feed item {value.get('item')!r:.40}")
    comment_id = _id(value.get("comment_id"), "value.comment_id")
    author = _dict(value.get("from"), "value.from")
    author_id = _optional_id(author.get("id"))
    if author_id == page_id:
        return Skip(page_id, "the page's own comment")  # our replies come back through the feed
    verb = value.get("verb")
    external_id = f"comment:{comment_id}"
    if verb == "remove":
        return CommentRemoved(owner=page_id, external_id=external_id)
    text = _text(value.get("message"), "value.message")
    if verb == "edited":
        digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
        external_id = f"{external_id}:edited:{digest}"
        text = _("[edited comment] %(text)s") % {"text": text}
    elif verb != "add":
        return Skip(page_id, f"verb {verb!r:.40}")
    if not author_id:
        raise Malformed("value.from.id is missing")
    photo = _url(value.get("photo"))
    return Incoming(
        page_id,
        InboundMessage(
            channel=Channel.FACEBOOK,
            external_id=external_id,
            thread_id=thread_id("post", page_id, _id(value.get("post_id"), "value.post_id")),
            sender=SenderIdentity(
                external_id=author_id, display_name=_text(author.get("name"), "from.name")
            ),
            text=text,
            sent_at=_seconds(value.get("created_time")),
            meta=PUBLIC,
        ),
        media=(MediaRef(url=photo, kind="image"),) if photo else (),
    )


def _x_v1_sender(user: dict[str, Any], user_id: str) -> SenderIdentity:
    return SenderIdentity(
        external_id=user_id,
        handle=_text(user.get("screen_name"), "user.screen_name"),
        display_name=_text(user.get("name"), "user.name"),
    )


def _x_tweet(data: dict[str, Any]) -> Action:
    """An Account Activity tweet (v1.1 shape) mentioning ``account_id``.

    v1.1 tweets carry no ``conversation_id``: a reply starts its own thread and
    names the tweet it answers, so the caller can join it to that thread.
    """
    account_id = _id(data.get("account_id"), "for_user_id")
    tweet = _object(data.get("item"), "the tweet")
    user = _dict(tweet.get("user"), "tweet.user")
    author = _id(user.get("id_str"), "tweet.user.id_str")
    if author == account_id:
        return Skip(account_id, "our own post")
    tweet_id = _id(tweet.get("id_str"), "tweet.id_str")
    full = _dict_or_empty(tweet.get("extended_tweet")).get("full_text")
    entities = _dict(tweet.get("extended_entities") or tweet.get("entities"), "tweet.entities")
    media = tuple(
        MediaRef(url=_url(m.get("media_url_https")), kind="photo")
        for m in _list(entities.get("media"), "entities.media")
        if isinstance(m, dict) and m.get("type") == "photo" and _url(m.get("media_url_https"))
    )
    return Incoming(
        account_id,
        InboundMessage(
            channel=Channel.X,
            external_id=f"tweet:{tweet_id}",
            thread_id=thread_id("tweet", account_id, tweet_id),
            sender=_x_v1_sender(user, author),
            text=_text(full, "extended_tweet.full_text") or _text(tweet.get("text"), "tweet.text"),
            sent_at=_millis(tweet.get("timestamp_ms")),
            meta=PUBLIC,
        ),
        media=media,
        in_reply_to=_optional_id(tweet.get("in_reply_to_status_id_str")),
    )


def _x_dm(data: dict[str, Any]) -> Action:
    """An Account Activity direct message (v1.1 ``message_create``)."""
    account_id = _id(data.get("account_id"), "for_user_id")
    event = _object(data.get("item"), "the DM event")
    if event.get("type") != "message_create":
        return Skip(account_id, f"DM event type {event.get('type')!r:.40}")
    create = _dict(event.get("message_create"), "message_create")
    sender = _id(create.get("sender_id"), "message_create.sender_id")
    if sender == account_id:
        return Skip(account_id, "our own message")
    recipient = _optional_id(
        _dict(create.get("target"), "message_create.target").get("recipient_id")
    )
    message = _dict(create.get("message_data"), "message_data")
    media_url = _url(
        _dict(_dict(message.get("attachment"), "attachment").get("media"), "media").get(
            "media_url_https"
        )
    )
    user = _dict(data.get("user"), "the sender's user object")
    # X's id of a one-to-one DM conversation: both user ids, smaller first.
    pair = "-".join(sorted((sender, recipient), key=lambda v: int(v) if v.isdigit() else 0))
    return Incoming(
        account_id,
        InboundMessage(
            channel=Channel.X,
            external_id=f"dm:{_id(event.get('id'), 'DM event id')}",
            thread_id=thread_id("dm", account_id, pair),
            sender=_x_v1_sender(user, sender),
            text=_text(message.get("text"), "message_data.text"),
            sent_at=_millis(event.get("created_timestamp")),
        ),
        media=(MediaRef(url=media_url, kind="photo", authenticated=True),) if media_url else (),
    )


def _x_v2_media(data: dict[str, Any], *, authenticated: bool) -> tuple[MediaRef, ...]:
    return tuple(
        MediaRef(url=_url(m.get("url")), kind="photo", authenticated=authenticated)
        for m in _list(data.get("media"), "media")
        if isinstance(m, dict) and m.get("type") == "photo" and _url(m.get("url"))
    )


def _x_v2_sender(data: dict[str, Any], user_id: str) -> SenderIdentity:
    user = _dict(data.get("user"), "the author's user object")
    return SenderIdentity(
        external_id=user_id,
        handle=_text(user.get("username"), "user.username"),
        display_name=_text(user.get("name"), "user.name"),
    )


def _x_mention(data: dict[str, Any]) -> Action:
    """One tweet of ``GET /2/users/:id/mentions``."""
    account_id = _id(data.get("account_id"), "account id")
    tweet = _object(data.get("item"), "the tweet")
    author = _id(tweet.get("author_id"), "tweet.author_id")
    if author == account_id:
        return Skip(account_id, "our own post")
    tweet_id = _id(tweet.get("id"), "tweet.id")
    return Incoming(
        account_id,
        InboundMessage(
            channel=Channel.X,
            external_id=f"tweet:{tweet_id}",
            thread_id=thread_id(
                "tweet", account_id, _optional_id(tweet.get("conversation_id")) or tweet_id
            ),
            sender=_x_v2_sender(data, author),
            text=_text(tweet.get("text"), "tweet.text"),
            sent_at=_time(tweet.get("created_at")),
            meta=PUBLIC,
        ),
        media=_x_v2_media(data, authenticated=False),
    )


def _x_dm_event(data: dict[str, Any]) -> Action:
    """One event of ``GET /2/dm_events``; only messages others sent us."""
    account_id = _id(data.get("account_id"), "account id")
    event = _object(data.get("item"), "the DM event")
    if event.get("event_type") != "MessageCreate":
        return Skip(account_id, f"DM event type {event.get('event_type')!r:.40}")
    sender = _id(event.get("sender_id"), "event.sender_id")
    if sender == account_id:
        return Skip(account_id, "our own message")
    return Incoming(
        account_id,
        InboundMessage(
            channel=Channel.X,
            external_id=f"dm:{_id(event.get('id'), 'event.id')}",
            thread_id=thread_id(
                "dm", account_id, _id(event.get("dm_conversation_id"), "dm_conversation_id")
            ),
            sender=_x_v2_sender(data, sender),
            text=_text(event.get("text"), "event.text"),
            sent_at=_time(event.get("created_at")),
        ),
        media=_x_v2_media(data, authenticated=True),
    )


_PARSERS = {
    "messenger": _messenger,
    "feed": _feed,
    "x_tweet": _x_tweet,
    "x_dm": _x_dm,
    "x_mention": _x_mention,
    "x_dm_event": _x_dm_event,
}


def comment_id_of(external_id: str) -> str:
    """``comment:123_456`` or ``comment:123_456:edited:…`` → ``123_456``."""
    return external_id.split(":")[1] if external_id.startswith("comment:") else ""
