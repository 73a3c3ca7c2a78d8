"""Ticket intake: a public report form filed at a steady rate, Nidaa beside django-helpdesk.

The same client fills either form the way a browser does: it loads the form
(``GET``: the CSRF cookie and token, the form's hidden fields, the first
choice of its category or queue), waits the form's anti-spam minimum time,
and posts it; a ``302`` is a report taken. Each citizen comes from a loopback
address of its own (Nidaa limits reports per address) and files once.
Citizens start open loop: the ``n``-th post of a step is due ``n / rate``
seconds after the step begins whether or not the server kept up, its form
loaded just before. Only the posts are timed, from the moment each was sent.

The server's resident memory is read after a warm-up and after every step,
so the curve over 1,000+ reports shows whether a server keeps what a report
leaves behind.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
import urllib.parse
from typing import Any

from bench.clients import http_call
from bench.procs import Server
from bench.stats import Latency, add_counts, merge_latencies, now_ns
from bench.worker import Kind, WorkerPool, register_kind

# Nidaa's public report form (helpdesk/views/public.py ``report``).
NIDAA_FORM: dict[str, Any] = {
    "path": "/report/",
    "choice_field": "category",
    "fields": {
        "description": "Street light out (make bench).",
        "phone": "9{phone}",
        "address": "Bench street",
        "website": "",
    },
    "wait_seconds": 3.0,
}
# a little past the form's minimum time, as a person takes
WAIT_MARGIN_SECONDS = 0.2
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _first_choice(page: str, field: str) -> str | None:
    select = page.find(f'<select name="{field}"')
    if select < 0:
        return None
    end = page.find("</select>", select)
    for value in re.findall(r'<option value="([^"]*)"', page[select:end]):
        if value:
            return html.unescape(value)
    return None


class IntakeKind(Kind):
    """Files a public report form (``options["intake_form"]``) at a rate."""

    async def cmd_intake(self, count: int, rate: float, first: int) -> dict[str, Any]:
        form = self.options.get("intake_form") or {
            **NIDAA_FORM,
            "wait_seconds": self.options.get("portal_min_seconds", NIDAA_FORM["wait_seconds"]),
        }
        http = self.options["http"][0]
        url = f"{http}{form['path']}"
        latency = Latency()
        errors: dict[str, int] = {}
        late = 0
        lead = form["wait_seconds"] + WAIT_MARGIN_SECONDS
        start = time.monotonic() + lead + 0.05

        def failed(key: str) -> None:
            errors[key] = errors.get(key, 0) + 1

        async def one(number: int) -> None:
            nonlocal late
            due = start + number / rate
            await asyncio.sleep(max(0.0, due - lead - time.monotonic()))
            index = first + number
            ip = self.worker.source_ip("citizen", index)
            try:
                page = await http_call("GET", url, source_ip=ip)
            except (OSError, TimeoutError) as exc:
                failed(f"form {type(exc).__name__}")
                return
            text = page.body.decode(errors="replace")
            choice = _first_choice(text, form["choice_field"])
            if page.status != 200 or choice is None:
                failed(f"form HTTP {page.status}")
                return
            fields = dict(_HIDDEN.findall(text))
            fields[form["choice_field"]] = choice
            for name, value in form["fields"].items():
                fields[name] = value.format(index=index, phone=f"{2000000 + index:07d}")
            # the form's minimum time counts from when the server issued it, which a
            # slow server does late: a person who waited for the page waits from there
            post_at = max(due, time.monotonic() + lead)
            if post_at - due > 0.1:
                late += 1  # the form came back too slowly to post on time
            await asyncio.sleep(max(0.0, post_at - time.monotonic()))
            began = now_ns()
            try:
                answer = await http_call(
                    "POST",
                    url,
                    source_ip=ip,
                    body=urllib.parse.urlencode(fields).encode(),
                    content_type="application/x-www-form-urlencoded",
                    headers={
                        "Cookie": f"csrftoken={page.cookies().get('csrftoken', '')}",
                        "Referer": url,
                    },
                )
            except (OSError, TimeoutError) as exc:
                failed(f"post {type(exc).__name__}")
                return
            if answer.status == 302:
                latency.record_ns(now_ns() - began)
            else:
                failed(f"HTTP {answer.status}")

        began = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(count)))
        return {
            "latency": latency.encode(),
            "errors": errors,
            "late": late,
            "seconds": time.monotonic() - began,
        }


register_kind("intake", IntakeKind)


def _file(pool: WorkerPool, *, count: int, rate: float, first: int) -> list[dict[str, Any]]:
    from bench.runner import _split

    parts = _split(count, len(pool))
    return pool.call_each(
        "call",
        [{"name": "intake", "count": n, "rate": rate / len(pool), "first": first} for n in parts],
    )


def intake(target: Any, server: Server, pool: WorkerPool, profile: Any) -> dict[str, Any]:
    """Warm up, then each rate for its seconds in slices; memory after each slice."""
    from bench.runner import _cpu_percent, _sample

    pool.call("setup", kind="intake", options=target.options)
    first = 0
    warm = _file(pool, count=profile.intake_warm_up, rate=profile.intake_rates[0], first=first)
    first += profile.intake_warm_up
    time.sleep(profile.settle_seconds)
    rss_before = server.rss_kb()
    curve = [[0, rss_before]]
    filed = 0
    steps = []
    for rate in profile.intake_rates:
        answers: list[dict[str, Any]] = []
        sent = 0
        before = _sample(server, pool)
        seconds_left = profile.intake_step_seconds
        while seconds_left > 0:
            slice_seconds = min(profile.intake_slice_seconds, seconds_left)
            count = max(1, round(rate * slice_seconds))
            answers += _file(pool, count=count, rate=rate, first=first)
            first += count
            filed += count
            sent += count
            seconds_left -= slice_seconds
            curve.append([filed, server.rss_kb()])
        after = _sample(server, pool)
        latency = merge_latencies([a["latency"] for a in answers])
        steps.append(
            {
                "rate": rate,
                "sent": sent,
                "taken": latency.count,
                "latency": latency.summary(),
                "errors": add_counts([a["errors"] for a in answers]),
                "late_posts": sum(a["late"] for a in answers),
                **_cpu_percent(before, after),
            }
        )
    time.sleep(profile.settle_seconds)
    rss_after = server.rss_kb()
    curve.append([filed, rss_after])
    pool.call("close")
    return {
        "warm_up": profile.intake_warm_up,
        "warm_up_errors": add_counts([a["errors"] for a in warm]),
        "steps": steps,
        "reports": filed,
        "rss_before_kb": rss_before,
        "rss_after_kb": rss_after,
        "kb_per_report": round((rss_after - rss_before) / max(filed, 1), 2),
        "memory_curve": curve,
        "errors": sum(sum(s["errors"].values()) for s in steps),
    }


def intake_step_at(target: dict[str, Any], rate: int) -> dict[str, Any] | None:
    for step in target.get("intake", {}).get("steps", []):
        if step["rate"] == rate:
            return step
    return None


# ---- the report ------------------------------------------------------------------------------

PEER = "helpdesk_peer"
TARGET_RATE = 40  # the issue: p99 at 40 reports/s no worse than django-helpdesk's
FLAT_MB = 5.0  # "memory flat": at most this much growth over 1,000+ reports
FLAT_REPORTS = 1000


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _times(value: float | None, base: float | None) -> str:
    return "–" if value is None or not base else f"{value / base:.2f}×"


def intake_section(results: dict[str, Any]) -> list[str]:
    """``## Ticket intake: Nidaa's portal form beside django-helpdesk`` (empty when not run)."""
    targets = results["targets"]
    ran = [(name, t) for name, t in targets.items() if "intake" in t]
    skipped = results.get("skipped", {}).get(PEER)
    if not ran and not skipped:
        return []
    peer = targets.get(PEER, {})
    lines = [
        "## Ticket intake: Nidaa's portal form beside django-helpdesk",
        "",
        "The public report form of each, one Daphne process on SQLite, filed by the same client "
        "at each rate, open loop, one citizen per address: load the form, wait its anti-spam "
        "minimum (Nidaa 3 s, the peer has none), post; a 302 is a report taken. Only the posts "
        "are timed. *Late* posts left more than 100 ms after they were due because the form "
        "itself came back slowly. The peer is django-helpdesk 2.6.1 with the Django and Daphne "
        "Nidaa runs, Nidaa's SQLite file settings and Django's default connection handling "
        "(bench/peer_helpdesk.py).",
        "",
    ]
    if skipped:
        lines += [f"**django-helpdesk skipped**: {skipped}", ""]
    lines += [
        "| target | rate /s | posted | taken | p50 ms | p99 ms | max ms | late | errors "
        "| server CPU % | p50 vs peer | p99 vs peer |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, target in ran:
        for step in target["intake"]["steps"]:
            latency = step["latency"]
            base = intake_step_at(peer, step["rate"]) if name != PEER else None
            base_latency = base["latency"] if base else {}
            lines.append(
                f"| {target['label']} | {step['rate']} | {step['sent']} | {step['taken']} | "
                f"{_ms(latency['p50_ms'])} | {_ms(latency['p99_ms'])} | "
                f"{_ms(latency['max_ms'])} | {step['late_posts']} | "
                f"{sum(step['errors'].values())} | {step['server_cpu_percent']} | "
                f"{_times(latency['p50_ms'], base_latency.get('p50_ms'))} | "
                f"{_times(latency['p99_ms'], base_latency.get('p99_ms'))} |"
            )
    lines += [
        "",
        "| target | reports after the warm-up | RSS before MB | RSS after MB | growth MB "
        "| KB per report |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for _name, target in ran:
        intake = target["intake"]
        before, after = intake["rss_before_kb"] / 1024, intake["rss_after_kb"] / 1024
        lines.append(
            f"| {target['label']} | {intake['reports']} | {before:.1f} | {after:.1f} | "
            f"{after - before:.1f} | {intake['kb_per_report']} |"
        )
    return [*lines, ""]


def intake_target_rows(
    label: str, target: dict[str, Any], results: dict[str, Any]
) -> list[tuple[str, Any, str]]:
    """Rows for "The issue's targets": p99 at 40/s against the peer's, and flat memory."""
    intake = target.get("intake")
    if not intake:
        return []
    rows: list[tuple[str, Any, str]] = []
    step = intake_step_at(target, TARGET_RATE)
    peer_step = intake_step_at(results["targets"].get(PEER, {}), TARGET_RATE)
    what = f"{label}: report form p99 at {TARGET_RATE}/s ≤ django-helpdesk's (same run)"
    if step is None:
        rows.append((what, None, "not measured"))
    elif peer_step is None:
        reason = results.get("skipped", {}).get(PEER, "the peer did not run")
        rows.append((what, step["latency"]["p99_ms"], f"not measured: {reason}"))
    else:
        mine, theirs = step["latency"]["p99_ms"], peer_step["latency"]["p99_ms"]
        verdict = (
            "met"
            if mine is not None and theirs is not None and mine <= theirs
            else f"missed: {_times(mine, theirs)} the peer's {_ms(theirs)} ms"
        )
        rows.append((what, f"{_ms(mine)} ms vs {_ms(theirs)} ms", verdict))
    growth = (intake["rss_after_kb"] - intake["rss_before_kb"]) / 1024
    flat = f"{label}: memory flat across {FLAT_REPORTS:,} reports (≤ {FLAT_MB:g} MB growth)"
    if intake["reports"] < FLAT_REPORTS:
        rows.append((flat, f"{growth:.1f} MB", f"not measured: {intake['reports']} reports"))
    else:
        rows.append(
            (
                flat,
                f"{growth:.1f} MB over {intake['reports']}",
                "met" if growth <= FLAT_MB else f"missed by {growth - FLAT_MB:.1f} MB",
            )
        )
    return rows
