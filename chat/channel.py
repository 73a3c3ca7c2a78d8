"""Web chat as the core sees it (``helpdesk.adapters.ChannelAdapter``).

Nothing leaves the server: a message of the conversation is stored and published
to its group, so a citizen with the widget open sees it at once and one who comes
back later, with the same token, receives it in the replay after ``hello``. A
ticket update (forwarded, solved, closed) therefore goes into the conversation
even after the chat ended, for as long as the citizen's token is valid.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chat.session import MAX_AGE_SECONDS
from helpdesk.models import Channel, Conversation, Message


class WebChatChannel:
    channel: str = Channel.WEBCHAT.value
    # A conversation the citizen can still come back to, whatever its state.
    keeps_closed_conversations = True

    def deliver(self, message: Message) -> None:
        """Already published to the conversation's group when it was stored."""

    def is_reachable(self, conversation: Conversation) -> bool:
        """The citizen's token still opens the conversation (it lasts a month)."""
        oldest = timezone.now() - timedelta(seconds=MAX_AGE_SECONDS)
        return conversation.created_at >= oldest
