"""Redis, the channel layer, the cache and the task queues (django-tasks)."""

from __future__ import annotations

from typing import Any

from helpdesk.env import env_int, env_optional, env_str

REDIS_URL = env_optional("REDIS_URL")
# redis-py 8 fails past 100 pooled connections instead of waiting (make bench's
# reconnect storm crashed consumers), so pools are sized here.
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 1000, minimum=10)
# redis-py 8 also times every read out after 5 s by default — exactly the channel
# layer's own blocking receive (BZPOPMIN, 5 s): quiet sockets were closed with
# 1011 every few seconds. Reads get longer than that wait; a dead server is still
# noticed.
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 30, minimum=10)
CHANNEL_LAYERS: dict[str, Any]
if REDIS_URL:
    _redis_options = {
        "max_connections": REDIS_MAX_CONNECTIONS,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": 5,
        "health_check_interval": 15,
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **_redis_options}],
                "capacity": env_int("CHANNEL_LAYER_CAPACITY", 1500, minimum=100),
                "expiry": env_int("CHANNEL_LAYER_EXPIRY", 60, minimum=5),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nidaa",
            "OPTIONS": _redis_options,
        }
    }
else:
    # The in-memory layer's default capacity (100 per channel) made group_send drop
    # events silently for busy agent consoles under load (make bench, bench/NOTES.md).
    CHANNEL_LAYERS = {
        "default": {
            # Channels' in-memory layer without its per-event walk over every socket.
            "BACKEND": "helpdesk.channel_layer.LocalChannelLayer",
            "CONFIG": {"capacity": env_int("CHANNEL_LAYER_CAPACITY", 1500, minimum=100)},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications", "social"],
    }
}
