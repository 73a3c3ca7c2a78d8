"""The agent console's socket writes the access log when it opens a transcript or a history."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from chat.console.consumer import AgentConsoleConsumer
from helpdesk.models import AccessLog
from helpdesk.services.conversations import message_append
from tests.support.asgi_scope import signed_in_session
from tests.support.factories import make_agent, make_org, make_waiting

pytestmark = pytest.mark.django_db(transaction=True)


async def _drain(communicator: WebsocketCommunicator) -> list[dict]:
    frames = []
    while not await communicator.receive_nothing(timeout=0.3):
        frames.append(await communicator.receive_json_from())
    return frames


async def test_opening_a_transcript_and_a_history_writes_one_row_each() -> None:
    await sync_to_async(make_org)()
    agent = await sync_to_async(make_agent)()
    waiting = await sync_to_async(make_waiting)(state="assigned", assignee=agent)
    await sync_to_async(message_append)(
        conversation_id=waiting.pk, sender_kind="citizen", channel="webchat", text="hello"
    )
    communicator = WebsocketCommunicator(AgentConsoleConsumer.as_asgi(), "/ws/agent/")
    communicator.scope["user"] = agent
    communicator.scope["session"] = await sync_to_async(signed_in_session)(agent)
    assert (await communicator.connect())[0]
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    await communicator.send_json_to({"type": "history", "conversation": str(waiting.public_id)})
    frames = await _drain(communicator)
    assert "history" in [f["type"] for f in frames]
    await communicator.disconnect()
    rows = await sync_to_async(
        lambda: list(
            AccessLog.objects.order_by("pk").values_list(
                "user_id", "via", "object_type", "purpose", "contact_id"
            )
        )
    )()
    assert rows == [
        (agent.pk, "socket", "conversation", "console.transcript", waiting.contact_id),
        (agent.pk, "socket", "contact", "console.history", waiting.contact_id),
    ]
