"""The access log: one row per staff read of a citizen's data, written in batches.

``access_record`` only appends to a per-process buffer (no query). The buffer
is written with one multi-row INSERT:

- after an HTTP response has been sent (Django's ``request_finished``), so a
  page or an API call never waits for its own log rows;
- at the end of the console socket's database hop that read the transcript;
- by ``access_log_flush`` wherever a caller must see its rows (export, tests);
- when the process exits.

A process killed between a read and the end of that request loses the rows of
that request; an INSERT that fails (database down) loses its batch and says so
in the application log.
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import threading
from typing import Any

from django.core.signals import request_finished
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone

from helpdesk.models import (
    AccessLog,
    AccessObject,
    AccessVia,
    Attachment,
    Conversation,
    Message,
    Ticket,
)
from helpdesk.roles import Actor, role_of

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: list[AccessLog] = []


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def access_record(
    *,
    user: Any,
    object_type: AccessObject | str,
    object_id: object,
    via: AccessVia | str,
    purpose: str,
    contact_id: int | None = None,
    ticket_id: int | None = None,
    address: str | None = None,
    role: str | None = None,
    operator: str = "",
) -> None:
    """Remember that ``user`` read something of a citizen's; written at the next flush.

    ``operator`` names who ran a management command (no staff user behind it).
    """
    staff = user is not None and getattr(user, "is_authenticated", False)
    if not staff and not operator:
        return
    row = AccessLog(
        at=timezone.now(),
        user_id=user.pk if staff else None,
        username=(user.get_username() if staff else operator)[:150],
        role=role or (role_of(user) if staff else "") or "",
        object_type=str(object_type),
        object_id=str(object_id)[:64],
        contact_id=contact_id,
        ticket_id=ticket_id,
        via=str(via),
        purpose=purpose[:100],
        address=_address(address),
    )
    with _lock:
        _pending.append(row)


def access_record_request(
    request: HttpRequest,
    *,
    object_type: AccessObject | str,
    object_id: object,
    via: AccessVia | str = AccessVia.PAGE,
    contact_id: int | None = None,
    ticket_id: int | None = None,
    role: str | None = None,
    user: Any = None,
) -> None:
    """``access_record`` for an HTTP read by ``user`` (default: the session's); the purpose
    is the route's name."""
    match = getattr(request, "resolver_match", None)
    purpose = (match.view_name if match is not None else "") or request.path
    access_record(
        user=user if user is not None else request.user,
        object_type=object_type,
        object_id=object_id,
        via=via,
        purpose=purpose,
        contact_id=contact_id,
        ticket_id=ticket_id,
        address=request.META.get("REMOTE_ADDR"),
        role=role,
    )


def access_log_flush() -> int:
    """Write every buffered row in one INSERT; the number written.

    The INSERT runs in a savepoint of its own, so a failure never spoils the
    caller's transaction; the rows are then dropped (and counted in the log)
    rather than kept to fail again.
    """
    with _lock:
        rows = _pending[:]
        del _pending[:]
    if not rows:
        return 0
    try:
        with transaction.atomic():
            AccessLog.objects.bulk_create(rows)
    except DatabaseError:
        logger.exception("access log: %d row(s) could not be written", len(rows))
        return 0
    return len(rows)


def access_log_discard() -> int:
    """Forget the buffered rows (a test starting afresh); how many there were."""
    with _lock:
        count = len(_pending)
        del _pending[:]
    return count


def access_log_pending() -> int:
    with _lock:
        return len(_pending)


def _flush_after_response(**kwargs: Any) -> None:
    if _pending:
        access_log_flush()


def _flush_at_exit() -> None:
    try:
        access_log_flush()
    except Exception:  # the database may already be gone at exit; nothing left to tell
        return


request_finished.connect(_flush_after_response, dispatch_uid="nidaa_access_log_flush")
atexit.register(_flush_at_exit)


def attachment_contact_id(attachment: Attachment) -> int | None:
    """The citizen an attachment belongs to (through its ticket, conversation or message)."""
    if attachment.ticket_id is not None:
        return (
            Ticket.objects.filter(pk=attachment.ticket_id)
            .values_list("contact_id", flat=True)
            .first()
        )
    conversation_id = attachment.conversation_id
    if conversation_id is None and attachment.message_id is not None:
        conversation_id = (
            Message.objects.filter(pk=attachment.message_id)
            .values_list("conversation_id", flat=True)
            .first()
        )
    if conversation_id is None:
        return None
    return (
        Conversation.objects.filter(pk=conversation_id).values_list("contact_id", flat=True).first()
    )


def access_record_ticket(
    request: HttpRequest, ticket: Ticket, *, actor: Actor, via: AccessVia = AccessVia.PAGE
) -> None:
    """A ticket read over HTTP (page or API) by ``actor``."""
    access_record_request(
        request,
        object_type=AccessObject.TICKET,
        object_id=ticket.pk,
        via=via,
        contact_id=ticket.contact_id,
        ticket_id=ticket.pk,
        role=actor.role,
        user=actor.user,
    )
