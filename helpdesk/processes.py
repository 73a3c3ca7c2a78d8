"""Nidaa's three long-running processes share one stop contract; the scheduler is a job table.

The processes are ``manage.py web`` (Daphne), ``manage.py worker`` (django-tasks-db's
worker) and ``manage.py scheduler`` (:class:`Scheduler` over the registered jobs).
All three stop the same way, the worker's library way: the first SIGTERM or SIGINT
lets the current piece of work finish (a request's socket close, a task, a job) and
the process exits 0; a second one exits 1 at once.

Jobs are what only time starts: the distributor's clock, sweeps, polls, nightly
work. Each is a plain function in the package that owns the work, registered from
that app's ``AppConfig.ready()`` with :func:`register_job` (so the core never
imports an edge to schedule it). One process runs them one after another, so a
long nightly job delays the two-second clock by its own length; none of them holds
state the next run needs, so a crash loses nothing but the run in progress.
"""

from __future__ import annotations

import datetime
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import FrameType
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60.0


def stop_on_signals(request_stop: Callable[[], None], *, process: str) -> None:
    """The first SIGTERM/SIGINT calls ``request_stop`` (finish, then exit 0); the second exits 1.

    The same contract as django-tasks-db's ``db_worker``, which ``manage.py worker`` runs.
    """
    requested = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        name = signal.strsignal(signum)
        if requested.is_set():
            logger.warning("%s: %s again, stopping now", process, name)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            sys.exit(1)
        requested.set()
        logger.info("%s: %s, stopping after the current work (again to force)", process, name)
        request_stop()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


@dataclass(frozen=True)
class Job:
    """One piece of the scheduler's work: ``run`` every ``every`` seconds, or daily ``at``.

    ``run`` returns a one-line summary of what it did ("" when there was nothing to
    do: nothing is logged then). ``at`` is a local time in ``settings.TIME_ZONE``
    (Asia/Muscat). A daily job that records its runs in the database says when it
    last ran (``last_run``): a scheduler started after the hour then runs it at once
    if today's run is missing; one without runs first at the next ``at``.
    """

    name: str
    run: Callable[[], str]
    every: float | None = None
    at: datetime.time | None = None
    last_run: Callable[[], datetime.datetime | None] | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"job {self.name!r} needs exactly one of every= and at=")
        if self.every is not None and self.every <= 0:
            raise ValueError(f"job {self.name!r}: every= must be positive")

    @property
    def schedule(self) -> str:
        if self.at is not None:
            return f"daily at {self.at:%H:%M}"
        return f"every {self.every:g} s"

    def first_due(self, now: datetime.datetime) -> datetime.datetime:
        if self.at is None:
            return now
        if self.last_run is not None:
            last = self.last_run()
            if last is None or last < _daily_before(self.at, now):
                return now
        return _daily_after(self.at, now)

    def next_due(self, ran: datetime.datetime) -> datetime.datetime:
        if self.every is not None:
            return ran + datetime.timedelta(seconds=self.every)
        assert self.at is not None
        return _daily_after(self.at, ran)


def _daily_before(at: datetime.time, now: datetime.datetime) -> datetime.datetime:
    """The latest moment at or before ``now`` when the local clock showed ``at``."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    moment = datetime.datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    return moment if moment <= local else moment - datetime.timedelta(days=1)


def _daily_after(at: datetime.time, now: datetime.datetime) -> datetime.datetime:
    return _daily_before(at, now) + datetime.timedelta(days=1)


_JOBS: dict[str, Job] = {}


def register_job(job: Job) -> None:
    """Add a job to the scheduler's table (from an ``AppConfig.ready()``); names are unique."""
    if job.name in _JOBS and _JOBS[job.name] != job:
        raise ValueError(f"a job named {job.name!r} is registered already")
    _JOBS[job.name] = job


def registered_jobs() -> list[Job]:
    """The table, in registration order: the core's jobs first (its app comes first)."""
    return list(_JOBS.values())


class Scheduler:
    """Runs each job when it is due, one at a time, until told to stop."""

    def __init__(self, jobs: Iterable[Job], *, heartbeat_seconds: float = HEARTBEAT_SECONDS):
        self.jobs = list(jobs)
        self.heartbeat = datetime.timedelta(seconds=heartbeat_seconds)
        self.stopping = threading.Event()
        self.runs = 0
        self.failures = 0
        now = timezone.now()
        self.due = {job.name: job.first_due(now) for job in self.jobs}

    def stop(self) -> None:
        """Finish the job in progress, run no other."""
        self.stopping.set()

    def run_due(self) -> list[tuple[str, str]]:
        """Run every job whose time has come (each once), unless a stop was asked for.

        Returns (name, summary) for each job that ran and did something.
        """
        done = []
        for job in self.jobs:
            if self.stopping.is_set():
                break
            now = timezone.now()
            if self.due[job.name] > now:
                continue
            summary = self._run(job)
            self.due[job.name] = job.next_due(now)
            if summary:
                done.append((job.name, summary))
        return done

    def _run(self, job: Job) -> str:
        self.runs += 1
        try:
            return job.run()
        except Exception:
            # One failing job must not stop the others; it runs again when next due.
            self.failures += 1
            logger.exception("job %s failed", job.name)
            return ""

    def run_forever(self) -> None:
        """The clock: run what is due, sleep until the next job is due, until :meth:`stop`."""
        logger.info(
            "scheduler started: %s",
            "; ".join(f"{job.name} {job.schedule}" for job in self.jobs) or "no jobs",
        )
        beat = timezone.now()
        while not self.stopping.is_set():
            close_old_connections()  # the database may have dropped us while we slept
            for name, summary in self.run_due():
                logger.info("%s: %s", name, summary)
            now = timezone.now()
            if now - beat >= self.heartbeat:
                self._heartbeat()
                beat = now
            # Never sleep past the heartbeat: a clock change is noticed within one beat.
            wake = min([*self.due.values(), beat + self.heartbeat])
            self.stopping.wait(max(0.0, (wake - timezone.now()).total_seconds()))
        close_old_connections()
        logger.info("scheduler stopped after %d job run(s)", self.runs)

    def _heartbeat(self) -> None:
        name, due = min(self.due.items(), key=lambda item: item[1]) if self.due else ("-", None)
        logger.info(
            "scheduler alive: %d job run(s), %d failed; next %s at %s",
            self.runs,
            self.failures,
            name,
            f"{timezone.localtime(due):%H:%M:%S}" if due else "-",
        )
