"""Reads for the citizen's chat: is anyone there, and the transcript to mail."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import adapters
from helpdesk.business_hours import Calendar
from helpdesk.models import AgentProfile, Channel, Conversation, OrganisationSettings
from helpdesk.selectors.queue import agents_available, conversation_messages_after


@dataclass(frozen=True)
class Availability:
    """Whether a citizen opening the widget now reaches a person, the assistant, or neither."""

    open_now: bool
    agents_available: bool
    opens: datetime.time
    closes: datetime.time
    assistant: bool = False

    @property
    def mode(self) -> str:
        """``live``: a person; ``assistant``: the assistant now, a person only in hours;
        ``offline``: nobody, the widget takes a message."""
        if self.open_now and self.agents_available:
            return "live"
        return "assistant" if self.assistant else "offline"

    @property
    def reason(self) -> str | None:
        if not self.open_now:
            return "closed"
        if not self.agents_available:
            return "no_agents"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "reason": self.reason,
            "open": self.open_now,
            "agents_available": self.agents_available,
            "assistant": self.assistant,
            "opens": self.opens.strftime("%H:%M"),
            "closes": self.closes.strftime("%H:%M"),
        }


def chat_availability(*, desk: str = "", now: datetime.datetime | None = None) -> Availability:
    """Live chat hours are the organisation's working days at the chat's own times;
    the assistant (when it serves web chat now) answers whatever the hour."""
    org = OrganisationSettings.load()
    calendar = dataclasses.replace(Calendar.load(org), start=org.chat_opens, end=org.chat_closes)
    return Availability(
        open_now=calendar.is_open(now or timezone.now()),
        agents_available=agents_available(skill_code=desk),
        opens=org.chat_opens,
        closes=org.chat_closes,
        assistant=any(handler.serves(Channel.WEBCHAT) for handler in adapters.handlers()),
    )


def conversation_agent_name(conversation: Conversation) -> str:
    if conversation.assignee_id is None:
        return ""
    profile = AgentProfile.objects.filter(user_id=conversation.assignee_id).first()
    return profile.public_name if profile else ""


def system_event_text(event: str, data: dict[str, Any]) -> str:
    """A system event as the citizen reads it (the widget has the same lines)."""
    agent = str(data.get("agent_name") or _("An agent"))
    lines = {
        "opened": _("Chat started."),
        "queued": _("Waiting for an agent."),
        "assigned": _("%(agent)s joined the chat.") % {"agent": agent},
        "transferred": _("You were transferred to %(agent)s.") % {"agent": agent},
        "agent_left": _("%(agent)s left the chat.") % {"agent": agent},
        "closed": _("The chat has ended."),
    }
    text = lines.get(event, "")
    if data.get("reference"):
        text += " " + _("Your report number is %(ref)s.") % {"ref": data["reference"]}
    return text.strip()


def conversation_transcript(conversation: Conversation) -> str:
    """Plain text of everything the citizen saw, oldest first, in Muscat time."""
    names = {
        "citizen": conversation.contact.name or _("You"),
        "agent": _("Agent"),
        "bot": _("Assistant"),
    }
    lines = [_("Conversation %(id)s") % {"id": conversation.public_id}, ""]
    for payload in conversation_messages_after(conversation, audience="citizen", after_seq=0):
        at = timezone.localtime(datetime.datetime.fromisoformat(payload["created_at"]))
        stamp = at.strftime("%Y-%m-%d %H:%M")
        if payload["sender"] == "system":
            # A ticket update (event "notification") carries its own words.
            text = system_event_text(payload["event"], payload.get("data") or {}) or payload["text"]
            if text:
                lines.append(f"[{stamp}] {text}")
            continue
        who = payload.get("agent_name") or names.get(payload["sender"], payload["sender"])
        body = payload["text"]
        if payload["attachments"]:
            body = (body + " " + _("[image]")).strip()
        if payload["location"]:
            loc = payload["location"]
            body = (body + f" [{loc['lat']:.6f}, {loc['lng']:.6f}]").strip()
        lines.append(f"[{stamp}] {who}: {body}")
    return "\n".join(lines) + "\n"
