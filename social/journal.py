"""The inbox journal, the worker's side: read a stored delivery event by event.

A verified webhook body (or a poll's pages) is written as it came and
acknowledged at once (``social.inbox.inbox_store``). The worker reads it into one
:class:`InboxEvent` per platform event (:func:`inbox_delivery_process`) and
stores each on its own, in its own transaction with its journal row, so:

- one broken event is kept with its error and never blocks its neighbours;
- a worker killed between the journal and the parse leaves rows the sweep
  hands to the worker again (``social.inbox.inbox_sweep``), and an event stored once is
  never stored twice (its row is locked and its status checked in the same
  transaction that stores the message; the core de-duplicates by platform id);
- attachments are downloaded here, in the worker, never in the webhook.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import safe_json
from helpdesk.errors import DomainError
from helpdesk.inbound import InboundMessage
from helpdesk.models import Channel, ContactIdentity, Message, Notification
from helpdesk.redaction import redact
from helpdesk.services.conversations import conversation_receive, system_event_record
from helpdesk.text import MAX_MESSAGE_LENGTH
from social.media import Fetched, media_fetch, media_note
from social.models import (
    FacebookPage,
    InboxDelivery,
    InboxDeliveryStatus,
    InboxEvent,
    InboxEventStatus,
    InboxSource,
    XAccount,
)
from social.parsing import (
    CommentRemoved,
    Echo,
    Incoming,
    Malformed,
    Piece,
    Skip,
    comment_id_of,
    facebook_pieces,
    piece_parse,
    x_activity_pieces,
    x_poll_pieces,
)
from social.profiles import display_name_lookup, media_session

logger = logging.getLogger(__name__)

Status = InboxEventStatus
POLLED_KINDS = {"x_mention", "x_dm_event"}
# What inbox_event_process answers for an event whose message was already stored.
DUPLICATE = "duplicate"
DONE = "done"  # someone else had processed it

CUTTERS: dict[str, Callable[[Any], list[Piece]]] = {
    InboxSource.FACEBOOK: facebook_pieces,
    InboxSource.X_ACTIVITY: x_activity_pieces,
    InboxSource.X_MENTIONS: partial(x_poll_pieces, kind="x_mention"),
    InboxSource.X_DMS: partial(x_poll_pieces, kind="x_dm_event"),
}


def _clean(text: str, limit: int | None = 4000) -> str:
    # PostgreSQL text cannot hold NUL nor lone surrogates; an error message may quote the
    # body. (The body itself is kept as bytes, as it came.)
    return safe_json.storable(text.replace("\x00", "\\u0000"))[:limit]


def _error_text(exc: BaseException) -> str:
    return _clean(redact(f"{type(exc).__name__}: {exc}"))


# ---- reading a delivery into events ------------------------------------------------------


def _decoded(body: bytes) -> tuple[str, str]:
    try:
        return body.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        note = (
            f"the body is not valid UTF-8 ({exc.reason} at byte {exc.start}); "
            "invalid bytes were read as U+FFFD"
        )
        return body.decode("utf-8", errors="replace"), note


# Deeper than any platform nests (Meta and X stay under 10); deeper parts are cut out.
MAX_DEPTH = 100
TOO_DEEP = "__nidaa_nested_too_deep__"


def _cut_too_deep(text: str) -> str:
    """``text`` with every array or object nested deeper than MAX_DEPTH replaced by a marker.

    Python's JSON reader gives up on deep nesting (RecursionError) for the whole
    body; cutting only the deep part lets its neighbours be read.
    """
    out: list[str] = []
    depth = 0
    last = 0
    cut_from = -1
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1:
                cut_from = index
        elif char in "]}":
            if depth == MAX_DEPTH + 1 and cut_from >= 0:
                out += [text[last:cut_from], f'"{TOO_DEEP}"']
                last = index + 1
            depth -= 1
    return "".join([*out, text[last:]])


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        return json.loads(_cut_too_deep(text))


def _serialised(data: Any) -> tuple[str, str]:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=True), ""
    except (TypeError, ValueError, RecursionError) as exc:
        return _clean(repr(data), 10_000), _error_text(exc)


def _read(delivery_id: int) -> None:
    """Cut a received delivery into pending events, once."""
    with transaction.atomic():
        delivery = InboxDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != InboxDeliveryStatus.RECEIVED:
            return
        text, note = _decoded(bytes(delivery.body))
        try:
            pieces = CUTTERS[delivery.source](_loads(text))
        except (ValueError, RecursionError) as exc:
            # ValueError covers JSONDecodeError and Malformed: nothing in it can be read.
            delivery.status = InboxDeliveryStatus.UNREADABLE
            delivery.error = _clean("; ".join(filter(None, [note, _error_text(exc)])))
            delivery.read_at = timezone.now()
            delivery.save(update_fields=["status", "error", "read_at"])
            logger.warning("inbox delivery %s unreadable: %s", delivery.pk, delivery.error)
            return
        events = []
        for position, piece in enumerate(pieces):
            raw, raw_error = _serialised(piece.data)
            if TOO_DEEP in raw:
                raw_error = f"nested deeper than {MAX_DEPTH} levels: the deep part was cut out"
            error = piece.error or raw_error
            events.append(
                InboxEvent(
                    delivery=delivery,
                    position=position,
                    kind=piece.kind,
                    raw=_clean(raw, None),
                    status=Status.FAILED if error else Status.PENDING,
                    error=_clean(error),
                )
            )
        InboxEvent.objects.bulk_create(events)
        delivery.status = InboxDeliveryStatus.READ
        delivery.error = note
        delivery.read_at = timezone.now()
        delivery.save(update_fields=["status", "error", "read_at"])


def inbox_delivery_process(*, delivery_id: int) -> dict[str, int]:
    """Read a delivery (once) and store each of its pending events; counts by outcome."""
    _read(delivery_id)
    outcomes: dict[str, int] = {}
    pending = InboxEvent.objects.filter(delivery_id=delivery_id, status=Status.PENDING)
    for event_id in pending.order_by("position").values_list("pk", flat=True):
        outcome = inbox_event_process(event_id=event_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# ---- one event ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Outcome:
    status: str
    note: str = ""
    message: Message | None = None
    duplicate: bool = False


def inbox_event_process(*, event_id: int) -> str:
    """Parse and store one pending event; a failure is kept on its row with the error."""
    event = InboxEvent.objects.filter(pk=event_id, status=Status.PENDING).first()
    if event is None:
        return DONE
    try:
        outcome = _process(event)
    except Exception as exc:
        logger.warning(
            "inbox event %s failed: %s", event_id, exc, exc_info=not isinstance(exc, Malformed)
        )
        InboxEvent.objects.filter(pk=event_id, status=Status.PENDING).update(
            status=Status.FAILED,
            error=_error_text(exc),
            attempts=event.attempts + 1,
            processed_at=timezone.now(),
        )
        return str(Status.FAILED)
    return outcome


def _process(event: InboxEvent) -> str:
    action = piece_parse(event.kind, json.loads(event.raw))
    prepared: Callable[[], _Outcome]
    if isinstance(action, Skip):
        prepared = partial(_Outcome, Status.IGNORED, action.reason)
    elif isinstance(action, Echo):
        prepared = partial(_echo_record, action)
    elif isinstance(action, CommentRemoved):
        prepared = partial(_comment_removed_record, action)
    else:
        unserved = _unserved(action, polled=event.kind in POLLED_KINDS)
        if unserved:
            prepared = partial(_Outcome, Status.IGNORED, unserved)
        else:
            # The slow part (downloads, profile look-ups) happens before any lock is taken.
            prepared = partial(_receive, *_prepared(action))
    with transaction.atomic():
        locked = InboxEvent.objects.select_for_update().get(pk=event.pk)
        if locked.status != Status.PENDING:
            return DONE  # another worker stored it meanwhile
        outcome = prepared()
        locked.status = outcome.status
        locked.note = _clean(outcome.note, 300)
        locked.error = ""
        locked.message = outcome.message
        locked.attempts += 1
        locked.processed_at = timezone.now()
        if isinstance(action, Incoming):
            locked.external_id = action.inbound.external_id[:200]
        locked.save()
    return DUPLICATE if outcome.duplicate else str(outcome.status)


def _unserved(incoming: Incoming, *, polled: bool) -> str:
    """Why an item for an account or page we do not serve (any more) is left alone.

    A polled item was read by us for that account (the demo's simulated
    account is inactive so that no one polls it); a pushed one must be for an
    active account.
    """
    if incoming.inbound.channel == Channel.X:
        accounts = XAccount.objects.filter(user_id=incoming.owner)
        if not (accounts if polled else accounts.filter(is_active=True)).exists():
            return f"unknown or inactive X account {incoming.owner}"
        return ""
    page = FacebookPage.objects.filter(page_id=incoming.owner, is_active=True).first()
    if page is None:
        return f"unknown or inactive page {incoming.owner}"
    if incoming.inbound.external_id.startswith("comment:") and not page.receive_comments:
        return "this page's comments do not reach the queue"
    return ""


def _prepared(incoming: Incoming) -> tuple[InboundMessage, list[Fetched]]:
    inbound = incoming.inbound
    if incoming.in_reply_to:
        earlier = _existing_message(Channel.X, f"tweet:{incoming.in_reply_to}")
        if earlier is not None:
            inbound = dataclasses.replace(
                inbound, thread_id=earlier.conversation.external_thread_id
            )
    if not inbound.sender.display_name:
        name = display_name_lookup(
            channel=inbound.channel, owner=incoming.owner, user_id=inbound.sender.external_id
        )
        if name:
            inbound = dataclasses.replace(
                inbound, sender=dataclasses.replace(inbound.sender, display_name=name)
            )
    fetched: list[Fetched] = []
    if incoming.media:
        with media_session(incoming) as session:
            fetched = [media_fetch(ref, session=session) for ref in incoming.media]
    return inbound, fetched


def _with_notes(inbound: InboundMessage, notes: list[str]) -> InboundMessage:
    """The text with the notes on files not kept, cut to what the queue takes if need be.

    X DMs take 10,000 characters, the queue 4,000: a longer text is cut with a
    note, never refused (the whole text stays in the journal).
    """
    text = "\n".join(filter(None, [inbound.text, *notes]))
    if len(text) > MAX_MESSAGE_LENGTH:
        cut = _("[cut: the message has %(n)d characters; the inbox journal keeps all of it]") % {
            "n": len(inbound.text)
        }
        tail = "\n".join([cut, *notes])
        text = inbound.text[: max(MAX_MESSAGE_LENGTH - len(tail) - 1, 0)] + "\n" + tail
    return dataclasses.replace(inbound, text=text[:MAX_MESSAGE_LENGTH])


def _receive(inbound: InboundMessage, fetched: list[Fetched]) -> _Outcome:
    kept = tuple(f.attachment for f in fetched if f.attachment is not None)
    notes = [media_note(f.ref, f.why) for f in fetched if f.attachment is None]
    try:
        result = conversation_receive(
            _with_notes(dataclasses.replace(inbound, attachments=kept), notes)
        )
    except DomainError as exc:
        if not kept:
            if exc.code == "empty":
                return _Outcome(Status.IGNORED, "nothing to store: no text and no file")
            raise
        # A file we fetched but cannot keep (not an image, unreadable …): keep its link.
        notes += [media_note(f.ref, exc.message) for f in fetched if f.attachment is not None]
        result = conversation_receive(
            _with_notes(dataclasses.replace(inbound, attachments=()), notes)
        )
    _identity_remember(inbound)
    note = "" if result.created else "already stored (redelivered)"
    return _Outcome(Status.STORED, note, result.message, duplicate=not result.created)


def _identity_remember(inbound: InboundMessage) -> None:
    """Cache a display name learned later on the identity (and the nameless contact)."""
    sender = inbound.sender
    if not sender.display_name:
        return
    identity = (
        ContactIdentity.objects.select_related("contact")
        .filter(channel=inbound.channel, external_id=sender.external_id)
        .filter(Q(display_name="") | Q(contact__name=""))
        .first()
    )
    if identity is None:
        return
    if not identity.display_name:
        identity.display_name = sender.display_name[:200]
        identity.save(update_fields=["display_name"])
    if not identity.contact.name:
        identity.contact.name = sender.display_name[:200]
        identity.contact.save(update_fields=["name"])


def _existing_message(channel: str, external_id: str) -> Message | None:
    return (
        Message.objects.select_related("conversation")
        .filter(channel=channel, external_id=external_id)
        .first()
    )


def _echo_record(echo: Echo) -> _Outcome:
    """Our own sends come back as echoes: confirm them, never store them as the citizen's."""
    entry = Notification.objects.filter(
        provider_message_id=echo.mid, message__isnull=False, message__channel=Channel.FACEBOOK
    ).first()
    if entry is None or entry.message_id is None:
        return _Outcome(Status.IGNORED, "echo of a message sent outside Nidaa")
    Message.objects.filter(pk=entry.message_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    return _Outcome(Status.IGNORED, f"echo of our reply (outbox #{entry.pk}): delivered")


def _comment_removed_record(removed: CommentRemoved) -> _Outcome:
    message = _existing_message(Channel.FACEBOOK, removed.external_id)
    if message is None:
        return _Outcome(Status.IGNORED, "removed comment was never stored")
    system_event_record(
        message.conversation,
        event="comment_removed",
        data={"seq": message.seq, "comment_id": comment_id_of(removed.external_id)},
    )
    return _Outcome(Status.STORED, "comment removed: noted in the transcript", None)
