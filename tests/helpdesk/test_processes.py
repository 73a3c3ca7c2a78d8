"""The scheduler's job table and clock, and the stop contract the three processes share."""

from __future__ import annotations

import datetime
import logging
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from helpdesk.processes import Job, Scheduler, registered_jobs, stop_on_signals

MUSCAT = datetime.timezone(datetime.timedelta(hours=4))


@pytest.fixture
def own_signal_handlers() -> Iterator[None]:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGINT, before[0])
    signal.signal(signal.SIGTERM, before[1])


def test_it_schedules_a_daily_job_after_its_last_run() -> None:
    job = Job("nightly", lambda: "", at=datetime.time(3), last_run=lambda: None)
    evening = datetime.datetime(2026, 12, 1, 22, 0, tzinfo=MUSCAT)
    assert job.first_due(evening) == evening  # never ran: at once
    assert job.next_due(evening) == datetime.datetime(2026, 12, 2, 3, 0, tzinfo=MUSCAT)


def test_it_runs_a_daily_job_without_a_record_first_at_its_hour() -> None:
    job = Job("report", lambda: "", at=datetime.time(6))
    morning = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=MUSCAT)
    assert job.first_due(morning) == datetime.datetime(2026, 12, 2, 6, 0, tzinfo=MUSCAT)


def test_it_refuses_a_job_with_no_schedule_or_two() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Job("never", lambda: "")
    with pytest.raises(ValueError, match="exactly one"):
        Job("twice", lambda: "", every=1, at=datetime.time(3))


def test_the_core_registers_the_clock_and_the_edges_their_polls() -> None:
    names = [job.name for job in registered_jobs()]
    assert names[0] == "acd.sweep"
    assert {"service.sweep", "retention.apply", "classifier.train", "social.x_poll"} <= set(names)


def test_it_keeps_running_the_other_jobs_when_one_fails(caplog: Any) -> None:
    ran: list[str] = []

    def broken() -> str:
        raise RuntimeError("gateway down")

    scheduler = Scheduler(
        [Job("broken", broken, every=60), Job("fine", lambda: ran.append("fine") or "ok", every=60)]
    )
    with caplog.at_level(logging.ERROR, logger="helpdesk.processes"):
        done = scheduler.run_due()
    assert done == [("fine", "ok")]
    assert scheduler.failures == 1
    assert "job broken failed" in caplog.text


def test_a_stop_finishes_the_current_job_and_runs_no_other() -> None:
    ran: list[str] = []
    scheduler: Scheduler

    def first() -> str:
        scheduler.stop()  # as if SIGTERM arrived while this job ran
        ran.append("first")
        return ""

    second = Job("second", lambda: ran.append("second") or "", every=1)
    scheduler = Scheduler([Job("first", first, every=0.01), second])
    finished = threading.Event()
    thread = threading.Thread(target=lambda: (scheduler.run_forever(), finished.set()))
    thread.start()
    thread.join(timeout=30)
    assert finished.is_set()
    assert ran == ["first"]


def test_it_logs_a_heartbeat_while_it_runs(caplog: Any) -> None:
    beats = threading.Event()

    class Beat(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("scheduler alive"):
                beats.set()

    scheduler = Scheduler([Job("idle", lambda: "", every=0.05)], heartbeat_seconds=0.1)
    handler = Beat()
    logging.getLogger("helpdesk.processes").addHandler(handler)
    thread = threading.Thread(target=scheduler.run_forever)
    try:
        thread.start()
        assert beats.wait(timeout=30)
    finally:
        scheduler.stop()
        thread.join(timeout=30)
        logging.getLogger("helpdesk.processes").removeHandler(handler)
    assert not thread.is_alive()


def test_the_first_signal_asks_to_stop_and_the_second_exits_1(own_signal_handlers: None) -> None:
    asked: list[bool] = []
    stop_on_signals(lambda: asked.append(True), process="test")
    os.kill(os.getpid(), signal.SIGTERM)
    assert asked == [True]
    with pytest.raises(SystemExit) as exited:
        os.kill(os.getpid(), signal.SIGINT)
    assert exited.value.code == 1
