"""Results: ``bench/results/<date>.json``, a Markdown summary with ratios, PNG charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.intake import intake_section, intake_target_rows

# The targets for this 2-core machine; the summary says met or missed, by how much.
TARGETS = {
    "idle_connections": 10_000,
    "kb_ratio_to_channels_redis": 2.0,
    "idle_cpu_percent": 2.0,
    "connect_rate_share_of_channels_redis": 0.5,
    "chat_p50_ms_at_100": 5.0,
    "chat_p99_ms_at_100": 25.0,
    "persisted_rate_stretch": 1000,
    "burst_offer_p99_ms": {20: 50.0, 50: 250.0},
    "storm_seconds": 30.0,
    "ratio_to_channels_redis": 1.5,
}
REFERENCE_RATE = 100
NIDAA = ("nidaa", "nidaa_scaled")
NOTES = Path(__file__).resolve().parent / "NOTES.md"


def write_report(results: dict[str, Any], out: Path, *, charts: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    stem = results["date"][:10] + ("-quick" if results["profile"] == "quick" else "")
    json_path = out / f"{stem}.json"
    json_path.write_text(json.dumps(results, indent=1, sort_keys=False) + "\n")
    paths = [json_path]
    chart_paths = _charts(results, out, stem) if charts else []
    md_path = out / f"{stem}.md"
    md_path.write_text(summary(results, [p.name for p in chart_paths]))
    return [*paths, md_path, *chart_paths]


def chat_step_at(target: dict[str, Any], rate: int) -> dict[str, Any] | None:
    for step in target.get("chat", {}).get("steps", []):
        if step["rate"] == rate:
            return step
    return None


def _p99_at(target: dict[str, Any]) -> float | None:
    step = chat_step_at(target, REFERENCE_RATE)
    return None if step is None else step["latency"]["p99_ms"]


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value}{unit}"


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "–"
    return f"{value / base:.2f}×"


def _verdict(value: float | None, limit: float, *, higher_is_better: bool) -> str:
    if value is None:
        return "not measured"
    if higher_is_better:
        if value >= limit:
            return "met"
        return f"missed by {limit - value:.4g} ({100 * (limit - value) / limit:.0f} % short)"
    if value <= limit:
        return "met"
    return f"missed by {value - limit:.4g} ({value / limit:.2f}× the limit)"


def summary(results: dict[str, Any], charts: list[str]) -> str:
    targets = results["targets"]
    lines = [
        f"# Nidaa benchmark — {results['date']} ({results['profile']})",
        "",
        f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
        f"Linux {results['machine']['kernel']}, fd limit {results['machine']['fd_limit']}; "
        f"load generator: {results['machine']['load_generator_processes']} processes on the "
        f"same machine. Whole run: {results['seconds']} s.",
        "",
        "Every scenario runs against every target in turn, in the same run, with the same "
        "client. A step that loses, duplicates or reorders a message has failed whatever "
        "its speed.",
        "",
    ]
    for name, reason in results.get("skipped", {}).items():
        lines.append(f"- **{name} skipped**: {reason}")
    if results.get("skipped"):
        lines.append("")
    lines += _chat_table(targets)
    lines += _idle_table(targets)
    lines += _storm_table(targets)
    lines += _nidaa_tables(targets)
    lines += intake_section(results)
    lines += _targets_table(targets, results)
    for name, target in targets.items():
        for error in target.get("errors", []):
            lines.append(f"- **{name} error**: {error}")
    if charts:
        lines += ["", "## Charts", ""] + [f"![{c}]({c})" for c in charts]
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    return "\n".join(lines) + "\n"


def _chat_table(targets: dict[str, Any]) -> list[str]:
    ws_p99 = _p99_at(targets.get("ws", {}))
    chr_p99 = _p99_at(targets.get("channels_redis", {}))
    lines = [
        f"## Chat: end-to-end latency at {REFERENCE_RATE} messages/s, and the highest rate held",
        "",
        "Latency is from the moment a message was due to leave one client to its arrival at "
        "the other, both ways (citizen → agent and agent → citizen), timestamps inside the "
        "messages. *Held* = p99 ≤ 100 ms with nothing lost, duplicated or out of order; "
        "*lost* = not arrived within 10 s after the step ended. The ladder starts once the "
        "server is quiet after setting the conversations up (the time that took is shown "
        "below).",
        "",
        "| target | p50 ms | p99 ms | p99.9 ms | lost | dup | out of order | p99 vs websockets "
        "| p99 vs Channels+Redis | highest rate held /s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for target in targets.values():
        step = chat_step_at(target, REFERENCE_RATE)
        if "chat" not in target:
            continue
        if step is None:
            lines.append(
                f"| {target['label']} | – | – | – | – | – | – | – | – | "
                f"{target['chat']['max_rate_held']} |"
            )
            continue
        latency = step["latency"]
        lines.append(
            f"| {target['label']} | {_fmt(latency['p50_ms'])} | {_fmt(latency['p99_ms'])} | "
            f"{_fmt(latency['p999_ms'])} | {step['lost']} | {step['duplicated']} | "
            f"{step['out_of_order']} | "
            f"{_ratio(latency['p99_ms'], ws_p99)} | "
            f"{_ratio(latency['p99_ms'], chr_p99)} | "
            f"{target['chat']['max_rate_held']} |"
        )
    for target in targets.values():
        settle = target.get("chat", {}).get("seconds_to_settle_after_set_up")
        if settle and settle > 2:
            lines += [
                "",
                f"{target['label']}: the server took {settle} s to go quiet after the "
                f"{target['chat']['conversations']} conversations were set up.",
            ]
        resyncs = target.get("chat", {}).get("consoles_told_to_resync")
        if resyncs:
            lines += [
                "",
                f"{target['label']}: the server told consoles {resyncs} times that they had "
                "missed desk events (`resync`) and sent them a fresh snapshot.",
            ]
        missed = target.get("chat", {}).get("assignments_found_only_on_resume")
        if missed:
            lines += [
                "",
                f"**{target['label']}: {missed} of {target['chat']['conversations']} "
                "`assignment.new` events never reached the agent consoles**; the consoles "
                "found those conversations only by sending `resume` (as after a reconnect). "
                "See bench/NOTES.md.",
            ]
    lines += [
        "",
        "Every step of every target:",
        "",
        "| target | rate /s | achieved /s | p50 ms | p99 ms | p99.9 ms | sent | lost | "
        "dup | ooo | refused | ack p50 ms | server CPU % | client CPU % |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, target in targets.items():
        for step in target.get("chat", {}).get("steps", []):
            latency = step["latency"]
            lines.append(
                f"| {name} | {step['rate']} | {step['achieved_rate']} | "
                f"{_fmt(latency['p50_ms'])} | {_fmt(latency['p99_ms'])} | "
                f"{_fmt(latency['p999_ms'])} | {step['sent']} | {step['lost']} | "
                f"{step['duplicated']} | {step['out_of_order']} | {step.get('refused', 0)} | "
                f"{_fmt(step.get('ack_latency', {}).get('p50_ms'))} | "
                f"{step['server_cpu_percent']} | {step['client_cpu_percent']} |"
            )
    return [*lines, ""]


def _idle_table(targets: dict[str, Any]) -> list[str]:
    lines = [
        "## Idle: connections held (90 % citizens, 10 % agents)",
        "",
        "| target | held | errors | ramp s | connects/s | connect p99 ms | KB per connection "
        "| idle server CPU % | vs websockets (KB) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    ws_kb = targets.get("ws", {}).get("idle", {}).get("kb_per_connection")
    for target in targets.values():
        idle = target.get("idle")
        if not idle:
            continue
        lines.append(
            f"| {target['label']} | {idle['held']}"
            f"{' (stopped at the time budget)' if idle.get('stopped_at_budget') else ''} | "
            f"{idle['connect_errors']} | "
            f"{idle['ramp_seconds']} | {idle['connects_per_second']} | "
            f"{_fmt(idle['connect_latency']['p99_ms'])} | {idle['kb_per_connection']} | "
            f"{idle['idle_server_cpu_percent']} | {_ratio(idle['kb_per_connection'], ws_kb)} |"
        )
    return [*lines, ""]


def _storm_table(targets: dict[str, Any]) -> list[str]:
    lines = [
        "## Reconnect storm: every connection dropped at once, then reconnected",
        "",
        "| target | connections | back | failed | errors | s to 99 % back | s to all "
        "| Redis clients held → after storm 1 → after storm 2 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for target in targets.values():
        storm = target.get("reconnect")
        if not storm:
            continue
        redis = (
            "–"
            if storm["redis_clients_held"] is None
            else f"{storm['redis_clients_held']} → {storm['redis_clients_after']} → "
            f"{storm['redis_clients_after_second_storm']}"
        )
        lines.append(
            f"| {target['label']} | {storm['connections']} | {storm['back']} | "
            f"{storm['failed']} | {storm['errors']} | {_fmt(storm['seconds_to_99_percent'])} | "
            f"{storm['seconds_to_all']} | {redis} |"
        )
    return [*lines, ""]


def _nidaa_tables(targets: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    bursts = [(t["label"], t["burst"]) for t in targets.values() if "burst" in t]
    if bursts:
        lines += [
            "## Distributor burst: new conversations against the agents on duty",
            "",
            "Time from the citizen's pre-chat form (its `start` frame on the socket puts the "
            "conversation in the queue) to the offer reaching an agent's console. Agents accept "
            "every offer at once.",
            "",
            "| target | rate /s | conversations | offered | p50 ms | p99 ms | max ms "
            "| double assignments | lost |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for label, burst in bursts:
            for step in burst.get("steps", []):
                offer = step["offer_latency"]
                lines.append(
                    f"| {label} | {step['rate']} | {step['conversations']} | {step['offered']} "
                    f"| {_fmt(offer['p50_ms'])} | {_fmt(offer['p99_ms'])} | "
                    f"{_fmt(offer['max_ms'])} | {step['double_assignments']} | {step['lost']} |"
                )
        lines.append("")
    tickets = [(t["label"], t["tickets"]) for t in targets.values() if "tickets" in t]
    if tickets:
        lines += [
            "## Tickets registered per second",
            "",
            "| target | path | tickets | per second | p50 ms | p99 ms | errors |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for label, result in tickets:
            for path, item in result.get("paths", {}).items():
                lines.append(
                    f"| {label} | {path} | {item['count']} | {item['per_second']} | "
                    f"{_fmt(item['latency']['p50_ms'])} | {_fmt(item['latency']['p99_ms'])} | "
                    f"{item['errors']} |"
                )
            if result.get("missing"):
                lines.append(f"| {label} | – | {result['missing']} | | | | |")
        lines.append("")
    return lines


def _targets_table(targets: dict[str, Any], results: dict[str, Any]) -> list[str]:
    lines = ["## The issue's targets", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    chr_ = chat_step_at(targets.get("channels_redis", {}), REFERENCE_RATE)
    for name in NIDAA:
        target = targets.get(name)
        if not target:
            continue
        label = target["label"]
        idle = target.get("idle", {})
        rows: list[tuple[str, Any, str]] = []
        chr_idle = targets.get("channels_redis", {}).get("idle", {})
        if idle:
            rows.append(
                (
                    f"{label}: ≥ 10,000 connections held",
                    idle["held"],
                    _verdict(idle["held"], TARGETS["idle_connections"], higher_is_better=True),
                )
            )
            if chr_idle.get("kb_per_connection"):
                ratio = idle["kb_per_connection"] / chr_idle["kb_per_connection"]
                rows.append(
                    (
                        f"{label}: memory per connection ≤ 2× Channels + Redis",
                        f"{idle['kb_per_connection']:.1f} KB ({ratio:.2f}×)",
                        _verdict(
                            ratio, TARGETS["kb_ratio_to_channels_redis"], higher_is_better=False
                        ),
                    )
                )
            rows.append(
                (
                    f"{label}: idle server CPU ≤ 2 %",
                    idle.get("idle_server_cpu_percent"),
                    _verdict(
                        idle.get("idle_server_cpu_percent"),
                        TARGETS["idle_cpu_percent"],
                        higher_is_better=False,
                    ),
                )
            )
            if chr_idle.get("connects_per_second"):
                share = idle["connects_per_second"] / chr_idle["connects_per_second"]
                rows.append(
                    (
                        f"{label}: connects/s ≥ 50 % of Channels + Redis",
                        f"{idle['connects_per_second']:.1f}/s ({100 * share:.0f} %)",
                        _verdict(
                            share,
                            TARGETS["connect_rate_share_of_channels_redis"],
                            higher_is_better=True,
                        ),
                    )
                )
        step = chat_step_at(target, REFERENCE_RATE)
        if step:
            p50, p99 = step["latency"]["p50_ms"], step["latency"]["p99_ms"]
            rows.append(
                (
                    f"{label}: chat p50 ≤ 5 ms at 100/s",
                    p50,
                    _verdict(p50, TARGETS["chat_p50_ms_at_100"], higher_is_better=False),
                )
            )
            rows.append(
                (
                    f"{label}: chat p99 ≤ 25 ms at 100/s",
                    p99,
                    _verdict(p99, TARGETS["chat_p99_ms_at_100"], higher_is_better=False),
                )
            )
            if chr_ and p99 is not None:
                ratio = p99 / chr_["latency"]["p99_ms"]
                rows.append(
                    (
                        f"{label}: p99 within 1.5× Channels + Redis",
                        f"{ratio:.2f}×",
                        _verdict(ratio, TARGETS["ratio_to_channels_redis"], higher_is_better=False),
                    )
                )
        if "chat" in target:
            held = target["chat"]["max_rate_held"]
            baseline_held = targets.get("channels_redis", {}).get("chat", {}).get("max_rate_held")
            if baseline_held is not None:
                rows.append(
                    (
                        f"{label}: persisted rate held ≥ Channels + Redis's ({baseline_held}/s)",
                        held,
                        _verdict(held, baseline_held, higher_is_better=True),
                    )
                )
            if name == "nidaa_scaled":
                rows.append(
                    (
                        f"{label}: stretch, 1,000 persisted messages/s held",
                        held,
                        _verdict(held, TARGETS["persisted_rate_stretch"], higher_is_better=True),
                    )
                )
        for burst_step in target.get("burst", {}).get("steps", []):
            limit = TARGETS["burst_offer_p99_ms"].get(burst_step["rate"])
            if limit is None:
                continue
            p99 = burst_step["offer_latency"]["p99_ms"]
            rows.append(
                (
                    f"{label}: offer p99 ≤ {limit:.0f} ms at {burst_step['rate']} new/s",
                    p99,
                    _verdict(p99, limit, higher_is_better=False),
                )
            )
            rows.append(
                (
                    f"{label}: none lost, none offered twice at {burst_step['rate']} new/s",
                    f"{burst_step['lost']} lost, {burst_step['double_assignments']} twice",
                    "met"
                    if not burst_step["lost"] and not burst_step["double_assignments"]
                    else "MISSED",
                )
            )
        rows += intake_target_rows(label, target, results)
        storm = target.get("reconnect")
        if storm:
            seconds = storm["seconds_to_99_percent"]
            rows.append(
                (
                    f"{label}: {storm['connections']} reconnected (99 %) within 30 s",
                    seconds,
                    _verdict(seconds, TARGETS["storm_seconds"], higher_is_better=False),
                )
            )
            if storm["redis_clients_held"] is not None:
                # pools may grow in the first storm; a leak grows again in the second
                leaked = storm["redis_clients_after_second_storm"] - storm["redis_clients_after"]
                rows.append(
                    (
                        f"{label}: no leaked Redis connections (growth in 2nd storm)",
                        leaked,
                        "met" if leaked <= 5 else f"MISSED: {leaked} more",
                    )
                )
        lines += [f"| {what} | {_fmt(value)} | {verdict} |" for what, value, verdict in rows]
    return [*lines, ""]


def _charts(results: dict[str, Any], out: Path, stem: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = results["targets"]
    paths = []
    figure, axis = plt.subplots(figsize=(8, 5))
    for target in targets.values():
        steps = target.get("chat", {}).get("steps", [])
        if not steps:
            continue
        rates = [s["rate"] for s in steps]
        (line,) = axis.plot(
            rates,
            [s["latency"]["p99_ms"] for s in steps],
            marker="o",
            label=f"{target['label']} p99",
        )
        axis.plot(
            rates,
            [s["latency"]["p50_ms"] for s in steps],
            marker=".",
            linestyle="--",
            color=line.get_color(),
            label=f"{target['label']} p50",
        )
    axis.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("messages per second (both directions)")
    axis.set_ylabel("end-to-end latency, ms")
    axis.set_title("Chat latency against rate")
    axis.legend(fontsize=7)
    figure.tight_layout()
    path = out / f"{stem}-latency.png"
    figure.savefig(path, dpi=90)
    plt.close(figure)
    paths.append(path)

    figure, axis = plt.subplots(figsize=(8, 5))
    for target in targets.values():
        curve = target.get("idle", {}).get("memory_curve")
        if curve:
            axis.plot(
                [c[0] for c in curve],
                [c[1] / 1024 for c in curve],
                marker="o",
                label=target["label"],
            )
    axis.set_xlabel("open connections")
    axis.set_ylabel("server resident memory, MiB (all processes)")
    axis.set_title("Connections against memory")
    axis.legend(fontsize=7)
    figure.tight_layout()
    path = out / f"{stem}-memory.png"
    figure.savefig(path, dpi=90)
    plt.close(figure)
    paths.append(path)
    return paths
