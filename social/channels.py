"""The social channels as the core sees them (``helpdesk.adapters.OutboundSender``).

A staff message is queued in the one outbox when it commits; the outbox
worker sends it through :meth:`send` with the row's lease held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from helpdesk.adapters import Sent
from helpdesk.models import Channel, Conversation, Message
from helpdesk.notify.transports import TransportError
from helpdesk.services.notifications import outbox_message_queue
from social.adapters import SocialApiError
from social.services import (
    delivery_failure_explanation,
    messaging_window_open,
    reply_confirmed_by_platform,
    reply_send,
    reply_target,
)


class _SocialChannel:
    channel: str

    def deliver(self, message: Message) -> None:
        """Called after the agent's message committed: one outbox row, sent by the worker."""
        outbox_message_queue(message=message, target=self.target(message))

    def target(self, message: Message) -> str:
        return reply_target(message=message)

    def send(
        self,
        message: Message,
        *,
        target: str,
        parts_sent: Sequence[str],
        part_sent: Callable[[str], None],
    ) -> Sent:
        try:
            platform_id = reply_send(
                message=message, target=target, parts_sent=parts_sent, part_sent=part_sent
            )
        except SocialApiError as exc:
            raise TransportError(
                str(exc),
                permanent=exc.permanent,
                reason=exc.reason,
                retry_at=exc.retry_at,
                explanation=delivery_failure_explanation(exc.reason),
            ) from exc
        return Sent(platform_id, confirmed=reply_confirmed_by_platform(target=target))

    def is_reachable(self, conversation: Conversation) -> bool:
        return True


class XChannel(_SocialChannel):
    channel: str = Channel.X.value


class FacebookChannel(_SocialChannel):
    channel: str = Channel.FACEBOOK.value

    def is_reachable(self, conversation: Conversation) -> bool:
        return messaging_window_open(conversation)
