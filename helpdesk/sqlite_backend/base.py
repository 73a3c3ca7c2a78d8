"""Django's SQLite backend, with one writing transaction at a time per process, in turn.

SQLite lets one connection write at a time. With ``BEGIN IMMEDIATE`` the
others wait in SQLite's busy handler, which polls: it sleeps 1, 2, 5 … up to
100 ms between tries, and whoever happens to try just after the lock is
released gets it. Under Daphne several request threads write at once, and
``make bench`` saw public reports wait hundreds of milliseconds to seconds
for a lock that was free most of that time (bench/NOTES.md, "Ticket
intake"). Here a writing transaction first takes a lock shared by the
process's connections to the same file, so writers of one process queue
on it and each goes the moment the previous one commits; SQLite's own
busy handler is left to arbitrate between processes (the web process, the
worker, the scheduler). A write outside a transaction (autocommit, as
django-tasks' enqueue after a commit) takes the lock for its one statement.
Waiting on the lock counts against the connection's ``timeout`` like
SQLite's own wait, and ends in the same "database is locked" error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
DEFAULT_TIMEOUT = 5.0  # the sqlite3 module's default
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writer_lock(name: str) -> threading.Lock:
    """The lock of the process's writers to the database file ``name``."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(name, threading.Lock())


def _acquire(lock: threading.Lock, timeout: float) -> None:
    if not lock.acquire(timeout=timeout):
        raise OperationalError("database is locked")


@contextmanager
def _holding(lock: threading.Lock, timeout: float) -> Iterator[None]:
    _acquire(lock, timeout)
    try:
        yield
    finally:
        lock.release()


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    """Takes the writers' lock for a write that is not inside a transaction."""

    writer_lock: threading.Lock
    lock_timeout: float

    def _autocommit_write(self, query: str) -> bool:
        return not self.connection.in_transaction and query.lstrip()[:7].upper().startswith(_WRITES)

    def execute(self, query: str, params: Any = None) -> Any:
        if not self._autocommit_write(query):
            return super().execute(query, params)
        with _holding(self.writer_lock, self.lock_timeout):
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if not self._autocommit_write(query):
            return super().executemany(query, param_list)
        with _holding(self.writer_lock, self.lock_timeout):
            return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock: threading.Lock | None = None

    def _lock_and_timeout(self) -> tuple[threading.Lock, float]:
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", DEFAULT_TIMEOUT))
        return writer_lock(str(self.settings_dict["NAME"])), timeout

    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        cursor = self.connection.cursor(factory=SQLiteCursorWrapper)
        cursor.writer_lock, cursor.lock_timeout = self._lock_and_timeout()
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        lock, timeout = self._lock_and_timeout()
        _acquire(lock, timeout)
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in django-stubs
        except BaseException:
            lock.release()
            raise
        self._writer_lock = lock

    def _release_writer_lock(self) -> None:
        lock, self._writer_lock = self._writer_lock, None
        if lock is not None:
            lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_writer_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_writer_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_writer_lock()
