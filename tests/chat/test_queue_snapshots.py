"""Queue lists for agent consoles: one database read per burst, never an older list."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from chat import consumers_agent
from helpdesk import selectors_queue
from helpdesk.models import Conversation, ConversationState
from tests.factories import make_contact

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def _queue_one(name: str) -> str:
    conversation = Conversation.objects.create(
        channel="webchat",
        contact=make_contact(name=name),
        state=ConversationState.QUEUED,
        queued_at=timezone.now(),
    )
    return str(conversation.public_id)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    original = selectors_queue.queue_waiting_list

    def counting(*args: Any, **kwargs: Any) -> Any:
        counted.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors_queue, "queue_waiting_list", counting)
    return counted


async def test_it_reads_the_queue_once_for_a_burst_of_consoles(reads: list[int]) -> None:
    waiting = await _queue_one("Said")
    snapshots = consumers_agent.QueueSnapshots(interval=0.05)
    lists = await asyncio.gather(*(snapshots.get() for _ in range(30)))
    assert len(reads) == 1
    assert all([item["id"] for item in queue] == [waiting] for queue in lists)


async def test_it_never_serves_a_list_older_than_the_event(reads: list[int]) -> None:
    snapshots = consumers_agent.QueueSnapshots(interval=0.05)
    first = asyncio.ensure_future(snapshots.get())
    await asyncio.sleep(0.1)  # the first read has started
    later = await _queue_one("Maryam")
    second = await snapshots.get()
    await first
    assert later in [item["id"] for item in second]
    assert len(reads) == 2
