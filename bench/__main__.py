"""``python -m bench [--quick] [--targets ws,channels,…] [--out DIR]``: run, then report."""

from __future__ import annotations

import argparse
import datetime
import platform
import shutil
import sys
import time
from pathlib import Path

from bench.procs import raise_fd_limit
from bench.report import write_report
from bench.runner import FULL, QUICK, run_target
from bench.targets import all_targets, scratch_dir
from bench.worker import WorkerPool

RESULTS = Path(__file__).resolve().parent / "results"


def available(needs: tuple[str, ...]) -> str | None:
    """Why a target cannot run here, or None when it can."""
    from bench.services import service_problem

    for need in needs:
        problem = service_problem(need)
        if problem:
            return problem
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds, small counts")
    parser.add_argument("--targets", default="", help="comma-separated subset of targets")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results are written")
    parser.add_argument("--scenarios", default="", help="comma-separated subset of scenarios")
    parser.add_argument("--workers", type=int, default=0, help="load-generator processes")
    parser.add_argument("--connections", type=int, default=0, help="idle connections to hold")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="sample the servers with py-spy; stacks and summaries go here",
    )
    parser.add_argument("--step-seconds", type=float, default=0, help="length of a chat step")
    parser.add_argument("--rates", default="", help="comma-separated chat rates (messages/s)")
    args = parser.parse_args(argv)

    profile = QUICK if args.quick else FULL
    if args.workers:
        profile.workers = args.workers
    if args.connections:
        profile.idle_connections = args.connections
    if args.profile:
        profile.profile_dir = args.profile.resolve()
    if args.scenarios:
        profile.scenarios = [s for s in args.scenarios.split(",") if s]
    if args.step_seconds:
        profile.chat_step_seconds = args.step_seconds
    if args.rates:
        profile.chat_rates = [int(r) for r in args.rates.split(",")]
    fd_limit = raise_fd_limit()
    chosen = {name for name in args.targets.split(",") if name}
    targets = [t for t in all_targets(profile) if not chosen or t.name in chosen]
    log_dir = scratch_dir()
    started = time.time()
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "profile": profile.name,
        "machine": {
            "cpus": __import__("os").cpu_count(),
            "python": platform.python_version(),
            "kernel": platform.release(),
            "fd_limit": fd_limit,
            "load_generator_processes": profile.workers,
        },
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(profile).items()},
        "targets": {},
        "skipped": {},
    }
    print(f"bench ({profile.name}): logs in {log_dir}", flush=True)
    pool = WorkerPool(profile.workers)
    try:
        for target in targets:
            problem = available(target.needs)
            if problem:
                results["skipped"][target.name] = problem
                print(f"  {target.name}: skipped ({problem})", flush=True)
                continue
            results["targets"][target.name] = run_target(target, pool, profile, log_dir)
    finally:
        pool.close()
    results["seconds"] = round(time.time() - started, 1)
    paths = write_report(results, args.out, charts=not args.quick)
    for path in paths:
        print(f"wrote {path}")
    if profile.profile_dir:
        from bench.profile import summarize

        for stacks in sorted(profile.profile_dir.glob("*.txt")):
            if not stacks.name.endswith(".summary.txt"):
                summary = summarize(stacks)
                stacks.with_suffix(".summary.txt").write_text(summary + "\n")
                print(summary[:3000])
    failures = _delivery_failures(results)
    for line in failures:
        print(f"DELIVERY FAILURE: {line}")
    if failures:
        print(f"server logs kept in {log_dir}")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    return 1 if failures else 0


def _delivery_failures(results: dict) -> list[str]:
    """Loss, duplicates or disorder anywhere below the rate a target could hold."""
    lines = []
    for name, target in results["targets"].items():
        for error in target.get("errors", []):
            lines.append(f"{name}: {error}")
        for scenario in ("chat", "tickets"):
            missed = target.get(scenario, {}).get("assignments_found_only_on_resume")
            if missed:
                lines.append(f"{name}: {scenario}: {missed} assignment events never arrived")
        for step in target.get("chat", {}).get("steps", [])[:1]:
            for key in ("lost", "duplicated", "out_of_order"):
                if step[key]:
                    lines.append(f"{name}: chat at {step['rate']}/s {key}={step[key]}")
        if target.get("idle", {}).get("connect_errors"):
            lines.append(f"{name}: idle connect_errors={target['idle']['connect_errors']}")
        if target.get("reconnect", {}).get("failed"):
            lines.append(f"{name}: reconnect storm failed={target['reconnect']['failed']}")
        for scenario in ("burst", "tickets", "intake"):
            for key in ("lost", "duplicated", "double_assignments", "errors"):
                value = target.get(scenario, {}).get(key)
                if value:
                    lines.append(f"{name}: {scenario} {key}={value}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
