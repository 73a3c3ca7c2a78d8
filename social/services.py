"""Writes of the social channels: poll X into the journal, send what agents write."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import Channel, ContactIdentity, Conversation, Message, SenderKind
from helpdesk.redaction import redact
from social.adapters import SocialApiError
from social.adapters.facebook import FacebookApi
from social.adapters.x import XApi
from social.inbox import inbox_poll_record
from social.journal import inbox_delivery_process
from social.limits import MESSENGER_MAX_CHARACTERS, split_text, x_post_parts
from social.models import (
    CommentReplyMode,
    FacebookPage,
    InboxEventStatus,
    InboxSource,
    XAccount,
)
from social.parsing import comment_id_of, thread_parts

logger = logging.getLogger(__name__)

MESSAGING_WINDOW = datetime.timedelta(hours=24)
MAX_PAGES_PER_POLL = 10


# ---- X polling ----------------------------------------------------------------------


def x_account_poll(*, account: XAccount, api: XApi) -> int:
    """Read new mentions and DMs of ``account`` into the queue; returns how many were new.

    ``since_id`` advances only after every page was stored, so a crash or a rate
    limit in the middle re-reads (and de-duplicates) rather than skips.
    """
    if not account.user_id:
        me = api.me()
        account.user_id = str(me.get("id", ""))
        account.save(update_fields=["user_id"])
    created = 0
    if account.poll_mentions:
        created += _x_poll_mentions(account, api)
    if account.poll_direct_messages:
        created += _x_poll_dms(account, api)
    return created


def _x_poll_mentions(account: XAccount, api: XApi) -> int:
    newest = ""
    token = ""
    pages: list[dict[str, Any]] = []
    for _page in range(MAX_PAGES_PER_POLL):
        page = api.mentions_page(
            user_id=account.user_id, since_id=account.mentions_since_id, pagination_token=token
        )
        meta = page.get("meta") or {}
        newest = newest or str(meta.get("newest_id") or "")
        pages.append(page)
        token = str(meta.get("next_token") or "")
        if not token:
            break
    created = _journal_and_read(InboxSource.X_MENTIONS, account, pages)
    if newest:
        account.mentions_since_id = newest
        account.save(update_fields=["mentions_since_id"])
    return created


def _x_poll_dms(account: XAccount, api: XApi) -> int:
    """DM events have no ``since_id``: read pages until the last event already seen."""
    seen = int(account.dm_since_id or 0)
    newest = seen
    token = ""
    pages: list[dict[str, Any]] = []
    for _page in range(MAX_PAGES_PER_POLL):
        page = api.dm_events_page(pagination_token=token)
        events = [e for e in page.get("data") or [] if isinstance(e, dict)]
        ids = [int(e["id"]) for e in events if str(e.get("id")).isdigit()]
        newest = max([newest, *ids])
        fresh = [e for e in events if str(e.get("id")).isdigit() and int(e["id"]) > seen]
        pages.append({**page, "data": fresh})
        token = str((page.get("meta") or {}).get("next_token") or "")
        if not token or len(fresh) < len(page.get("data") or []):
            break
    created = _journal_and_read(InboxSource.X_DMS, account, pages)
    if newest > seen:
        account.dm_since_id = str(newest)
        account.save(update_fields=["dm_since_id"])
    return created


def _journal_and_read(source: str, account: XAccount, pages: list[dict[str, Any]]) -> int:
    """Polled items go through the inbox journal like a webhook body.

    The journal row commits before ``since_id`` moves on, so nothing read is
    ever skipped; the poller (a background process already) reads it at once,
    and the sweep does if the poller dies first.
    """
    if not any(page.get("data") for page in pages):
        return 0
    delivery = inbox_poll_record(source=source, account_id=account.user_id, pages=pages)
    return inbox_delivery_process(delivery_id=delivery.pk).get(InboxEventStatus.STORED, 0)


def x_account_poll_due(*, account: XAccount, now: datetime.datetime | None = None) -> int:
    """Poll one account if its interval has passed; rate limits push the next poll back."""
    now = now or timezone.now()
    if account.next_poll_at and account.next_poll_at > now:
        return 0
    next_poll = now + datetime.timedelta(seconds=max(account.poll_interval_seconds, 1))
    created = 0
    error = ""
    try:
        api = XApi.from_environment(account.credentials_prefix)
        created = x_account_poll(account=account, api=api)
    except SocialApiError as exc:
        error = redact(str(exc))
        logger.warning("polling @%s failed: %s", account.handle, exc)
        if exc.retry_at and exc.retry_at > next_poll:
            next_poll = exc.retry_at
    XAccount.objects.filter(pk=account.pk).update(
        last_polled_at=now, next_poll_at=next_poll, last_error=error
    )
    account.last_polled_at, account.next_poll_at, account.last_error = now, next_poll, error
    return created


# ---- replies (sent by the outbox worker, helpdesk.services.notifications) ----------------------


def reply_target(*, message: Message) -> str:
    """Where on the platform a staff message goes, decided when it is queued.

    ``tweet:<citizen's latest tweet>``, ``dm:<user id>``, ``messenger:<psid>``,
    ``comment:<citizen's latest comment>``; empty when there is nothing to answer.
    """
    conversation = message.conversation
    parts = thread_parts(conversation.external_thread_id)
    if parts is None:
        return ""
    if parts.kind == "tweet":
        tweet = _last_citizen_external_id(conversation).removeprefix("tweet:")
        return f"tweet:{tweet}" if tweet else ""
    if parts.kind == "dm":
        identity = ContactIdentity.objects.filter(
            contact_id=conversation.contact_id, channel=Channel.X
        ).first()
        return f"dm:{identity.external_id}" if identity else ""
    if parts.kind == "psid":
        return f"messenger:{parts.platform_id}"
    if parts.kind == "post":
        comment = comment_id_of(_last_citizen_external_id(conversation))
        return f"comment:{comment}" if comment else ""
    return ""


def _last_citizen_external_id(conversation: Conversation) -> str:
    last = _last_citizen_message(conversation)
    return (last.external_id or "") if last else ""


def _last_citizen_message(conversation: Conversation) -> Message | None:
    return conversation.messages.filter(sender_kind=SenderKind.CITIZEN).order_by("-seq").first()


def messaging_window_open(
    conversation: Conversation, *, now: datetime.datetime | None = None
) -> bool:
    """Messenger accepts a RESPONSE only within 24 hours of the citizen's last message."""
    parts = thread_parts(conversation.external_thread_id)
    if parts is None or parts.kind != "psid":
        return True
    last = _last_citizen_message(conversation)
    return last is not None and (now or timezone.now()) - last.created_at < MESSAGING_WINDOW


