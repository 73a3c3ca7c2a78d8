"""SQLite writers of one process queue on a lock, which every way out of a transaction frees."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections, transaction

from helpdesk.sqlite_backend.base import writer_lock

ALIAS = "sqlite_writers"


@pytest.fixture
def database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> Iterator[str]:
    """A file database of its own on Nidaa's SQLite backend, with a one-column table."""
    name = str(tmp_path / "writers.sqlite3")
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            ALIAS: {
                "ENGINE": "helpdesk.sqlite_backend",
                "NAME": name,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 1},
            },
        }
    )
    monkeypatch.setitem(connections.settings, ALIAS, configured[ALIAS])
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE note (text TEXT)")
        yield name
        connections[ALIAS].close()
        del connections[ALIAS]


def _write(text: str) -> None:
    with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES (%s)", [text])


def _notes() -> list[str]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def _in_thread(work: Callable[[], None], django_db_blocker: Any) -> threading.Thread:
    def run() -> None:
        with django_db_blocker.unblock():
            try:
                work()
            finally:
                connections[ALIAS].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_writer_waits_until_the_first_commits(
    database: str, django_db_blocker: Any
) -> None:
    holding, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('first')")
            holding.set()
            release.wait(5)

    def second() -> None:
        _write("second")
        second_done.set()

    one = _in_thread(first, django_db_blocker)
    assert holding.wait(5)
    two = _in_thread(second, django_db_blocker)
    assert not second_done.wait(0.3)
    release.set()
    one.join(5)
    two.join(5)
    assert second_done.is_set()
    assert _notes() == ["first", "second"]


def test_a_writer_waiting_past_the_timeout_is_told_the_database_is_locked(
    database: str, django_db_blocker: Any
) -> None:
    holding, release = threading.Event(), threading.Event()
    refused: list[Exception] = []

    def first() -> None:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('first')")
            holding.set()
            release.wait(5)

    def second() -> None:
        try:
            _write("second")
        except OperationalError as exc:
            refused.append(exc)

    one = _in_thread(first, django_db_blocker)
    assert holding.wait(5)
    two = _in_thread(second, django_db_blocker)
    two.join(5)
    release.set()
    one.join(5)
    assert [str(exc) for exc in refused] == ["database is locked"]
    assert _notes() == ["first"]


def test_a_rolled_back_transaction_frees_the_lock(database: str) -> None:
    with pytest.raises(ValueError), transaction.atomic(using=ALIAS):
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('lost')")
        raise ValueError("the view failed")
    assert not writer_lock(database).locked()
    _write("kept")
    assert _notes() == ["kept"]


def test_closing_a_connection_inside_a_transaction_frees_the_lock(database: str) -> None:
    with transaction.atomic(using=ALIAS):
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('lost')")
        connections[ALIAS].close()
        assert not writer_lock(database).locked()
    _write("kept")
    assert _notes() == ["kept"]


def test_a_committed_transaction_frees_the_lock(database: str) -> None:
    _write("one")
    assert not writer_lock(database).locked()


def test_a_write_outside_a_transaction_queues_behind_the_process_writers(
    database: str, django_db_blocker: Any
) -> None:
    refused: list[Exception] = []

    def autocommit_write() -> None:
        try:
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("INSERT INTO note (text) VALUES ('queued')")
        except OperationalError as exc:
            refused.append(exc)

    lock = writer_lock(database)
    lock.acquire()  # a writer of this process is in its transaction
    try:
        _in_thread(autocommit_write, django_db_blocker).join(5)
    finally:
        lock.release()
    assert [str(exc) for exc in refused] == ["database is locked"]
    _in_thread(autocommit_write, django_db_blocker).join(5)
    assert _notes() == ["queued"]
