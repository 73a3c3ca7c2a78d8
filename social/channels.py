"""The social channels as the core sees them (``helpdesk.adapters.ChannelAdapter``)."""

from __future__ import annotations

from django.db import transaction

from helpdesk.models import Channel, Conversation, Message
from social.services import delivery_create, messaging_window_open
from social.tasks import social_deliver


class _SocialChannel:
    channel: str

    def deliver(self, message: Message) -> None:
        """Called after the agent's message committed: record it and hand it to the worker."""
        with transaction.atomic():
            delivery = delivery_create(message=message)
            if delivery is not None:
                social_deliver.enqueue(delivery.pk)

    def is_reachable(self, conversation: Conversation) -> bool:
        return True


class XChannel(_SocialChannel):
    channel: str = Channel.X.value


class FacebookChannel(_SocialChannel):
    channel: str = Channel.FACEBOOK.value

    def is_reachable(self, conversation: Conversation) -> bool:
        return messaging_window_open(conversation)
