"""The frames clients send on both sockets: their schemas, and the errors a bad frame earns.

Every client frame is a JSON object with a ``type`` that names one of its
socket's :class:`FrameSet`; each field is checked against its declared
:class:`Field`. The citizen's socket (``CITIZEN_FRAMES``, ``docs/protocol.md``)
is strict: unknown fields are refused and a frame has a size limit. The agent
console (``CONSOLE_FRAMES``, ``docs/agent-console.md``) ignores unknown fields
and reads ``null`` as absent, as its clients were promised.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from helpdesk import safe_json
from helpdesk.text import MAX_MESSAGE_LENGTH

# Text frames longer than this are refused unread. A 4,000-character message in
# any script, JSON-escaped as \uXXXX, stays well below it.
MAX_FRAME_CHARS = 32 * 1024
MAX_ATTACHMENTS = 4
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Long enough to be unguessable: the id of a start fetches that start's session again.
_START_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class FrameError(Exception):
    """A frame the server cannot act on; becomes an ``error`` frame with ``code``."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.frame_type: str | None = None
        self.client_msg_id: str | None = None
        self.frame: Mapping[str, Any] | None = None  # the object it came in, when it was one


Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = True
    default: Any = None


def _invalid(field: str, what: str) -> FrameError:
    return FrameError(
        "invalid_frame",
        _("“%(field)s” must be %(what)s.") % {"field": field, "what": what},
        field=field,
    )


def _int(low: int, high: int) -> Check:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _invalid(
                name, _("a whole number from %(lo)d to %(hi)d") % {"lo": low, "hi": high}
            )
        return value

    return check


def _str(max_length: int, *, code: str = "invalid_frame") -> Check:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise _invalid(name, _("text"))
        if len(value) > max_length:
            if code == "too_long":
                raise FrameError(
                    "too_long",
                    _("The message is too long (at most %(n)d characters).") % {"n": max_length},
                    field=name,
                )
            raise _invalid(name, _("at most %(n)d characters") % {"n": max_length})
        return value

    return check


def _typed(expected: type) -> Check:
    """Any value of the JSON type ``expected`` (``true`` is not an integer)."""

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise FrameError(
                "invalid_frame", _("Field “%(f)s” is malformed.") % {"f": name}, field=name
            )
        return value

    return check


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid(name, _("true or false"))
    return value


def _choice(*options: str) -> Check:
    def check(name: str, value: Any) -> str:
        if value not in options:
            raise _invalid(name, _("one of %(options)s") % {"options": ", ".join(options)})
        return str(value)

    return check


