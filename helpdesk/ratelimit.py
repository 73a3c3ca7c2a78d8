"""Fixed-window rate limits on the shared cache (Redis in production).

One counter per (scope, key, window); atomic ``incr`` on Redis makes the limit
hold across several web processes.

Sockets count with :func:`ahit` on the event loop: on Redis through one
asyncio client per process (the same keys the cache uses, so both count
together), in process memory otherwise — never a thread hop per frame.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int


def _window_key(limit: Limit, key: str, now: float | None) -> str:
    window = int((time.time() if now is None else now) // limit.seconds)
    return f"rl:{limit.scope}:{key}:{window}"


def hit(limit: Limit, key: str, *, now: float | None = None) -> bool:
    """Count one attempt for ``key``; ``False`` once the window's allowance is spent."""
    cache_key = _window_key(limit, key, now)
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        return True
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.add(cache_key, 1, timeout=limit.seconds + 1)
        return True
    return used <= limit.count


def used(limit: Limit, key: str, *, now: float | None = None) -> int:
    """How many attempts ``key`` has counted in the current window (counts none)."""
    return int(cache.get(_window_key(limit, key, now)) or 0)


def spent(limit: Limit, key: str, *, now: float | None = None) -> bool:
    """Is the window's allowance for ``key`` already spent? (Counts nothing.)"""
    return used(limit, key, now=now) >= limit.count


async def ahit(limit: Limit, key: str) -> bool:
    """:func:`hit` for the event loop."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        # An in-process cache (the embedded default): no I/O, safe on the loop.
        return hit(limit, key)
    cache_key = backend.make_key(_window_key(limit, key, None))
    client = _async_client()
    pipe = client.pipeline(transaction=False)
    pipe.incr(cache_key)
    # Each window has a key of its own, so renewing its expiry on every hit only
    # keeps it until shortly after its last use (and needs no Redis 7 EXPIRE NX).
    pipe.expire(cache_key, limit.seconds + 1)
    used, _expiry_set = await pipe.execute()
    return int(used) <= limit.count


_clients: dict[asyncio.AbstractEventLoop, Any] = {}


def _async_client() -> Any:
    """One Redis client (and pool) per event loop of the process."""
    from redis import asyncio as aioredis

    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = aioredis.Redis.from_url(
            str(settings.REDIS_URL),
            max_connections=settings.REDIS_MAX_CONNECTIONS,
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        )
        _clients[loop] = client
    return client
