"""Whether Redis and PostgreSQL are reachable for the scaled-out targets."""

from __future__ import annotations

import os

from bench.targets import redis_url

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/nidaa_bench_run"


def postgres_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL)


def service_problem(name: str) -> str | None:
    if name == "redis":
        import redis

        try:
            redis.Redis.from_url(redis_url(), socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            return f"Redis at {redis_url()} is not reachable ({exc})"
        return None
    if name == "postgres":
        import psycopg

        admin = postgres_url().rsplit("/", 1)[0] + "/postgres"
        try:
            with psycopg.connect(admin, connect_timeout=2):
                return None
        except psycopg.Error as exc:
            return f"PostgreSQL at {admin} is not reachable ({exc})"
    if name == "helpdesk_peer":
        from bench.peer_helpdesk import peer_problem

        return peer_problem()
    return None


def redis_clients_on_db() -> int:
    """Open Redis client connections on the benchmark's database (for leak checks)."""
    import redis

    client = redis.Redis.from_url(redis_url())
    db = client.connection_pool.connection_kwargs.get("db", 0)
    try:
        return sum(1 for c in client.client_list() if int(c.get("db", -1)) == db) - 1
    finally:
        client.close()