def client_msg_id_check(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise _invalid(name, _("1 to 64 letters, digits, “-” or “_”"))
    return value


def _start_id(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _START_ID.match(value):
        raise _invalid(name, _("16 to 64 letters, digits, “-” or “_”"))
    return value


def _attachment_ids(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
        raise _invalid(name, _("a list of at most %(n)d ids") % {"n": MAX_ATTACHMENTS})
    try:
        return tuple(str(uuid.UUID(item)) for item in value)
    except (TypeError, ValueError, AttributeError):
        raise _invalid(name, _("a list of upload ids")) from None


def _upload_ids(name: str, value: Any) -> tuple[str, ...]:
    """The console's attachments: unknown ids are the service's ``unknown_attachment``."""
    value = _typed(list)(name, value)
    if len(value) > MAX_ATTACHMENTS or not all(isinstance(item, str) for item in value):
        raise FrameError(
            "invalid_frame",
            _("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS},
            field=name,
        )
    try:
        return tuple(str(uuid.UUID(item)) for item in value)
    except ValueError:
        raise FrameError("unknown_attachment", _("Unknown attachment."), field=name) from None


def _coordinate(value: Any, limit: int) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or not -limit <= value <= limit:
        return None
    return Decimal(str(round(float(value), 6)))


def _location(name: str, value: Any) -> tuple[Decimal, Decimal]:
    if isinstance(value, dict) and set(value) == {"lat", "lng"}:
        lat, lng = _coordinate(value["lat"], 90), _coordinate(value["lng"], 180)
        if lat is not None and lng is not None:
            return lat, lng
    raise FrameError(
        "invalid_location",
        _("The location must be {“lat”: -90…90, “lng”: -180…180}."),
        field=name,
    )


_CITIZEN: dict[str, dict[str, Field]] = {
    # The pre-chat form on the socket itself (the same fields as POST /chat/api/session).
    "start": {
        "name": Field(_str(200)),
        "phone": Field(_str(40), required=False, default=""),
        "email": Field(_str(254), required=False, default=""),
        "language": Field(_choice("ar", "en"), required=False, default="ar"),
        "desk": Field(_str(50), required=False, default=""),
        # The client's id for this start: sent again after a lost answer, it finds
        # the chat the first one opened instead of opening a second.
        "start_id": Field(_start_id, required=False, default=""),
    },
    "hello": {
        "token": Field(_str(500)),
        "last_seq": Field(_int(0, 2**31 - 1), required=False, default=0),
    },
    "message": {
        "client_msg_id": Field(client_msg_id_check),
        "text": Field(_str(MAX_MESSAGE_LENGTH, code="too_long"), required=False, default=""),
        "attachment_ids": Field(_attachment_ids, required=False, default=()),
        "location": Field(_location, required=False, default=None),
    },
    "typing": {"active": Field(_bool)},
    "receipt": {
        "seq": Field(_int(1, 2**31 - 1)),
        "status": Field(_choice("delivered", "read")),
    },
    "end": {},
    "rate": {
        "rating": Field(_int(1, 5)),
        "comment": Field(_str(1000), required=False, default=""),
    },
    "transcript": {
        "email": Field(_str(254), required=False, default=""),
        "code": Field(_str(12), required=False, default=""),
    },
    "ping": {},
}


@dataclass(frozen=True)
class FrameSet:
    """The frames one socket accepts, and how it treats what is not declared.

    ``strict`` (the citizen's socket): a field no schema declares is refused, ``null``
    is a value its check judges, and a frame without a ``type`` is of an unknown
    type. Otherwise (the console): undeclared fields are ignored, ``null`` is an
    absent field, and a frame without a ``type`` is ``invalid_frame``.
    ``unknown_type``: the error code of a type not in ``schemas``.
    ``max_chars``: text frames longer than this are refused unread.
    """

    schemas: Mapping[str, Mapping[str, Field]]
    unknown_type: str
    strict: bool
    max_chars: int | None = None

    def parse(self, text: str | None) -> tuple[str, dict[str, Any]]:
        """The frame's type and its validated fields, or a ``FrameError`` saying what is wrong."""
        if text is None:
            raise FrameError("binary_not_supported", _("Send frames as JSON text."))
        if self.max_chars is not None and len(text) > self.max_chars:
            raise FrameError(
                "frame_too_large",
                _("The frame is too large (at most %(n)d characters).") % {"n": self.max_chars},
            )
        try:
            frame = safe_json.loads(text)
        except safe_json.MalformedJson as exc:
            raise FrameError(exc.code, exc.message) from None
        if not isinstance(frame, dict):
            raise FrameError("invalid_frame", _("A frame must be a JSON object."))
        try:
            return self._checked(frame)
        except FrameError as exc:
            # Say which frame failed, so a client can mark that one message as not sent.
            exc.frame = frame
            frame_type = frame.get("type")
            if isinstance(frame_type, str) and frame_type in self.schemas:
                exc.frame_type = frame_type
                client_id = frame.get("client_msg_id")
                if isinstance(client_id, str) and _CLIENT_ID.match(client_id):
                    exc.client_msg_id = client_id
            raise

    def _checked(self, frame: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        frame_type = frame.get("type")
        if not isinstance(frame_type, str) and not self.strict:
            raise FrameError(
                "invalid_frame", _("A frame is a JSON object with a “type”."), field="type"
            )
        if not isinstance(frame_type, str) or frame_type not in self.schemas:
            raise FrameError(self.unknown_type, _("Unknown frame type."), field="type")
        schema = self.schemas[frame_type]
        if self.strict:
            unknown = sorted(set(frame) - set(schema) - {"type"})
            if unknown:
                raise FrameError(
                    "invalid_frame",
                    _("Unknown field “%(field)s”.") % {"field": unknown[0]},
                    field=unknown[0],
                )
        fields: dict[str, Any] = {}
        for name, spec in schema.items():
            present = name in frame and (self.strict or frame[name] is not None)
            if present:
                fields[name] = spec.check(name, frame[name])
            elif spec.required:
                raise FrameError(
                    "invalid_frame", _("“%(field)s” is required.") % {"field": name}, field=name
                )
            else:
                fields[name] = spec.default
        return frame_type, fields


CITIZEN_FRAMES = FrameSet(
    schemas=_CITIZEN, unknown_type="unknown_type", strict=True, max_chars=MAX_FRAME_CHARS
)

# Most console frames name a conversation; the frame's service checks that it is yours.
_CONVERSATION = {"conversation": Field(_typed(str))}

CONSOLE_FRAMES = FrameSet(
    schemas={
        "heartbeat": {},
        # {conversation id: the last seq the console shows}
        "resume": {
            "conversations": Field(_typed(dict), required=False, default=MappingProxyType({}))
        },
        "presence": {"presence": Field(_typed(str))},
        "accept": _CONVERSATION,
        "decline": _CONVERSATION,
        "pick": _CONVERSATION,
        "send": {
            **_CONVERSATION,
            "text": Field(_typed(str)),
            "client_id": Field(_typed(str)),
            "internal": Field(_typed(bool), required=False, default=False),
            "attachment_ids": Field(_upload_ids, required=False, default=()),
        },
        "typing": {**_CONVERSATION, "active": Field(_typed(bool))},
        "read": {**_CONVERSATION, "seq": Field(_typed(int))},
        "transfer": {
            **_CONVERSATION,
            "to_agent": Field(_typed(int), required=False, default=None),
            "to_skill": Field(_typed(str), required=False, default=""),
            "note": Field(_typed(str), required=False, default=""),
        },
        "wrap_up": _CONVERSATION,
        "close": {**_CONVERSATION, "disposition": Field(_typed(str))},
        "history": _CONVERSATION,
        "ticket_prefill": _CONVERSATION,
        "ticket_create": {**_CONVERSATION, "ticket": Field(_typed(dict))},
    },
    unknown_type="unknown_frame",
    strict=False,
)

# The worklists' socket (``/ws/work/``) is read-only: the page only keeps it alive.
WORKLIST_FRAMES = FrameSet(schemas={"heartbeat": {}}, unknown_type="unknown_frame", strict=False)
