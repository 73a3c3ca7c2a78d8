"""The citizen's chat session: a signed token the widget keeps in the browser.

The token names the conversation and the contact; it is signed with the
project's secret (salt ``chat.session``) so a citizen can only ever resume the
conversation the server opened for them. It travels in the first WebSocket
frame and in upload forms, never in a URL, so it does not end up in access logs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from helpdesk.errors import DomainError
from helpdesk.models import Conversation

SALT = "chat.session"
MAX_AGE_SECONDS = 30 * 24 * 3600  # a month: long enough to come back to a ticket's chat


class InvalidSession(DomainError):
    code = "invalid_session"


@dataclass(frozen=True)
class ChatSession:
    conversation_public_id: str
    contact_id: int


def session_token(conversation: Conversation) -> str:
    return signing.dumps(
        {"c": str(conversation.public_id), "k": conversation.contact_id}, salt=SALT
    )


def session_from_token(token: object) -> ChatSession:
    """The session a token stands for, or ``InvalidSession`` (tampered, expired, garbage)."""
    if not isinstance(token, str) or not token or len(token) > 500:
        raise InvalidSession(_("This chat session is not valid. Start a new chat."))
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        return ChatSession(conversation_public_id=str(data["c"]), contact_id=int(data["k"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidSession(_("This chat session is not valid. Start a new chat.")) from None


def conversation_for_session(session: ChatSession, *related: str) -> Conversation:
    """The session's conversation; the contact must still match (a token is not a key ring)."""
    conversation = (
        Conversation.objects.select_related("contact", "assignee", *related)
        .filter(public_id=session.conversation_public_id, contact_id=session.contact_id)
        .first()
    )
    if conversation is None:
        raise InvalidSession(_("This chat session is not valid. Start a new chat."))
    return conversation


@dataclass(frozen=True)
class ChatState:
    """What a citizen's socket keeps of its conversation: ids and a few words, no models."""

    conversation_id: int
    public_id: str
    contact_id: int
    contact_name: str
    channel: str
    language: str
    state: str
    last_seq: int
    agent_name: str

    @classmethod
    def of(cls, conversation: Conversation, agent_name: str = "") -> ChatState:
        return cls(
            conversation_id=conversation.pk,
            public_id=str(conversation.public_id),
            contact_id=conversation.contact_id,
            contact_name=conversation.contact.name,
            channel=conversation.channel,
            language=conversation.language,
            state=conversation.state,
            last_seq=conversation.last_seq,
            agent_name=agent_name,
        )


def chat_state_for_session(session: ChatSession) -> ChatState:
    """The session's conversation as the socket needs it, in one read."""
    conversation = conversation_for_session(session, "assignee__profile")
    assignee = conversation.assignee
    profile = getattr(assignee, "profile", None) if assignee is not None else None
    return ChatState.of(conversation, agent_name=profile.public_name if profile else "")
