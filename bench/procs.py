"""Server processes under test: start on free ports, wait until ready, sample /proc, stop.

Every server is a child process of the benchmark, bound to 127.0.0.1 on a port
picked free by the kernel, and is stopped (SIGTERM, then SIGKILL) when its
scenario ends, even when the benchmark fails.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
LISTEN_BACKLOG = 4096


def raise_fd_limit() -> int:
    """Lift this process's open-file limit to the hard limit; children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kb(pid: int) -> int:
    """Resident memory of a process (VmRSS) in KiB, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_KB
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    # after the ")" closing the command name: state is field 3, utime 14, stime 15
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def open_fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, PermissionError):
        return 0


@dataclass
class Server:
    """One or more processes that together serve the WebSocket endpoints under test."""

    name: str
    ports: list[int]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    log_dir: Path | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def rss_kb(self) -> int:
        return sum(rss_kb(pid) for pid in self.pids)

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        if self.log_dir is None:
            return ""
        out = []
        own = [*self.log_dir.glob(f"{self.name}.log"), *self.log_dir.glob(f"{self.name}-*.log")]
        for path in sorted(own):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(out)


def spawn(
    argv: Sequence[str], *, env: dict[str, str], log_path: Path, cwd: Path = REPO
) -> subprocess.Popen[bytes]:
    log = open(log_path, "ab")  # the child owns it for its whole life
    return subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_listening(ports: Sequence[int], processes: Sequence[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    pending = list(ports)
    while pending:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a server process exited during start-up")
        if time.monotonic() > deadline:
            raise RuntimeError(f"servers did not listen on {pending} within 60 s")
        port = pending[0]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pending.pop(0)
        except OSError:
            time.sleep(0.1)


def daphne_argv(application: str, port: int) -> list[str]:
    # A Twisted endpoint string, so the listen backlog can be raised from Twisted's 50:
    # a reconnect storm otherwise overflows the accept queue and waits for SYN retries.
    return [
        PYTHON,
        "-m",
        "daphne",
        "-e",
        f"tcp:{port}:interface=127.0.0.1:backlog={LISTEN_BACKLOG}",
        "-v",
        "0",
        "--ping-interval",
        "60",
        application,
    ]


def nidaa_web_argv(port: int) -> list[str]:
    """Nidaa's web process as deployed (``manage.py web``), with the baselines' Daphne flags."""
    return [
        PYTHON,
        "manage.py",
        "web",
        "--port",
        str(port),
        "--backlog",
        str(LISTEN_BACKLOG),
        "--ping-interval",
        "60",
        "-v",
        "0",
    ]


def base_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env
