"""Group commit: the writes of many sockets in one transaction, one commit.

Every chat message is stored before it is acknowledged. Committed one by one,
a busy process spends its database thread on commits (an fsync each on
PostgreSQL) and thread hops. Here the sockets of a process queue their writes;
whenever the database thread is free it takes everything queued so far and
runs it in ONE transaction, each write in a savepoint of its own (one bad
write never costs its neighbours), then commits once. Only after that commit
are the callers answered and their events sent, from the event loop.

At low load a batch holds one write and costs what a single call would; under
load batches grow by themselves, which is what keeps the latency flat.

Writes are ordered by conversation within a batch, so two processes' batches
lock conversation rows in the same order and cannot deadlock; writes of one
conversation keep the order they arrived in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from django.db import transaction

from helpdesk import events

logger = logging.getLogger(__name__)

MAX_BATCH = 200


@dataclass
class _Write:
    key: str  # the conversation's public id: lock order
    function: Callable[..., Any]
    kwargs: dict[str, Any]
    future: asyncio.Future[Any]
    outcome: Any = None
    error: BaseException | None = None
    sent: events.Sent = field(default_factory=list)


def _run_batch(batch: list[_Write]) -> None:
    """On the database thread: every write in a savepoint, one commit for all."""
    with transaction.atomic():
        for write in batch:
            try:
                with transaction.atomic():
                    write.outcome, write.sent = events.collecting(write.function, **write.kwargs)
            except Exception as exc:
                write.error, write.sent = exc, []


class GroupCommit:
    """The per-process queue of writes waiting for the database thread."""

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        self._queued: list[_Write] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._drainer: asyncio.Task[None] | None = None
        self._sending: asyncio.Task[None] | None = None

    async def run(self, function: Callable[..., Any], /, *, key: str, **kwargs: Any) -> Any:
        """Run ``function(**kwargs)`` in the next batch; its result once that batch committed."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # Daphne has one loop; a test suite has one per test
            self._loop, self._queued, self._drainer, self._sending = loop, [], None, None
        write = _Write(key=key, function=function, kwargs=kwargs, future=loop.create_future())
        self._queued.append(write)
        if self._drainer is None or self._drainer.done():
            self._drainer = loop.create_task(self._drain())
        return await write.future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queued:
            batch = sorted(self._queued[: self.max_batch], key=lambda w: w.key)
            del self._queued[: self.max_batch]
            try:
                await database_sync_to_async(_run_batch)(batch)
            except Exception as exc:  # the commit itself failed: nobody's write is stored
                logger.warning("group commit of %d writes failed: %s", len(batch), exc)
                for write in batch:
                    write.error, write.sent = exc, []
            for write in batch:
                if write.future.done():  # the caller went away (socket closed)
                    continue
                if write.error is not None:
                    write.future.set_exception(write.error)
                else:
                    write.future.set_result(write.outcome)
            # Sent beside the next batch's writes, each batch after the one before,
            # so a conversation's events leave in the order they were committed.
            committed = [sent for write in batch for sent in write.sent]
            if committed:
                self._sending = loop.create_task(self._send_after(self._sending, committed))

    @staticmethod
    async def _send_after(previous: asyncio.Task[None] | None, committed: events.Sent) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        await events.send_all(committed)


WRITES = GroupCommit()
