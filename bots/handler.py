"""The assistant as the core sees it: a ``ConversationHandler`` (see helpdesk.adapters)."""

from __future__ import annotations

from bots.flow import assistant_handle, assistant_opened, assistant_serves, assistant_wants
from helpdesk.models import Conversation, Message


class Assistant:
    def wants(self, conversation: Conversation) -> bool:
        return assistant_wants(conversation)

    def serves(self, channel: str) -> bool:
        return assistant_serves(channel)

    def opened(self, conversation: Conversation) -> None:
        assistant_opened(conversation)

    def handle(self, message: Message) -> None:
        assistant_handle(message)


ASSISTANT = Assistant()
