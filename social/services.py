"""Writes of the social channels: receive what the platforms send, send what agents write."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import DomainError
from helpdesk.inbound import InboundMessage
from helpdesk.models import Channel, ContactIdentity, Conversation, Message, SenderKind
from helpdesk.services.conversations import (
    ReceiveResult,
    conversation_receive,
    system_event_record,
)
from social.adapters import SocialApiError
from social.adapters.facebook import FacebookApi
from social.adapters.x import XApi
from social.http import fetch_public
from social.models import (
    CommentReplyMode,
    DeliveryStatus,
    FacebookPage,
    SocialDelivery,
    XAccount,
)
from social.parsing import (
    CommentRemoved,
    Echo,
    Fetch,
    Incoming,
    comment_id_of,
    facebook_events,
    thread_parts,
    x_activity,
    x_dm_events,
    x_mentions,
)

logger = logging.getLogger(__name__)

MESSAGING_WINDOW = datetime.timedelta(hours=24)
MAX_PAGES_PER_POLL = 10
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def social_receive(inbound: InboundMessage) -> ReceiveResult | None:
    """Hand one platform item to the core; an unusable item is logged, never fatal."""
    try:
        return conversation_receive(inbound)
    except DomainError as exc:
        if not inbound.attachments:
            logger.warning("%s item %s not stored: %s", inbound.channel, inbound.external_id, exc)
            return None
        # An attachment we cannot keep (not an image, too large …) must not cost the
        # citizen the message: store it without the files, with their links.
        logger.warning(
            "%s item %s: attachments dropped: %s", inbound.channel, inbound.external_id, exc
        )
        links = "\n".join(
            _("Attachment not kept: %(url)s") % {"url": a.external_url} for a in inbound.attachments
        )
        return social_receive(
            dataclasses.replace(
                inbound, attachments=(), text="\n".join(filter(None, [inbound.text, links]))
            )
        )


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
    items: list[InboundMessage] = []
    for _page in range(MAX_PAGES_PER_POLL):
        page = api.mentions_page(
            user_id=account.user_id, since_id=account.mentions_since_id, pagination_token=token
        )
        meta = page.get("meta") or {}
        newest = newest or str(meta.get("newest_id") or "")
        items.extend(x_mentions(page, account_id=account.user_id, fetch=fetch_public))
        token = str(meta.get("next_token") or "")
        if not token:
            break
    created = _receive_oldest_first(items)
    if newest:
        account.mentions_since_id = newest
        account.save(update_fields=["mentions_since_id"])
    return created


def _x_poll_dms(account: XAccount, api: XApi) -> int:
    """DM events have no ``since_id``: read pages until the last event already seen."""
    seen = int(account.dm_since_id or 0)
    newest = seen
    token = ""
    items: list[InboundMessage] = []
    for _page in range(MAX_PAGES_PER_POLL):
        page = api.dm_events_page(pagination_token=token)
        ids = [
            int(event["id"]) for event in page.get("data") or [] if str(event.get("id")).isdigit()
        ]
        newest = max([newest, *ids])
        fresh = [e for e in page.get("data") or [] if int(e.get("id", 0)) > seen]
        items.extend(
            x_dm_events({**page, "data": fresh}, account_id=account.user_id, fetch=fetch_public)
        )
        token = str((page.get("meta") or {}).get("next_token") or "")
        if not token or len(fresh) < len(page.get("data") or []):
            break
    created = _receive_oldest_first(items)
    if newest > seen:
        account.dm_since_id = str(newest)
        account.save(update_fields=["dm_since_id"])
    return created


def _receive_oldest_first(items: list[InboundMessage]) -> int:
    # The API answers newest first; a conversation should read in the order it was written.
    ordered = sorted(items, key=lambda m: int(m.external_id.split(":")[1]))
    return sum(1 for m in ordered if (result := social_receive(m)) and result.created)


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
        error = str(exc)
        logger.warning("polling @%s failed: %s", account.handle, exc)
        if exc.retry_at and exc.retry_at > next_poll:
            next_poll = exc.retry_at
    XAccount.objects.filter(pk=account.pk).update(
        last_polled_at=now, next_poll_at=next_poll, last_error=error
    )
    account.last_polled_at, account.next_poll_at, account.last_error = now, next_poll, error
    return created


def x_activity_receive(*, payload: dict[str, Any], fetch: Fetch | None = None) -> int:
    """Store the mentions and DMs of a verified Account Activity delivery."""
    account_id = str(payload.get("for_user_id", ""))
    if not XAccount.objects.filter(user_id=account_id, is_active=True).exists():
        logger.warning("account activity for unknown X account %s ignored", account_id)
        return 0
    created = 0
    for inbound in x_activity(payload, fetch=fetch or fetch_public):
        answered = str(inbound.meta.get("in_reply_to") or "")
        earlier = _existing_message(Channel.X, f"tweet:{answered}") if answered else None
        if earlier is not None:
            inbound = dataclasses.replace(
                inbound, thread_id=earlier.conversation.external_thread_id
            )
        result = social_receive(inbound)
        created += bool(result and result.created)
    return created


def _existing_message(channel: str, external_id: str) -> Message | None:
    return (
        Message.objects.select_related("conversation")
        .filter(channel=channel, external_id=external_id)
        .first()
    )


# ---- Facebook webhook ----------------------------------------------------------------


def facebook_payload_receive(*, payload: dict[str, Any], fetch: Fetch | None = None) -> int:
    """Store every item of a verified Page webhook delivery; returns how many were new."""
    pages = {p.page_id: p for p in FacebookPage.objects.filter(is_active=True)}
    created = 0
    for event in facebook_events(payload, fetch=fetch or fetch_public):
        page = pages.get(event.page_id)
        if page is None:
            logger.warning("webhook for unknown or inactive page %s ignored", event.page_id)
            continue
        if isinstance(event, Echo):
            _echo_record(event)
        elif isinstance(event, CommentRemoved):
            _comment_removed_record(event)
        elif isinstance(event, Incoming):
            if event.inbound.external_id.startswith("comment:") and not page.receive_comments:
                continue
            result = social_receive(event.inbound)
            created += bool(result and result.created)
    return created


def _echo_record(echo: Echo) -> None:
    """Our own sends come back as echoes: confirm them, never store them as the citizen's."""
    delivery = SocialDelivery.objects.filter(channel=Channel.FACEBOOK, platform_id=echo.mid).first()
    if delivery is None:
        logger.info("echo %s of a message sent outside Nidaa (page %s)", echo.mid, echo.page_id)
        return
    Message.objects.filter(pk=delivery.message_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )


