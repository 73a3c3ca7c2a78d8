"""Counters kept on a row and taken under its lock: sequence numbers that never collide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def counter_take(
    model: type[models.Model], counter: str, *, key: str, value: Any, also: Sequence[str] = ()
) -> tuple[Any, ...] | None:
    """Add one to ``counter`` of the row where ``key = value``; the new value, then ``also``.

    One statement (``UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35 alike); the
    row stays locked until the transaction ends, so two processes taking at once get
    consecutive numbers. ``None`` when there is no such row.
    """
    quote = connection.ops.quote_name
    returning = ", ".join(quote(column) for column in (counter, *also))
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {quote(counter)} = {quote(counter)} + 1 "  # noqa: S608 - names from the model
        f"WHERE {quote(key)} = %s RETURNING {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    return tuple(row) if row is not None else None