def reply_send(
    *,
    message: Message,
    target: str,
    parts_sent: Sequence[str] = (),
    part_sent: Callable[[str], None] = lambda platform_id: None,
) -> str:
    """Send one staff message to its target; returns the platform's id of (the first part of) it.

    Text longer than the platform takes is sent in parts (a thread on X);
    ``parts_sent`` are the ids of parts a previous attempt already sent, which
    are not sent again, and ``part_sent`` records each new one as it goes.
    Raises :class:`SocialApiError`.
    """
    kind, _sep, target_id = target.partition(":")
    conversation = message.conversation
    parts = thread_parts(conversation.external_thread_id)
    if parts is None or not target_id:
        raise SocialApiError("nothing to reply to", permanent=True, reason="no_target")
    if conversation.channel == Channel.X:
        account = XAccount.objects.filter(user_id=parts.owner).first()
        if account is None:
            raise SocialApiError(
                f"no X account {parts.owner}", permanent=True, reason="not_configured"
            )
        x = XApi.from_environment(account.credentials_prefix)
        if kind == "tweet":
            return _thread(
                x_post_parts(message.text),
                parts_sent,
                part_sent,
                lambda text, previous: x.post_reply(
                    text=text, in_reply_to_tweet_id=previous or target_id
                ),
            )
        return _thread(
            [message.text],
            parts_sent,
            part_sent,
            lambda text, previous: x.send_dm(participant_id=target_id, text=text),
        )
    page = FacebookPage.objects.filter(page_id=parts.owner).first()
    if page is None:
        raise SocialApiError(
            f"no Facebook page {parts.owner}", permanent=True, reason="not_configured"
        )
    if kind == "messenger" and not messaging_window_open(conversation):
        raise SocialApiError(
            "last citizen message is older than 24 hours",
            permanent=True,
            reason="outside_messaging_window",
        )
    fb = FacebookApi.from_environment(page_id=page.page_id, token_variable=page.token_variable)
    if kind == "messenger":
        recipient = {"id": target_id}
    elif page.comment_reply_mode == CommentReplyMode.PRIVATE:
        recipient = {"comment_id": target_id}
    else:
        return fb.reply_to_comment(comment_id=target_id, text=message.text)
    return _thread(
        split_text(message.text, limit=MESSENGER_MAX_CHARACTERS, length=len),
        parts_sent,
        part_sent,
        lambda text, previous: fb.send_message(recipient=recipient, text=text),
    )


def _thread(
    texts: list[str],
    parts_sent: Sequence[str],
    part_sent: Callable[[str], None],
    send: Callable[[str, str], str],
) -> str:
    """Send the parts not sent yet, each after the previous one; the first part's id."""
    sent = list(parts_sent)
    for text in texts[len(sent) :]:
        platform_id = send(text, sent[-1] if sent else "")
        sent.append(platform_id)
        part_sent(platform_id)
    return sent[0] if sent else ""


def reply_confirmed_by_platform(*, target: str) -> bool:
    """Messenger confirms a send through its echo; the others by answering the request."""
    return not target.startswith("messenger:")


def delivery_failure_explanation(reason: str) -> str:
    explanations = {
        "outside_messaging_window": _(
            "Not sent: Facebook only allows a page to answer in Messenger within 24 hours "
            "of the citizen's last message. Wait for the citizen to write again, or reach "
            "them another way (phone, SMS)."
        ),
        "not_configured": _(
            "Not sent: this account or page is not connected (token missing). Ask an administrator."
        ),
        "forbidden": _("Not sent: the platform refused our credentials or permissions."),
        "gone": _("Not sent: the post or account no longer exists."),
        "no_target": _("Not sent: there is no message of the citizen to answer."),
    }
    return explanations.get(reason, _("Not sent: the platform rejected the message."))
