"""The distributor's engine: one pass at a time per cluster, woken by what changed.

Services never distribute inside the request or frame that changed the queue;
they call :func:`kick`. In a web process the kick wakes the process's engine,
an asyncio task that runs distributor passes on a thread of its own (its own
database connection, so a pass never waits behind the sockets' writes, nor
they behind it; on SQLite, which has one writer, on the sockets' thread).
Kicks that arrive during a pass are folded into one more pass.

Across several web processes only one engine acts: the *leader*, which holds
a PostgreSQL advisory lock on a connection of its own and ``LISTEN``s for the
``NOTIFY`` that every kick sends inside its transaction (so it is delivered
exactly when the change commits). When the leader's process dies its
connection closes, the lock frees, and another engine takes over within
``LEADER_RETRY_SECONDS``. On SQLite (one machine, the embedded default) the
engine of the web process acts alone.

A process without an engine (the worker, a management command, a test that
calls services directly) distributes right after its own commit, as before:
every pass is race-free, so an extra pass is only wasted work.

After each pass the engine tells consoles about the queue (one
``queue.changed`` with the list itself, at most every ``BROADCAST_INTERVAL``)
and citizens about their place in line, only when something changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction

from helpdesk import events

logger = logging.getLogger(__name__)

NOTIFY_CHANNEL = "nidaa_acd"
ADVISORY_LOCK_KEY = 0x4E49_4441  # "NIDA": one distributor per database
LEADER_RETRY_SECONDS = 2.0
BROADCAST_INTERVAL = 0.25


class BroadcastMemo(Protocol):
    """What the engine keeps between passes so that a broadcast repeats nothing (the
    distributor's ``BroadcastMemo``)."""


class Pass(Protocol):
    """One distributor pass (``helpdesk.services.distributor.acd_pass``)."""

    def __call__(self, *, broadcast: bool = ..., memo: Any = ...) -> int: ...


# The engine runs the distributor's passes but does not import it (the distributor kicks
# the engine): ``HelpdeskConfig.ready`` hands both over once, at start-up.
_run_pass: Pass | None = None
_new_memo: Callable[[], BroadcastMemo] | None = None
_engine: Engine | None = None
_engine_lock = threading.Lock()
_in_pass = threading.local()


@contextlib.contextmanager
def passing() -> Iterator[None]:
    """A distributor pass runs: its own hand-overs need no further pass."""
    _in_pass.active = True
    try:
        yield
    finally:
        _in_pass.active = False


def distributor_register(*, run_pass: Pass, new_memo: Callable[[], BroadcastMemo]) -> None:
    """The pass the engine runs, and the memo each engine keeps between its broadcasts."""
    global _run_pass, _new_memo
    _run_pass, _new_memo = run_pass, new_memo


def _distributor() -> tuple[Pass, Callable[[], BroadcastMemo]]:
    if _run_pass is None or _new_memo is None:
        raise RuntimeError("no distributor registered: HelpdeskConfig.ready() does it")
    return _run_pass, _new_memo


def kick(reason: str) -> None:
    """The queue or an agent's capacity changed: distribute once this transaction commits."""
    if getattr(_in_pass, "active", False):
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, reason[:50]])
    transaction.on_commit(lambda: _after_commit(reason), robust=True)


def _after_commit(reason: str) -> None:
    engine = _engine
    if engine is not None and engine.alive:
        engine.wake(reason)
        return
    run_pass, _new_memo = _distributor()
    run_pass()


def engine_start() -> Engine | None:
    """Start this process's engine on the running loop (once; web processes only).

    ``NIDAA_ACD_ENGINE=0`` turns it off: every process then distributes after its
    own commits (the in-process tests do, to stay deterministic).
    """
    global _engine
    engine = _engine
    if engine is not None and engine.alive:
        return engine
    if not settings.NIDAA_ACD_ENGINE:
        return None
    with _engine_lock:
        if _engine is None or not _engine.alive:
            if _engine is not None:
                _engine.stop()
            _engine = Engine(asyncio.get_running_loop())
            _engine.start()
        return _engine


def engine_stop() -> None:
    global _engine
    with _engine_lock:
        engine, _engine = _engine, None
    if engine is not None:
        engine.stop()


