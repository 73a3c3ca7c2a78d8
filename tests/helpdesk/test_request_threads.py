"""Requests under the ASGI handler run on a few long-lived threads that keep their connection."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.http import HttpRequest, JsonResponse
from django.urls import path

from helpdesk.request_threads import PooledThreadsASGIHandler, RequestThreads
from tests.support.asgi_scope import http_scope

release_first = threading.Event()
first_started = threading.Event()


def probe(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"thread": threading.get_ident()})


def blocking(request: HttpRequest) -> JsonResponse:
    first_started.set()
    release_first.wait(10)
    return JsonResponse({"thread": threading.get_ident()})


urlpatterns = [path("probe/", probe), path("blocking/", blocking)]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True)]


async def _get(app: PooledThreadsASGIHandler, path_: str) -> ApplicationCommunicator:
    communicator = ApplicationCommunicator(app, http_scope(path_))
    await communicator.send_input({"type": "http.request", "body": b""})
    return communicator


async def _answer(communicator: ApplicationCommunicator) -> tuple[int, bytes]:
    start = await communicator.receive_output(10)
    body = await communicator.receive_output(10)
    await communicator.wait(10)
    return start["status"], body["body"]


@pytest.fixture
async def pooled() -> AsyncIterator[Callable[[int], PooledThreadsASGIHandler]]:
    handlers: list[PooledThreadsASGIHandler] = []

    def make(threads: int) -> PooledThreadsASGIHandler:
        handlers.append(PooledThreadsASGIHandler(threads=threads))
        return handlers[-1]

    yield make
    for handler in handlers:
        await asyncio.to_thread(handler.threads.shutdown)


@pytest.fixture
def kept_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Connections kept between requests, as deployed (the tests' PostgreSQL uses 0)."""
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 600)
    opened: list[int] = []

    def count(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append(threading.get_ident())

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)


async def test_it_reuses_one_thread_and_its_connection_for_requests_in_turn(
    kept_connections: list[int], pooled: Callable[[int], PooledThreadsASGIHandler]
) -> None:
    app = pooled(4)
    threads = set()
    for _ in range(5):
        status, body = await _answer(await _get(app, "/probe/"))
        assert status == 200
        threads.add(body)
    assert len(threads) == 1
    assert len(kept_connections) == 1


async def test_it_opens_no_more_connections_than_threads_under_concurrency(
    kept_connections: list[int], pooled: Callable[[int], PooledThreadsASGIHandler]
) -> None:
    app = pooled(2)
    communicators = [await _get(app, "/probe/") for _ in range(8)]
    answers = await asyncio.gather(*(_answer(c) for c in communicators))
    assert [status for status, _body in answers] == [200] * 8
    assert len({body for _status, body in answers}) <= 2
    assert len(kept_connections) <= 2


async def test_a_request_waits_for_a_thread_when_all_are_busy(
    pooled: Callable[[int], PooledThreadsASGIHandler],
) -> None:
    app = pooled(1)
    release_first.clear()
    first_started.clear()
    first = await _get(app, "/blocking/")
    await asyncio.to_thread(first_started.wait, 10)
    second = await _get(app, "/probe/")
    assert await second.receive_nothing(0.3)
    release_first.set()
    (status_one, thread_one), (status_two, thread_two) = await asyncio.gather(
        _answer(first), _answer(second)
    )
    assert (status_one, status_two) == (200, 200)
    assert thread_one == thread_two


async def test_a_returned_thread_goes_to_the_request_that_waited_longest() -> None:
    threads = RequestThreads(1)
    first = await threads.acquire()
    waiting = asyncio.create_task(threads.acquire())
    await asyncio.sleep(0)
    threads.release(first)
    late = asyncio.create_task(threads.acquire())
    await asyncio.sleep(0)
    assert waiting.done() and waiting.result() is first
    assert not late.done()
    threads.release(waiting.result())
    assert await late is first
    threads.release(first)
    await asyncio.to_thread(threads.shutdown)


async def test_a_request_that_gives_up_waiting_leaves_the_thread_to_the_next() -> None:
    threads = RequestThreads(1)
    first = await threads.acquire()
    waiting = asyncio.create_task(threads.acquire())
    await asyncio.sleep(0)
    waiting.cancel()
    await asyncio.sleep(0)
    threads.release(first)
    assert await asyncio.wait_for(threads.acquire(), 1) is first
    threads.release(first)
    await asyncio.to_thread(threads.shutdown)
