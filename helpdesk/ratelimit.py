"""Fixed-window rate limits on the shared cache (Redis in production).

One counter per (scope, key, window); atomic ``incr`` on Redis makes the limit
hold across several web processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int


def hit(limit: Limit, key: str, *, now: float | None = None) -> bool:
    """Count one attempt for ``key``; ``False`` once the window's allowance is spent."""
    window = int((time.time() if now is None else now) // limit.seconds)
    cache_key = f"rl:{limit.scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        return True
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.add(cache_key, 1, timeout=limit.seconds + 1)
        return True
    return used <= limit.count
