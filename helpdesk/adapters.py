"""How the core reaches the edges without importing them.

Each edge app (``chat``, ``social``, ``bots``) registers itself here from its
``AppConfig.ready``; the core looks adapters up by channel name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from helpdesk.models import Conversation, Message


class ChannelAdapter(Protocol):
    """Delivers outbound messages to one channel (web chat, X, Facebook …)."""

    channel: str

    def deliver(self, message: Message) -> None:
        """Hand an agent's or the bot's message to the channel (after commit)."""

    def is_reachable(self, conversation: Conversation) -> bool:
        """Whether the citizen can receive a message on this channel right now."""


@dataclass(frozen=True)
class Sent:
    """What a platform answered to a send."""

    platform_id: str
    # False when the platform confirms delivery later (Messenger's echo).
    confirmed: bool = True


@runtime_checkable
class OutboundSender(Protocol):
    """An adapter whose messages leave through the outbox worker (X, Facebook).

    Its ``deliver`` queues the message in the outbox
    (``helpdesk.services.notifications.outbox_message_queue``); the worker then
    calls ``send`` with the row's lease held, and retries, backs off or reports
    the failure in the conversation from what ``send`` raises
    (``helpdesk.notify.transports.TransportError``).
    """

    channel: str

    def target(self, message: Message) -> str:
        """Where on the platform ``message`` goes (decided when it is queued)."""

    def send(
        self,
        message: Message,
        *,
        target: str,
        parts_sent: Sequence[str],
        part_sent: Callable[[str], None],
    ) -> Sent:
        """Send it; ``parts_sent`` are parts an earlier attempt sent, ``part_sent`` records one."""


class ConversationHandler(Protocol):
    """Answers a conversation before a human does (the assistant in ``bots``)."""

    def wants(self, conversation: Conversation) -> bool:
        """Whether a new conversation on this channel starts with the handler."""

    def serves(self, channel: str) -> bool:
        """Whether a conversation opened now on ``channel`` would start with the handler
        (the web chat asks before showing the pre-chat form at night)."""

    def opened(self, conversation: Conversation) -> None:
        """The citizen opened a conversation that starts with the handler and is waiting
        for its first words (web chat's pre-chat form): greet them (after commit)."""

    def handle(self, message: Message) -> None:
        """React to a citizen message of a conversation in the bot stage (after commit)."""


_adapters: dict[str, ChannelAdapter] = {}
_handlers: list[ConversationHandler] = []


def register_adapter(adapter: ChannelAdapter) -> None:
    _adapters[adapter.channel] = adapter


def adapter_for(channel: str) -> ChannelAdapter | None:
    return _adapters.get(channel)


def register_handler(handler: ConversationHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def handlers() -> tuple[ConversationHandler, ...]:
    return tuple(_handlers)
