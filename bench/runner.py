"""Scenarios, run against each target in turn with the same client in the same run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import Server
from bench.profile import attach, detach
from bench.stats import Latency, add_counts, merge_latencies, tally
from bench.targets import Target
from bench.worker import WorkerPool

P99_LIMIT_MS = 100.0


@dataclass
class Profile:
    name: str
    workers: int = 2
    idle_connections: int = 10_000
    idle_hold: float = 5.0
    storm_deadline: float = 40.0
    idle_ramp_budget: float = 45.0
    warm_up_seconds: float = 2.0
    idle_agent_accounts: int = 400
    chat_agents: int = 30
    # Nidaa limits a citizen's address to 60 messages a minute and a socket to 30
    # frames in 10 s: enough conversations that no citizen passes that at 1,000/s
    chat_per_agent: int = 20
    chat_rates: list[int] = field(default_factory=lambda: [100, 250, 500, 1000, 1500, 2000, 3000])
    chat_step_seconds: float = 5.0
    burst_seconds: float = 10.0
    burst_agents: int = 30
    burst_rates: list[int] = field(default_factory=lambda: [20, 50])
    ticket_agents: int = 30
    ticket_per_agent: int = 5
    # the public report form against django-helpdesk (bench/intake.py): 1,000+ reports
    intake_rates: list[int] = field(default_factory=lambda: [20, 40])
    intake_step_seconds: float = 20.0
    intake_slice_seconds: float = 5.0
    intake_warm_up: int = 20
    connect_concurrency: int = 250
    settle_seconds: float = 1.0  # pause for the server to go quiet before measuring
    settle_limit_seconds: float = 90.0
    profile_dir: Path | None = None
    scenarios: list[str] = field(default_factory=list)  # empty: all

    def burst_total(self) -> int:
        return sum(int(rate * self.burst_seconds) for rate in self.burst_rates)


QUICK = Profile(
    name="quick",
    idle_connections=200,
    idle_hold=0.5,
    settle_seconds=0.2,
    settle_limit_seconds=10.0,
    storm_deadline=20.0,
    idle_ramp_budget=20.0,
    warm_up_seconds=0.5,
    chat_agents=4,
    chat_per_agent=10,
    chat_rates=[50, 100],
    chat_step_seconds=1.0,
    burst_seconds=1.0,
    burst_agents=4,
    burst_rates=[20],
    ticket_agents=4,
    ticket_per_agent=2,
    intake_step_seconds=2.0,
    intake_slice_seconds=1.0,
    intake_warm_up=4,
    connect_concurrency=50,
)
FULL = Profile(name="full")


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _sample(server: Server, pool: WorkerPool) -> tuple[float, float, float]:
    return time.monotonic(), server.cpu_seconds(), pool.cpu_seconds()


def _cpu_percent(before: tuple[float, float, float], after: tuple[float, float, float]) -> dict:
    wall = max(after[0] - before[0], 1e-6)
    return {
        "server_cpu_percent": round(100 * (after[1] - before[1]) / wall, 1),
        "client_cpu_percent": round(100 * (after[2] - before[2]) / wall, 1),
    }


def idle_and_storm(target: Target, server: Server, pool: WorkerPool, profile: Profile) -> dict:
    """Ramp to N connections (90 % citizens, 10 % agents), hold, then drop all and reconnect."""
    pool.call("setup", kind=target.kind, options=target.options)
    # warm the server up (lazy imports, first queries) before taking its resting size
    pool.call(
        "open", citizens=5, agents=1 if target.options.get("agent_share", 0.1) else 0, concurrency=5
    )
    pool.call("close")
    time.sleep(profile.settle_seconds)
    rss_before = server.rss_kb()
    total = profile.idle_connections
    # The ramp goes in slices, each a point on the memory curve, and stops at the
    # time budget: a server slower to accept connections holds fewer, and says so.
    chunk_size = max(50, total // 20)
    started = time.monotonic()
    opened: list[dict[str, Any]] = []
    memory_curve = [[0, rss_before]]
    agent_share = target.options.get("agent_share", 0.1)
    concurrency = target.options.get("connect_concurrency", profile.connect_concurrency)
    agents_left = target.options.get("agent_accounts", total)
    budget_spent = False
    for chunk in _split(total, -(-total // chunk_size)):
        if time.monotonic() - started > profile.idle_ramp_budget:
            budget_spent = True
            break
        agent_count = min(int(chunk * agent_share), agents_left)
        agents_left -= agent_count
        agents = _split(agent_count, len(pool))
        citizens = _split(chunk - agent_count, len(pool))
        opened += pool.call_each(
            "open",
            [
                {"citizens": c, "agents": a, "concurrency": concurrency}
                for c, a in zip(citizens, agents, strict=True)
            ],
        )
        memory_curve.append([sum(r["opened"] for r in opened), server.rss_kb()])
    ramp_seconds = time.monotonic() - started
    held = sum(r["opened"] for r in opened)
    time.sleep(profile.settle_seconds)
    rss_held = server.rss_kb()
    before = _sample(server, pool)
    time.sleep(profile.idle_hold)
    after = _sample(server, pool)
    idle_cpu = _cpu_percent(before, after)
    connect = merge_latencies([r["connect_latency"] for r in opened])
    idle = {
        "target_connections": total,
        "held": held,
        "connect_errors": sum(r["errors"] for r in opened),
        "ramp_seconds": round(ramp_seconds, 2),
        "connects_per_second": round(held / max(ramp_seconds, 1e-6), 1),
        "connect_latency": connect.summary(),
        "rss_before_kb": rss_before,
        "rss_held_kb": rss_held,
        "kb_per_connection": round((rss_held - rss_before) / max(held, 1), 2),
        "idle_server_cpu_percent": idle_cpu["server_cpu_percent"],
        "server_fds": server_fds(server),
        "memory_curve": memory_curve,
        "ramp_budget_seconds": profile.idle_ramp_budget,
        "stopped_at_budget": budget_spent,
    }
    # Two storms back to back: pooled Redis connections may grow in the first (bounded by
    # the pool size), but a leak grows again in the second.
    redis_held = _redis_clients(target)
    rounds = []
    for _round in range(2 if target.uses_redis else 1):
        storm_started = time.monotonic()
        storm = pool.call("storm", concurrency=concurrency, deadline=profile.storm_deadline)
        storm_seconds = time.monotonic() - storm_started
        back = merge_latencies([r["back"] for r in storm])
        time.sleep(profile.settle_seconds)
        rounds.append(
            {
                "connections": sum(r["total"] for r in storm),
                "back": back.count,
                "failed": sum(r["failed"] for r in storm),
                "errors": sum(r["errors"] for r in storm),
                "error_kinds": add_counts([r["error_kinds"] for r in storm]),
                "seconds_to_99_percent": _seconds(back, 99),
                "seconds_to_all": round(storm_seconds, 2),
                "time_to_back": back.summary(),
                "redis_clients_after": _redis_clients(target),
            }
        )
    reconnect = {
        **rounds[0],
        "redis_clients_held": redis_held,
        "redis_clients_after_second_storm": rounds[-1]["redis_clients_after"],
        "second_storm": rounds[1] if len(rounds) > 1 else None,
    }
    pool.call("close")
    return {"idle": idle, "reconnect": reconnect}


def _redis_clients(target: Target) -> int | None:
    from bench.services import redis_clients_on_db

    return redis_clients_on_db() if target.uses_redis else None


def server_fds(server: Server) -> int:
    from bench.procs import open_fds

    return sum(open_fds(pid) for pid in server.pids)


def _seconds(latency: Latency, percentile: float) -> float | None:
    value = latency.percentile_ms(percentile)
    return None if value is None else round(value / 1000, 3)


def chat(target: Target, server: Server, pool: WorkerPool, profile: Profile) -> dict:
    """Steady conversations at rising rates until p99 passes 100 ms or anything is lost."""
    pool.call("setup", kind=target.kind, options=target.options)
    agents = _split(profile.chat_agents, len(pool))
    pool.call_each(
        "open",
        [{"citizens": a * profile.chat_per_agent, "agents": a, "concurrency": 20} for a in agents],
    )
    conversations = sum(
        r["conversations"] for r in pool.call("pair", per_agent=profile.chat_per_agent)
    )
    missed_events = _wait_until_both_sides_know(pool, conversations)
    resyncs = _resyncs(pool)
    settle = _settle(server, profile)
    # a warm-up at the first rate, not reported: first frames on fresh sockets and
    # code paths run cold, and the first step is the one the ratios are taken at
    warm_up = pool.call(
        "chat_send",
        step=0,
        rate=profile.chat_rates[0] / len(pool),
        duration=profile.warm_up_seconds,
    )
    warm_sent: dict[str, int] = {}
    for result in warm_up:
        warm_sent.update(result["sent"])
    pool.call("chat_collect", step=0, sent=warm_sent, wait_seconds=10.0)
    steps = []
    for step, rate in enumerate(profile.chat_rates, start=1):
        before = _sample(server, pool)
        sends = pool.call(
            "chat_send", step=step, rate=rate / len(pool), duration=profile.chat_step_seconds
        )
        sent: dict[str, int] = {}
        for result in sends:
            sent.update(result["sent"])
        collected = pool.call("chat_collect", step=step, sent=sent, wait_seconds=10.0)
        after = _sample(server, pool)
        arrivals: dict[str, list[int]] = {}
        for result in collected:
            arrivals.update(result["arrivals"])
        counts = tally(sent, arrivals)
        # messages the server refused with an error frame (rate limits): told, not lost
        refused = add_counts([r["refused"] for r in collected])
        counts["refused"] = sum(refused.values())
        counts["lost"] -= min(counts["lost"], counts["refused"])
        counts["send_errors"] = sum(r.get("errors", 0) for r in sends)
        send_seconds = max(r["seconds"] for r in sends) or profile.chat_step_seconds
        c2a = merge_latencies([r["latency"]["c2a"] for r in collected])
        a2c = merge_latencies([r["latency"]["a2c"] for r in collected])
        both = Latency()
        both.histogram.add(c2a.histogram)
        both.histogram.add(a2c.histogram)
        result = {
            "rate": rate,
            "achieved_rate": round(counts["sent"] / send_seconds, 1),
            **counts,
            "latency": both.summary(),
            "citizen_to_agent": c2a.summary(),
            "agent_to_citizen": a2c.summary(),
            "ack_latency": merge_latencies([r["ack_latency"] for r in collected]).summary(),
            **_cpu_percent(before, after),
        }
        steps.append(result)
        p99 = both.percentile_ms(99) or 0.0
        failed = counts["lost"] or counts["duplicated"] or counts["refused"]
        if failed or p99 > P99_LIMIT_MS or not server.alive():
            break
    pool.call("close")
    held = [
        s
        for s in steps
        if not s["lost"]
        and not s["duplicated"]
        and not s["refused"]
        and not s["out_of_order"]
        and (s["latency"]["p99_ms"] or 0) <= P99_LIMIT_MS
    ]
    return {
        "conversations": conversations,
        "assignments_found_only_on_resume": missed_events,
        "consoles_told_to_resync": resyncs,
        "seconds_to_settle_after_set_up": settle,
        "agents": profile.chat_agents,
        "steps": steps,
        "max_rate_held": max((s["rate"] for s in held), default=0),
    }


def _settle(server: Server, profile: Profile) -> float:
    """Wait until the server is quiet (CPU under 25 % for a second), at most 90 s.

    Setting up hundreds of conversations leaves a server with work queued (for
    Nidaa: every console re-reading the queue after every arrival); the chat
    ladder measures steady conversations, so it starts once that is done. How
    long it took is reported.
    """
    started = time.monotonic()
    while time.monotonic() - started < profile.settle_limit_seconds:
        before = server.cpu_seconds()
        time.sleep(1.0)
        if server.cpu_seconds() - before < 0.25 * len(server.pids):
            break
    return round(time.monotonic() - started, 1)


def _wait_until_both_sides_know(pool: WorkerPool, conversations: int) -> int:
    """The agent of a conversation may sit in another worker: wait until it has it too.

    Returns how many conversations the agents' sockets never announced live and
    the consoles found only by resuming (a snapshot), as a console does after a
    reconnect: each is an ``assignment.new`` event the server dropped silently. (A
    console the server told to ``resync`` got its snapshot unasked: that is counted
    apart, by :func:`_resyncs`.)
    """
    resynced = 0
    for attempt in range(2):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            sides = pool.call("conversations")
            known = sum(s["agent_side"] for s in sides)
            if known >= conversations:
                return resynced
            time.sleep(0.2)
        if attempt == 0:
            pool.call("call", name="resume_agents")
            time.sleep(1.0)
            resynced = sum(s["agent_side"] for s in pool.call("conversations")) - known
    raise RuntimeError(f"agents hold {sides} of {conversations} conversations after resuming")


def _resyncs(pool: WorkerPool) -> int:
    return sum(side.get("resyncs", 0) for side in pool.call("conversations"))


def run_target(target: Target, pool: WorkerPool, profile: Profile, log_dir: Any) -> dict:
    """Every scenario this target supports, each on a freshly started server."""
    results: dict[str, Any] = {"label": target.label, "baseline": target.baseline}
    scenarios: list[tuple[str, Any]] = []
    if target.speaks_chat:
        scenarios += [("idle", idle_and_storm), ("chat", chat)]
    scenarios += target.extra_scenarios
    if profile.scenarios:
        scenarios = [(n, s) for n, s in scenarios if n in profile.scenarios]
    for name, scenario in scenarios:
        print(f"  {target.name}: {name} …", flush=True)
        target.scenario = name
        server = target.start(log_dir)
        samplers = []
        try:
            if profile.profile_dir:
                samplers = attach(server, profile.profile_dir, f"{target.name}-{name}")
            results.update(_as_sections(name, scenario(target, server, pool, profile)))
            results.setdefault("processes", len(server.pids))
        except Exception as exc:
            results.setdefault("errors", []).append(f"{name}: {exc}")
            print(f"  {target.name}: {name} FAILED: {exc}\n{server.log_tail(15)}", flush=True)
            try:
                pool.call("close")
            except Exception as close_error:
                results["errors"].append(f"close: {close_error}")
        finally:
            server.stop()
            detach(samplers)
    return results


def _as_sections(name: str, result: dict) -> dict:
    if name == "idle":
        return result
    return {name: result}
