"""SMS as the core sees it (``helpdesk.adapters.ChannelAdapter``), like ``chat/channel.py``.

A citizen's text enters a conversation on channel SMS (``helpdesk.services.sms``);
what the agent or the assistant answers there is queued in the one outbox as a
text to the citizen's number when it commits, and the outbox worker sends it
through the SMS gateway, with its retries, and says so in the conversation when
it cannot.
"""

from __future__ import annotations

import logging

from helpdesk.models import Channel, Conversation, Message
from helpdesk.services.notifications import sms_reply_queue

logger = logging.getLogger(__name__)


class SmsChannel:
    channel: str = Channel.SMS.value

    def deliver(self, message: Message) -> None:
        """Called after the staff message committed: one outbox row, sent by the worker."""
        phone = message.conversation.contact.phone
        if not phone:
            logger.warning("SMS conversation %s has no number to answer", message.conversation_id)
            return
        sms_reply_queue(message=message, phone=phone)

    def is_reachable(self, conversation: Conversation) -> bool:
        return bool(conversation.contact.phone)