def _comment_removed_record(removed: CommentRemoved) -> None:
    message = _existing_message(Channel.FACEBOOK, removed.external_id)
    if message is None:
        return
    with transaction.atomic():
        system_event_record(
            message.conversation,
            event="comment_removed",
            data={"seq": message.seq, "comment_id": comment_id_of(removed.external_id)},
        )


# ---- deliveries -------------------------------------------------------------------


def delivery_create(*, message: Message) -> SocialDelivery | None:
    """Record where a staff message must go; ``None`` when it has nowhere to go."""
    conversation = message.conversation
    parts = thread_parts(conversation.external_thread_id)
    if parts is None:
        logger.error("conversation %s has no social thread", conversation.pk)
        return None
    target_kind, target_id = parts.kind, parts.platform_id
    if parts.kind == "tweet":
        target_id = _last_citizen_external_id(conversation).removeprefix("tweet:")
    elif parts.kind == "dm":
        identity = ContactIdentity.objects.filter(
            contact_id=conversation.contact_id, channel=Channel.X
        ).first()
        target_id = identity.external_id if identity else ""
    elif parts.kind == "psid":
        target_kind = "messenger"
    elif parts.kind == "post":
        target_kind = "comment"
        target_id = comment_id_of(_last_citizen_external_id(conversation))
    delivery, _created = SocialDelivery.objects.get_or_create(
        message=message,
        defaults={
            "channel": conversation.channel,
            "target_kind": target_kind,
            "target_id": target_id,
        },
    )
    return delivery


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


