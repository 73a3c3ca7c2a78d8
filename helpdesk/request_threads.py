"""HTTP requests run the WSGI way inside Daphne: on a few long-lived threads, in one hop.

Django's ASGI handler gives every request a thread-sensitive context of its
own, so asgiref starts a fresh thread for each request's sync code (middleware,
view, ORM) and drops it afterwards. Every such thread opened its own database
connection — for SQLite a new connection, its PRAGMAs and Django's functions
registered on it; for PostgreSQL a new backend — which ``CONN_MAX_AGE`` then
kept open on a thread that would never run again, until the garbage collector
found it. ``make bench`` saw the process grow by ~90 KB per public report and
writers pile up on SQLite's lock (bench/NOTES.md, "Ticket intake").

Here each request borrows one of ``size`` single-thread executors for its
whole life (asgiref's ``ThreadSensitiveContext(executor=…)``), so its sync code
still runs on one thread, in order, and the thread and its connection serve
the next request: connections are reused as ``CONN_MAX_AGE`` intends and are
bounded by ``size`` per process, as with a WSGI server's worker threads. A
request that finds every thread busy waits for one.

The middleware chain runs synchronously too, all of it in that one thread. In
Django's async chain, every ``MiddlewareMixin`` hook and the view crossed from
the event loop to the thread and back, and WhiteNoise (synchronous only) split
the chain in two: about twenty crossings per request, each waiting for a busy
loop. Nidaa has no async views, so nothing needs the loop between the request
arriving and the response leaving.
"""

from __future__ import annotations

import asyncio
import collections
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import connections
from django.http import HttpRequest, HttpResponseBase


class RequestThreads:
    """At most ``size`` single-thread executors, lent to one request at a time.

    A request that finds none free queues, and a returned thread goes straight
    to the request that has waited longest: one arriving later never takes it
    first. Used from the event loop's thread only.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("at least one request thread is needed")
        self.size = size
        self.started = 0
        self._idle: list[ThreadPoolExecutor] = []
        self._waiters: collections.deque[asyncio.Future[ThreadPoolExecutor]] = collections.deque()

    async def acquire(self) -> ThreadPoolExecutor:
        if self._idle:
            # the thread used last: its connection is the most likely to be warm
            return self._idle.pop()
        if self.started < self.size:
            self.started += 1
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="http-request")
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            elif waiter.done() and not waiter.cancelled():
                self.release(waiter.result())  # handed a thread it will not use
            raise

    def release(self, executor: ThreadPoolExecutor) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(executor)
                return
        self._idle.append(executor)

    def shutdown(self) -> None:
        """Close the idle threads' database connections and stop those threads."""
        idle, self._idle = self._idle, []
        for executor in idle:
            executor.submit(connections.close_all).result()
            executor.shutdown()
        self.started -= len(idle)


class PooledThreadsASGIHandler(ASGIHandler):
    """Django's ASGI handler with the sync middleware chain, run on a pooled thread."""

    def __init__(self, *, threads: int) -> None:
        # not ASGIHandler.__init__, which would build the async chain
        self.load_middleware(is_async=False)
        self.threads = RequestThreads(threads)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # thread-sensitive: the thread this request borrowed in __call__
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = await self.threads.acquire()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.release(executor)
