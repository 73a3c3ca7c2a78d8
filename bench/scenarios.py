"""The Nidaa-only scenarios: the distributor under a burst, and tickets per second."""

from __future__ import annotations

import time
from typing import Any

from bench.procs import Server
from bench.runner import Profile, _cpu_percent, _sample, _split
from bench.stats import Latency, add_counts, merge_latencies
from bench.targets import Target
from bench.worker import WorkerPool

OFFER_WAIT_SECONDS = 15.0


def burst(target: Target, server: Server, pool: WorkerPool, profile: Profile) -> dict[str, Any]:
    """New conversations at a rate against the agents on duty; queue → offer, no double."""
    pool.call("setup", kind=target.kind, options=target.options)
    agents = _split(profile.burst_agents, len(pool))
    pool.call_each("open", [{"citizens": 0, "agents": a, "concurrency": 10} for a in agents])
    steps = []
    first = 0
    for rate in profile.burst_rates:
        count = int(rate * profile.burst_seconds)
        before = _sample(server, pool)
        per_worker = _split(count, len(pool))
        arrivals = pool.call_each(
            "call",
            [
                {
                    "name": "burst_arrivals",
                    "count": n,
                    "rate": rate / len(pool),
                    "first": first + i * count,
                }
                for i, n in enumerate(per_worker)
            ],
        )
        first += count * len(pool)
        joined: dict[str, int] = {}
        for result in arrivals:
            joined.update(result["joined"])
        offers, assignments = _wait_for_offers(pool, set(joined))
        after = _sample(server, pool)
        latency = Latency()
        offered_twice = 0
        for conversation, began in joined.items():
            times = offers.get(conversation, [])
            if times:
                latency.record_ns(min(times) - began)
            if len(times) > 1:
                offered_twice += 1
        double = sum(1 for who in assignments.values() if len(set(who)) > 1)
        steps.append(
            {
                "rate": rate,
                "conversations": count,
                "joined": len(joined),
                "join_errors": add_counts([r["errors"] for r in arrivals]),
                "offered": sum(1 for c in joined if c in offers),
                "assigned": sum(1 for c in joined if c in assignments),
                "lost": sum(1 for c in joined if c not in offers),
                "offered_more_than_once": offered_twice,
                "double_assignments": double,
                "offer_latency": latency.summary(),
                **_cpu_percent(before, after),
            }
        )
    pool.call("close")
    return {
        "agents": profile.burst_agents,
        "steps": steps,
        "lost": sum(s["lost"] + s["conversations"] - s["joined"] for s in steps),
        "double_assignments": sum(s["double_assignments"] for s in steps),
    }


def _wait_for_offers(
    pool: WorkerPool, conversations: set[str]
) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    deadline = time.monotonic() + OFFER_WAIT_SECONDS
    while True:
        offers: dict[str, list[int]] = {}
        assignments: dict[str, list[str]] = {}
        for desk in pool.call("call", name="desk"):
            for conversation, times in desk["offers"].items():
                offers.setdefault(conversation, []).extend(times)
            for conversation, who in desk["assignments"].items():
                assignments.setdefault(conversation, []).extend(who)
        if conversations <= assignments.keys() or time.monotonic() > deadline:
            # a moment more, so a second (double) assignment would be seen too
            time.sleep(0.5)
            return offers, assignments
        time.sleep(0.2)


def tickets(target: Target, server: Server, pool: WorkerPool, profile: Profile) -> dict[str, Any]:
    """Tickets registered through the agent path: every agent converts all its chats at once."""
    from bench.runner import _wait_until_both_sides_know

    pool.call("setup", kind=target.kind, options=target.options)
    agents = _split(profile.ticket_agents, len(pool))
    pool.call_each(
        "open",
        [
            {"citizens": a * profile.ticket_per_agent, "agents": a, "concurrency": 20}
            for a in agents
        ],
    )
    conversations = sum(r["conversations"] for r in pool.call("pair", per_agent=0))
    missed_events = _wait_until_both_sides_know(pool, conversations)
    fields = {
        "category": target.options["category"],
        "subject": "Bench report",
        "description": "Registered by make bench through the agent console.",
    }
    before = _sample(server, pool)
    results = pool.call("call", name="tickets", fields=fields)
    after = _sample(server, pool)
    references = [ref for r in results for ref in r["references"]]
    seconds = max(r["seconds"] for r in results) or 1e-6
    pool.call("close")
    agent_path = {
        "count": len(references),
        "unique_references": len(set(references)),
        "per_second": round(len(references) / seconds, 1),
        "latency": merge_latencies([r["latency"] for r in results]).summary(),
        "errors": sum(sum(r["errors"].values()) for r in results),
        "error_kinds": add_counts([r["errors"] for r in results]),
        **_cpu_percent(before, after),
    }
    count = profile.ticket_agents * profile.ticket_per_agent
    before = _sample(server, pool)
    portal = pool.call_each(
        "call",
        [{"name": "portal_reports", "count": n, "first": 10_000} for n in _split(count, len(pool))],
    )
    after = _sample(server, pool)
    created = sum(r["created"] for r in portal)
    portal_path = {
        "count": created,
        "per_second": round(created / (max(r["seconds"] for r in portal) or 1e-6), 1),
        "latency": merge_latencies([r["latency"] for r in portal]).summary(),
        "errors": count - created,
        "error_kinds": add_counts([r["errors"] for r in portal]),
        **_cpu_percent(before, after),
    }
    return {
        "assignments_found_only_on_resume": missed_events,
        "paths": {"agent console": agent_path, "public portal form": portal_path},
        "errors": agent_path["errors"]
        + (agent_path["count"] - agent_path["unique_references"])
        + portal_path["errors"],
    }