def delivery_attempt(*, delivery_id: int) -> datetime.datetime | None:
    """Try once to send a delivery. Returns when to try again, or ``None`` when done."""
    with transaction.atomic():
        delivery = (
            SocialDelivery.objects.select_for_update()
            .select_related("message__conversation")
            .get(pk=delivery_id)
        )
        if delivery.status != DeliveryStatus.PENDING:
            return None
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    try:
        platform_id = _send(delivery)
    except SocialApiError as exc:
        return _attempt_failed(delivery, exc)
    except Exception as exc:
        # A bug must not silently drop a citizen's answer: retry, then report it.
        logger.exception("delivery %s failed unexpectedly", delivery.pk)
        return _attempt_failed(delivery, SocialApiError(repr(exc), permanent=False))
    now = timezone.now()
    with transaction.atomic():
        SocialDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, platform_id=platform_id, sent_at=now, last_error=""
        )
        if delivery.target_kind != "messenger":
            # Messenger confirms through its echo; the others confirm by answering.
            Message.objects.filter(pk=delivery.message_id).update(delivered_at=now)
    return None


def _send(delivery: SocialDelivery) -> str:
    message = delivery.message
    conversation = message.conversation
    parts = thread_parts(conversation.external_thread_id)
    if parts is None or not delivery.target_id:
        raise SocialApiError("nothing to reply to", permanent=True, reason="no_target")
    if delivery.channel == Channel.X:
        account = XAccount.objects.filter(user_id=parts.owner).first()
        if account is None:
            raise SocialApiError(
                f"no X account {parts.owner}", permanent=True, reason="not_configured"
            )
        x = XApi.from_environment(account.credentials_prefix)
        if delivery.target_kind == "tweet":
            return x.post_reply(text=message.text, in_reply_to_tweet_id=delivery.target_id)
        return x.send_dm(participant_id=delivery.target_id, text=message.text)
    page = FacebookPage.objects.filter(page_id=parts.owner).first()
    if page is None:
        raise SocialApiError(
            f"no Facebook page {parts.owner}", permanent=True, reason="not_configured"
        )
    if delivery.target_kind == "messenger" and not messaging_window_open(conversation):
        raise SocialApiError(
            "last citizen message is older than 24 hours",
            permanent=True,
            reason="outside_messaging_window",
        )
    fb = FacebookApi.from_environment(page_id=page.page_id, token_variable=page.token_variable)
    if delivery.target_kind == "messenger":
        return fb.send_message(recipient={"id": delivery.target_id}, text=message.text)
    if page.comment_reply_mode == CommentReplyMode.PRIVATE:
        return fb.send_message(recipient={"comment_id": delivery.target_id}, text=message.text)
    return fb.reply_to_comment(comment_id=delivery.target_id, text=message.text)


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(
        seconds=min(BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS)
    )


def _attempt_failed(delivery: SocialDelivery, exc: SocialApiError) -> datetime.datetime | None:
    now = timezone.now()
    if not exc.permanent and delivery.attempts < settings.NIDAA_SOCIAL_MAX_ATTEMPTS:
        # When the platform said when (X's rate-limit reset), then; otherwise back off.
        retry_at = (
            exc.retry_at
            if exc.retry_at and exc.retry_at > now
            else now + _backoff(delivery.attempts)
        )
        SocialDelivery.objects.filter(pk=delivery.pk).update(
            last_error=str(exc)[:2000], next_attempt_at=retry_at
        )
        logger.info("delivery %s will be retried at %s: %s", delivery.pk, retry_at, exc)
        return retry_at
    reason = exc.reason if exc.permanent else "gave_up"
    with transaction.atomic():
        SocialDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            failure_reason=reason,
            last_error=str(exc)[:2000],
            next_attempt_at=None,
        )
        system_event_record(
            delivery.message.conversation,
            event="delivery_failed",
            data={
                "seq": delivery.message.seq,
                "reason": reason,
                "explanation": delivery_failure_explanation(reason),
                "attempts": delivery.attempts,
            },
        )
    logger.warning("delivery %s failed for good (%s): %s", delivery.pk, reason, exc)
    return None


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
        "gave_up": _("Not sent: the platform kept failing; we stopped retrying."),
    }
    return explanations.get(reason, _("Not sent: the platform rejected the message."))
