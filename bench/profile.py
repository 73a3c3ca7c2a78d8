"""``--profile``: sample the servers under test with py-spy and say where the time goes.

py-spy (a development dependency) attaches to each server process for the
length of a scenario and writes collapsed stacks; :func:`summarize` turns them
into the functions that hold the most samples, by themselves and including
what they call.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.procs import Server


def attach(server: Server, out: Path, label: str) -> list[subprocess.Popen[bytes]]:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out.mkdir(parents=True, exist_ok=True)
    samplers = []
    for number, pid in enumerate(server.pids):
        path = out / f"{label}-{number}.txt"
        samplers.append(
            subprocess.Popen(
                [
                    py_spy,
                    "record",
                    "-p",
                    str(pid),
                    "-r",
                    "200",
                    "--format",
                    "raw",
                    "--nonblocking",
                    "--idle",
                    "-o",
                    str(path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return samplers


def detach(samplers: list[subprocess.Popen[bytes]]) -> None:
    # py-spy writes its file when the process it samples exits
    for sampler in samplers:
        try:
            sampler.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sampler.kill()


def summarize(path: Path, top: int = 25) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _space, count = line.rpartition(" ")
        if not stack:
            continue
        samples = int(count)
        frames = stack.split(";")
        total += samples
        own[_short(frames[-1])] += samples
        for frame in {_short(f) for f in frames}:
            inclusive[frame] += samples
    if not total:
        return f"{path.name}: no samples"
    lines = [f"{path.name}: {total} samples", "", "self time:"]
    lines += [f"  {100 * n / total:5.1f} %  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "including callees (our code and the libraries it calls):"]
    lines += [
        f"  {100 * n / total:5.1f} %  {frame}"
        for frame, n in inclusive.most_common(top * 3)
        if any(
            part in frame
            for part in (
                "helpdesk/",
                "chat/",
                "channels/",
                "django/db",
                "sqlite",
                "psycopg",
                "redis",
                "daphne/",
                "asgiref",
            )
        )
    ][:top]
    return "\n".join(lines)


def _short(frame: str) -> str:
    # "function (path/to/file.py:123)" -> "function (to/file.py)"
    name, _paren, where = frame.partition(" (")
    where = where.rstrip(")")
    file = where.rsplit(":", 1)[0]
    parts = file.split("/")
    return f"{name} ({'/'.join(parts[-2:])})"
