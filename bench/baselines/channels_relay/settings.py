"""Settings of the baseline Channels project: nothing but Channels and the relay.

``BENCH_LAYER=redis`` with ``REDIS_URL`` relays through the Redis channel layer's
groups; otherwise the consumer relays through process memory with no layer.
"""

import os

SECRET_KEY = "bench-baseline-only"  # noqa: S105 - a local benchmark server, never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["daphne", "channels"]
ASGI_APPLICATION = "bench.baselines.channels_relay.asgi.application"
USE_TZ = True
DATABASES: dict[str, dict[str, str]] = {}

if os.environ.get("BENCH_LAYER") == "redis":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 caps a pool at 100 connections and fails beyond it, which
                # crashes consumers in a reconnect storm; Nidaa's settings raise it the same way.
                "hosts": [
                    {
                        "address": os.environ["REDIS_URL"],
                        "max_connections": int(
                            os.environ.get("CHANNEL_LAYER_MAX_CONNECTIONS", "1000")
                        ),
                    }
                ],
                "prefix": "benchbase",
                "capacity": int(os.environ.get("CHANNEL_LAYER_CAPACITY", "1500")),
                "expiry": int(os.environ.get("CHANNEL_LAYER_EXPIRY", "60")),
            },
        }
    }
else:
    CHANNEL_LAYERS = {}
