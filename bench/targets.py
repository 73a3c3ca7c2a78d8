"""The servers a run measures, in the order they are measured.

Three baselines that speak the relay protocol, then Nidaa as it ships (one
process, SQLite, in-memory layer) and Nidaa scaled out (two Daphne processes,
Redis channel layer, PostgreSQL). Each ``start`` returns a running
:class:`~bench.procs.Server`; the caller stops it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import PYTHON, Server, base_env, daphne_argv, free_port, spawn, wait_listening

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"


@dataclass
class Target:
    name: str
    label: str
    kind: str  # the load generator's protocol family: "relay" or "nidaa"
    starter: Callable[[Target, Path], Server]
    baseline: bool
    needs: tuple[str, ...] = ()
    # sent to the load-generator processes, so plain data only
    options: dict[str, Any] = field(default_factory=dict)
    uses_redis: bool = False
    scenario: str = ""  # the scenario the next start() is for
    extra_scenarios: list[tuple[str, Callable[..., dict[str, Any]]]] = field(default_factory=list)
    speaks_chat: bool = True  # runs the idle and chat scenarios (the intake peer does not)

    def start(self, log_dir: Path) -> Server:
        return self.starter(self, log_dir)


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def _start_ws_relay(target: Target, log_dir: Path) -> Server:
    port = free_port()
    process = spawn(
        [PYTHON, "-m", "bench.baselines.ws_relay", str(port)],
        env=base_env(),
        log_path=log_dir / f"{target.name}.log",
    )
    server = Server(target.name, [port], [process], log_dir)
    _ready(server)
    target.options["urls"] = [f"ws://127.0.0.1:{port}/ws/relay/"]
    return server


def _start_channels(target: Target, log_dir: Path, layer: str) -> Server:
    port = free_port()
    env = base_env(
        DJANGO_SETTINGS_MODULE="bench.baselines.channels_relay.settings",
        BENCH_LAYER=layer,
        REDIS_URL=redis_url(),
    )
    process = spawn(
        daphne_argv("bench.baselines.channels_relay.asgi:application", port),
        env=env,
        log_path=log_dir / f"{target.name}.log",
    )
    server = Server(target.name, [port], [process], log_dir)
    _ready(server)
    target.options["urls"] = [f"ws://127.0.0.1:{port}/ws/relay/"]
    return server


def _ready(server: Server) -> None:
    try:
        wait_listening(server.ports, server.processes)
    except RuntimeError as exc:
        server.stop()
        raise RuntimeError(f"{server.name}: {exc}\n{server.log_tail()}") from None


def all_targets(profile: Any) -> list[Target]:
    from bench.intake import intake
    from bench.nidaa import nidaa_targets
    from bench.peer_helpdesk import start_peer

    return [
        Target("ws", "bare websockets relay", "relay", _start_ws_relay, baseline=True),
        Target(
            "channels",
            "bare Channels on Daphne, no layer",
            "relay",
            lambda t, d: _start_channels(t, d, "none"),
            baseline=True,
        ),
        Target(
            "channels_redis",
            "bare Channels on Daphne + Redis layer",
            "relay",
            lambda t, d: _start_channels(t, d, "redis"),
            baseline=True,
            needs=("redis",),
            uses_redis=True,
        ),
        *nidaa_targets(Target, profile),
        Target(
            "helpdesk_peer",
            "django-helpdesk 2.6.1, one process (SQLite)",
            "intake",
            start_peer,
            baseline=True,
            needs=("helpdesk_peer",),
            extra_scenarios=[("intake", intake)],
            speaks_chat=False,
        ),
    ]


def scratch_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="nidaa-bench-"))
