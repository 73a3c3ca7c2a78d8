"""Platform JSON → the normalized InboundMessage.

The pollers, the webhooks and ``social_simulate`` all go through these
functions, so a simulated mention takes exactly the path of a real one.

Ids of different kinds are namespaced so they never collide in the
(channel, external_id) de-duplication: ``tweet:``, ``dm:``, ``mid:``,
``postback:``, ``comment:``. Thread ids carry their kind and owner (the
account or page that was addressed): ``tweet:<account>:<conversation_id>``,
``dm:<account>:<dm_conversation_id>``, ``psid:<page>:<psid>``,
``post:<page>:<post_id>``; replies are routed by them (``thread_parts``).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from helpdesk.inbound import InboundAttachment, InboundMessage, SenderIdentity
from helpdesk.models import Channel

Fetch = Callable[[str], InboundAttachment | None]

# Posts and comments are answered in public: the assistant leaves them to people
# (bots.flow.assistant_wants reads the conversation's meta).
PUBLIC: dict[str, object] = {"public": True}


def no_fetch(url: str) -> InboundAttachment | None:
    return None


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


def _time(value: Any) -> datetime.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _millis(value: Any) -> datetime.datetime | None:
    if not isinstance(value, int | float):
        return None
    return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)


def _seconds(value: Any) -> datetime.datetime | None:
    if isinstance(value, int | float):
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
    return _time(value)


# ---- X (API v2 JSON) --------------------------------------------------------------


def _x_includes(page: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    includes = page.get("includes") or {}
    users = {str(u.get("id")): u for u in includes.get("users") or []}
    media = {str(m.get("media_key")): m for m in includes.get("media") or []}
    return users, media


def _x_sender(users: dict[str, dict[str, Any]], user_id: str) -> SenderIdentity:
    user = users.get(user_id, {})
    return SenderIdentity(
        external_id=user_id, handle=user.get("username", ""), display_name=user.get("name", "")
    )


def _x_photos(item: dict[str, Any], media: dict[str, Any], fetch: Fetch) -> Iterator[Any]:
    for key in (item.get("attachments") or {}).get("media_keys") or []:
        found = media.get(str(key)) or {}
        if found.get("type") == "photo" and found.get("url"):
            attachment = fetch(found["url"])
            if attachment is not None:
                yield attachment


def x_mentions(page: dict[str, Any], *, account_id: str, fetch: Fetch) -> list[InboundMessage]:
    """One page of ``GET /2/users/:id/mentions``; our own posts are left out."""
    users, media = _x_includes(page)
    messages = []
    for tweet in page.get("data") or []:
        author = str(tweet.get("author_id", ""))
        if author == account_id:
            continue
        tweet_id = str(tweet["id"])
        messages.append(
            InboundMessage(
                channel=Channel.X,
                external_id=f"tweet:{tweet_id}",
                thread_id=thread_id(
                    "tweet", account_id, str(tweet.get("conversation_id") or tweet_id)
                ),
                sender=_x_sender(users, author),
                text=tweet.get("text", ""),
                attachments=tuple(_x_photos(tweet, media, fetch)),
                sent_at=_time(tweet.get("created_at")),
                meta=PUBLIC,
            )
        )
    return messages


def x_dm_events(page: dict[str, Any], *, account_id: str, fetch: Fetch) -> list[InboundMessage]:
    """One page of ``GET /2/dm_events``; only messages others sent us."""
    users, media = _x_includes(page)
    messages = []
    for event in page.get("data") or []:
        sender = str(event.get("sender_id", ""))
        if event.get("event_type") != "MessageCreate" or not sender or sender == account_id:
            continue
        messages.append(
            InboundMessage(
                channel=Channel.X,
                external_id=f"dm:{event['id']}",
                thread_id=thread_id("dm", account_id, str(event.get("dm_conversation_id", ""))),
                sender=_x_sender(users, sender),
                text=event.get("text", ""),
                attachments=tuple(_x_photos(event, media, fetch)),
                sent_at=_time(event.get("created_at")),
            )
        )
    return messages


def x_activity(payload: dict[str, Any], *, fetch: Fetch) -> list[InboundMessage]:
    """An Account Activity API delivery (v1.1 shapes): mentions and DMs to ``for_user_id``.

    v1.1 tweets carry no ``conversation_id``: a reply starts its own thread here
    and carries ``meta["in_reply_to"]`` so the caller can join it to the thread
    of the tweet it answers.
    """
    account_id = str(payload.get("for_user_id", ""))
    users = payload.get("users") or {}
    messages = []
    for tweet in payload.get("tweet_create_events") or []:
        user = tweet.get("user") or {}
        author = str(user.get("id_str", ""))
        if not author or author == account_id:
            continue
        tweet_id = str(tweet["id_str"])
        full = (tweet.get("extended_tweet") or {}).get("full_text")
        media = (tweet.get("extended_entities") or tweet.get("entities") or {}).get("media") or []
        photos = [
            fetch(m["media_url_https"])
            for m in media
            if m.get("type") == "photo" and m.get("media_url_https")
        ]
        messages.append(
            InboundMessage(
                channel=Channel.X,
                external_id=f"tweet:{tweet_id}",
                thread_id=thread_id("tweet", account_id, tweet_id),
                sender=SenderIdentity(
                    external_id=author,
                    handle=user.get("screen_name", ""),
                    display_name=user.get("name", ""),
                ),
                text=full or tweet.get("text", ""),
                attachments=tuple(p for p in photos if p is not None),
                sent_at=_millis(int(tweet["timestamp_ms"])) if tweet.get("timestamp_ms") else None,
                meta={**PUBLIC, "in_reply_to": str(tweet.get("in_reply_to_status_id_str") or "")},
            )
        )
    for event in payload.get("direct_message_events") or []:
        create = event.get("message_create") or {}
        sender = str(create.get("sender_id", ""))
        recipient = str((create.get("target") or {}).get("recipient_id", ""))
        if event.get("type") != "message_create" or not sender or sender == account_id:
            continue
        data = create.get("message_data") or {}
        media_url = ((data.get("attachment") or {}).get("media") or {}).get("media_url_https")
        fetched = fetch(media_url) if media_url else None
        user = users.get(sender) or {}
        # X's id of a one-to-one DM conversation: both user ids, smaller first.
        pair = "-".join(sorted((sender, recipient), key=lambda v: int(v) if v.isdigit() else 0))
        messages.append(
            InboundMessage(
                channel=Channel.X,
                external_id=f"dm:{event['id']}",
                thread_id=thread_id("dm", account_id, pair),
                sender=SenderIdentity(
                    external_id=sender,
                    handle=user.get("screen_name", ""),
                    display_name=user.get("name", ""),
                ),
                text=data.get("text", ""),
                attachments=(fetched,) if fetched else (),
                sent_at=_millis(int(event["created_timestamp"]))
                if event.get("created_timestamp")
                else None,
            )
        )
    return messages


# ---- Facebook (webhook JSON) ---------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    page_id: str
    inbound: InboundMessage


@dataclass(frozen=True)
class Echo:
    """A message the page itself sent (ours through the Send API, or typed in Meta's inbox)."""

    page_id: str
    mid: str


@dataclass(frozen=True)
class CommentRemoved:
    page_id: str
    external_id: str


FacebookEvent = Incoming | Echo | CommentRemoved


def facebook_events(payload: dict[str, Any], *, fetch: Fetch) -> list[FacebookEvent]:
    """Every item of a Page webhook delivery, in order."""
    if payload.get("object") != "page":
        return []
    found: list[FacebookEvent] = []
    for entry in payload.get("entry") or []:
        page_id = str(entry.get("id", ""))
        for event in entry.get("messaging") or []:
            item = _messenger_event(page_id, event, fetch)
            if item is not None:
                found.append(item)
        for change in entry.get("changes") or []:
            if change.get("field") == "feed":
                item = _feed_change(page_id, change.get("value") or {}, fetch)
                if item is not None:
                    found.append(item)
    return found


def _messenger_event(page_id: str, event: dict[str, Any], fetch: Fetch) -> FacebookEvent | None:
    psid = str((event.get("sender") or {}).get("id", ""))
    message = event.get("message")
    sent_at = _millis(event.get("timestamp"))
    if isinstance(message, dict):
        if message.get("is_echo"):
            return Echo(page_id=page_id, mid=str(message.get("mid", "")))
        attachments = []
        for attachment in message.get("attachments") or []:
            url = (attachment.get("payload") or {}).get("url", "")
            if attachment.get("type") in ("image", "file", "audio", "video") and url:
                fetched = fetch(url)
                if fetched is not None:
                    attachments.append(fetched)
        return Incoming(
            page_id,
            InboundMessage(
                channel=Channel.FACEBOOK,
                external_id=f"mid:{message['mid']}",
                thread_id=thread_id("psid", page_id, psid),
                sender=SenderIdentity(external_id=psid),
                text=message.get("text", ""),
                attachments=tuple(attachments),
                sent_at=sent_at,
            ),
        )
    postback = event.get("postback")
    if isinstance(postback, dict):
        key = postback.get("mid") or f"{psid}:{event.get('timestamp', '')}"
        return Incoming(
            page_id,
            InboundMessage(
                channel=Channel.FACEBOOK,
                external_id=f"postback:{key}",
                thread_id=thread_id("psid", page_id, psid),
                sender=SenderIdentity(external_id=psid),
                text=postback.get("title") or postback.get("payload") or "",
                sent_at=sent_at,
            ),
        )
    return None  # deliveries, reads, reactions: nothing for an agent to answer


def _feed_change(page_id: str, value: dict[str, Any], fetch: Fetch) -> FacebookEvent | None:
    if value.get("item") != "comment":
        return None
    comment_id = str(value.get("comment_id", ""))
    author = value.get("from") or {}
    if not comment_id or str(author.get("id", "")) == page_id:
        return None  # the page's own replies come back through the feed too
    verb = value.get("verb")
    if verb == "remove":
        return CommentRemoved(page_id=page_id, external_id=f"comment:{comment_id}")
    text = value.get("message", "")
    external_id = f"comment:{comment_id}"
    if verb == "edited":
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        external_id = f"{external_id}:edited:{digest}"
        text = _("[edited comment] %(text)s") % {"text": text}
    elif verb != "add":
        return None
    photo = value.get("photo")
    fetched = fetch(photo) if isinstance(photo, str) and photo else None
    return Incoming(
        page_id,
        InboundMessage(
            channel=Channel.FACEBOOK,
            external_id=external_id,
            thread_id=thread_id("post", page_id, str(value.get("post_id", ""))),
            sender=SenderIdentity(
                external_id=str(author.get("id", "")), display_name=author.get("name", "")
            ),
            text=text,
            attachments=(fetched,) if fetched else (),
            sent_at=_seconds(value.get("created_time")),
            meta=PUBLIC,
        ),
    )


def comment_id_of(external_id: str) -> str:
    """``comment:123_456`` or ``comment:123_456:edited:…`` → ``123_456``."""
    return external_id.split(":")[1] if external_id.startswith("comment:") else ""
