"""What the codes staff pages and the console carry mean, in words a person reads.

The console receives codes on the wire (``webchat``, ``offered``,
``citizen_ended`` …) and shows these labels instead; server-rendered pages use
the same ones. A code without a label is shown as a neutral word, never raw.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Channel, ConversationState, Disposition, Presence, Priority, Role

# Why a conversation moved: the ``reason`` of system events and desk events.
REASONS: dict[str, Promise] = {
    "assistant:citizen_asked": _("the citizen asked the assistant for a person"),
    "assistant:not_understood": _("the assistant did not understand"),
    "assistant_error": _("the assistant failed"),
    "citizen_ended": _("the citizen ended the chat"),
    "connection_lost": _("the agent's connection was lost"),
    "logged_out": _("the agent logged out"),
    "off_duty": _("the agent went off duty"),
    "away": _("the agent stepped away"),
    "declined": _("declined"),
    "agent_closed": _("closed by the agent"),
    "left_message": _("the citizen left a message"),
    "transferred": _("transferred"),
    "reassigned": _("reassigned by a supervisor"),
    "expired": _("not answered in time"),
    "new": _("new conversation"),
}

# A system event in a transcript (``Message.event``).
EVENTS: dict[str, Promise] = {
    "opened": _("Conversation opened"),
    "queued": _("Waiting in the queue"),
    "offered": _("Offered to"),
    "assigned": _("Assigned to"),
    "offer_expired": _("Offer not answered by"),
    "transferred": _("Transferred"),
    "reassigned": _("Reassigned to"),
    "agent_left": _("Agent left:"),
    "requeued": _("Back in the queue"),
    "wrap_up": _("Wrap-up"),
    "closed": _("Closed"),
}

SENDERS: dict[str, Promise] = {
    "citizen": _("Citizen"),
    "agent": _("Agent"),
    "bot": _("Assistant"),
    "system": _("System"),
}

# Photos attached to a resolution (``Attachment.purpose``).
PURPOSES: dict[str, Promise] = {
    "before": _("before the work"),
    "after": _("after the work"),
    "evidence": _("from the citizen"),
}


def language_names() -> dict[str, str]:
    return {code: str(name) for code, name in settings.LANGUAGES}


def console_labels() -> dict[str, dict[str, str]]:
    """Every code the console shows, with its label in the active language."""
    return {
        "channel": {code: str(label) for code, label in Channel.choices},
        "state": {code: str(label) for code, label in ConversationState.choices},
        "language": language_names(),
        "presence": {code: str(label) for code, label in Presence.choices},
        "priority": {code: str(label) for code, label in Priority.choices},
        "disposition": {
            **{code: str(label) for code, label in Disposition.choices},
            "citizen_ended": str(REASONS["citizen_ended"]),
        },
        "reason": {code: str(label) for code, label in REASONS.items()},
        "event": {code: str(label) for code, label in EVENTS.items()},
        "sender": {code: str(label) for code, label in SENDERS.items()},
    }


def label(table: dict[str, Promise], code: str) -> str:
    """The label of ``code``; an unknown code reads as a generic word, never as itself."""
    found = table.get(code)
    return str(found) if found is not None else str(_("other"))


def arrow() -> str:
    """ "From → to" reads the other way round in a right-to-left language."""
    return "←" if translation.get_language_bidi() else "→"


def role_label(role: str) -> str:
    if role == "system":
        return str(SENDERS["system"])
    return str(dict(Role.choices).get(role, _("other")))


def system_event_text(event: str, data: dict[str, Any]) -> str:
    """A transcript's system event as a sentence in the active language."""
    parts = [label(EVENTS, event)]
    if event == "transferred":
        target = data.get("to", "")
        if target == "queue":
            target = str(_("the queue"))
        parts.append(f"{data.get('from', '')} {arrow()} {target}")
    elif data.get("agent_name"):
        parts.append(str(data["agent_name"]))
    if event == "opened" and data.get("channel"):
        parts.append(str(dict(Channel.choices).get(data["channel"], _("other"))))
    why = []
    disposition = data.get("disposition")
    if disposition:
        known = {**dict(Disposition.choices), "citizen_ended": REASONS["citizen_ended"]}
        why.append(str(known.get(disposition, _("other"))))
    reason = data.get("reason")
    if reason and reason != disposition:
        why.append(label(REASONS, reason))
    text = " ".join(part for part in parts if part)
    return f"{text} ({_(', ').join(why)})" if why else text


def message_text(message: Any) -> str:
    """What a staff member reads of a stored message: system events and notes in their language."""
    if message.sender_kind == "system":
        return system_event_text(message.event, message.data or {})
    texts = (message.data or {}).get("texts") if message.event else None
    if isinstance(texts, dict):
        return str(texts.get(translation.get_language() or "", message.text))
    return str(message.text)


def attachment_title(attachment: Any) -> str:
    if attachment.purpose in PURPOSES:
        return str(_("Photo %(purpose)s") % {"purpose": PURPOSES[attachment.purpose]})
    if str(attachment.content_type).startswith("image/"):
        return str(_("Photo"))
    return str(_("File"))


def recipient_label(channel: str, recipient: str) -> str:
    """Who a notification went to, as staff read it: a number or an address as it is,
    the citizen's own conversation by its channel's name (never ``webchat:<token>``)."""
    if channel == "conversation":
        kind = recipient.partition(":")[0]
        return str(
            _("the citizen's %(channel)s conversation")
            % {"channel": dict(Channel.choices).get(kind, _("other"))}
        )
    return recipient
