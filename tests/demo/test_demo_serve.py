"""`make demo`'s last step, `manage.py demo_serve`, as a newcomer meets it: a busy port, Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.management.commands.demo_serve import demo_processes
from tests.support.live import ROOT, live_environment

# Generous: the machine may be busy; the command itself aims at well under 3 s.
STOP_TIMEOUT_SECONDS = 30
READY_TIMEOUT_SECONDS = 120


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    # A session of its own, like a terminal's foreground job: Ctrl-C goes to its group.
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "demo_serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_ready(demo: subprocess.Popen[bytes], log: Path) -> None:
    """Until the banner says the web server answers (it is printed only then)."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while "Press Ctrl-C to stop." not in log.read_text(errors="replace"):
        assert demo.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, "the demo did not start"
        time.sleep(0.2)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …; comm may hold spaces, so split after its closing parenthesis.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_it_runs_the_three_processes_of_a_deployment() -> None:
    commands = [argv[1] for _name, argv in demo_processes(8123) if argv[0].endswith("manage.py")]
    assert commands == ["web", "worker", "scheduler"]


@pytest.mark.postgres
def test_it_refuses_a_busy_port_with_one_message_and_an_error_code(
    transactional_db: None, tmp_path: Path, busy_port: int
) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "demo_serve", "--port", str(busy_port)],
        cwd=ROOT,
        env=live_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode != 0
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in done.stderr
    assert f"make demo PORT={busy_port + 1}" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.postgres
def test_it_stops_every_process_on_ctrl_c(transactional_db: None, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    demo = demo_serve(live_environment(tmp_path), port, log)
    try:
        wait_until_ready(demo, log)
        children = children_of(demo.pid)
        assert len(children) == 3, children
        os.killpg(demo.pid, signal.SIGINT)
        assert demo.wait(timeout=STOP_TIMEOUT_SECONDS) == 0
        assert [pid for pid in children if running(pid)] == []
        assert "Nidaa demo stopped." in log.read_text(errors="replace")
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()


@pytest.mark.postgres
def test_it_exits_with_an_error_when_a_process_dies(transactional_db: None, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    demo = demo_serve(live_environment(tmp_path), port, log)
    try:
        wait_until_ready(demo, log)
        web = next(
            pid
            for pid in children_of(demo.pid)
            if b"\0web\0" in Path(f"/proc/{pid}/cmdline").read_bytes()
        )
        os.kill(web, signal.SIGKILL)
        assert demo.wait(timeout=STOP_TIMEOUT_SECONDS) != 0
        assert "The demo stopped: web could not start or exited" in log.read_text(errors="replace")
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
