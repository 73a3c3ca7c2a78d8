"""The database: SQLite (the embedded default) or PostgreSQL from ``DATABASE_URL``."""

from __future__ import annotations

from helpdesk.env import env_database, env_int
from nidaa.settings.base import VAR_DIR

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'nidaa.sqlite3'}")}
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, the worker and the scheduler share the file;
    # IMMEDIATE transactions make SQLite take the write lock up front, so
    # concurrent writers queue instead of failing with "database is locked";
    # within a process they queue on a lock rather than SQLite's polling
    # (helpdesk/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "helpdesk.sqlite_backend"
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Keep SQLite connections open: closing the last one checkpoints the WAL with
    # fsyncs, which the channels layer's per-hop close did for every chat message
    # (make bench measured ~50 ms per message; bench/NOTES.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Under Daphne every HTTP request runs in a thread of its own, so neither a
    # connection per request nor a persistent one per thread bounds PostgreSQL's
    # connections; a pool per process does (docs/deployment.md, "PostgreSQL").
    DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0, minimum=0)
    if DATABASE_POOL_SIZE:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_SIZE,
            "timeout": 30,
        }