class Engine:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.is_leader = connection.vendor != "postgresql"
        self.passes = 0
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        # One thread, one database connection: passes never overlap in a process.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nidaa-acd")
        self._last_broadcast = 0.0
        self._broadcast_due = False
        self._memo = _broadcast_memo()
        self._stopped = False

    def start(self) -> None:
        self._tasks.append(self.loop.create_task(self._run()))
        if not self.is_leader:
            self._tasks.append(self.loop.create_task(self._lead()))
        self._wakeup.set()  # a first pass: whatever waited while no engine ran

    @property
    def alive(self) -> bool:
        return not self.loop.is_closed() and not self._stopped

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for task in self._tasks:
            task.cancel()
        self._thread.submit(connections.close_all)  # the pass thread's own connection
        self._thread.shutdown(wait=False)

    async def aclose(self) -> None:
        """Stop, and wait until its database connections are closed (tests)."""
        if self._stopped:
            await asyncio.gather(*self._tasks, return_exceptions=True)
            return
        closed = asyncio.wrap_future(self._thread.submit(connections.close_all))
        self.stop()
        await asyncio.gather(closed, *self._tasks, return_exceptions=True)

    def wake(self, reason: str = "") -> None:
        """From any thread: a pass is wanted."""
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self._wakeup.set)

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            if not self.is_leader:
                continue
            try:
                await self._pass()
            except Exception:
                logger.exception("distributor pass failed")
                await asyncio.sleep(0.5)  # the database may be restarting: do not spin

    async def _pass(self) -> None:
        now = self.loop.time()
        broadcast = now - self._last_broadcast >= BROADCAST_INTERVAL
        memo = self._memo if broadcast else None
        if connection.vendor == "sqlite":
            # SQLite has one writer: a second writing thread only makes both wait in
            # its busy handler (sleeps of up to 100 ms). Passes share the sockets' thread.
            sent = await database_sync_to_async(_collected_pass)(memo)
        else:
            sent = await self.loop.run_in_executor(self._thread, _collected_pass, memo)
        self.passes += 1
        if broadcast:
            self._last_broadcast = now
        elif not self._broadcast_due:
            # Tell the consoles about this pass a little later, with whatever follows.
            self._broadcast_due = True
            self.loop.call_later(BROADCAST_INTERVAL, self._broadcast_later)
        await events.send_all(sent)

    def _broadcast_later(self) -> None:
        self._broadcast_due = False
        self._last_broadcast = 0.0
        self._wakeup.set()

    async def _lead(self) -> None:
        """PostgreSQL: hold the advisory lock while alive, and listen for kicks."""
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **_connection_params(), autocommit=True
                ) as conn:
                    await _wait_for_lock(conn)
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.is_leader = True
                    self._wakeup.set()  # catch up with what changed while we were not leader
                    logger.info("this process now distributes the queue")
                    async for _notice in conn.notifies():
                        self._wakeup.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("distributor leadership lost: %s", exc)
            self.is_leader = False
            await asyncio.sleep(LEADER_RETRY_SECONDS)


def _broadcast_memo() -> BroadcastMemo:
    _run_pass, new_memo = _distributor()
    return new_memo()


async def _wait_for_lock(conn: Any) -> None:
    """Until this connection holds the advisory lock (another process leads meanwhile)."""
    while True:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        row = await cursor.fetchone()
        if row and row[0]:
            return
        await asyncio.sleep(LEADER_RETRY_SECONDS)


def _connection_params() -> dict[str, Any]:
    """Where the leader's own connection goes: straight to PostgreSQL.

    An advisory lock and ``LISTEN`` belong to a session, which a pooler in
    transaction mode (PgBouncer) does not keep: ``NIDAA_ACD_DATABASE_URL`` then
    names the server itself.
    """
    if settings.NIDAA_ACD_DATABASE_URL:
        return {"conninfo": settings.NIDAA_ACD_DATABASE_URL}
    database = settings.DATABASES["default"]
    params: dict[str, Any] = {
        key: value
        for key, value in database.get("OPTIONS", {}).items()
        if key not in ("pool", "server_side_binding", "isolation_level", "assume_role")
    }
    for key, name in (("NAME", "dbname"), ("USER", "user"), ("PASSWORD", "password")):
        if database.get(key):
            params[name] = database[key]
    for key, name in (("HOST", "host"), ("PORT", "port")):
        if database.get(key):
            params[name] = database[key]
    return params


def _collected_pass(memo: BroadcastMemo | None) -> events.Sent:
    run_pass, _new_memo = _distributor()
    close_old_connections()
    _result, sent = events.collecting(run_pass, broadcast=memo is not None, memo=memo)
    return sent
