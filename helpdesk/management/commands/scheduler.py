"""The scheduler process: every registered job (helpdesk/processes.py) at its time.

Run exactly one. ``--once`` runs what is due now (every periodic job, and a daily
job whose run today is missing) and exits, for an operator or a test;
``--job NAME`` limits either mode to the named jobs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpdesk.processes import Scheduler, registered_jobs, stop_on_signals


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs: the distributor's clock every 2 s, SLA and outbox sweeps, "
        "social polling, nightly retraining, daily retention (and the daily report and "
        "e-mail ingest where configured). SIGTERM or Ctrl-C finishes the current job, exits 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
        parser.add_argument(
            "--job",
            action="append",
            default=[],
            metavar="NAME",
            help="only this job (repeatable); --list shows the names",
        )
        parser.add_argument(
            "--list", action="store_true", dest="list_jobs", help="print the job table and exit"
        )

    def handle(
        self, *args: Any, once: bool, job: list[str], list_jobs: bool, **options: Any
    ) -> None:
        jobs = registered_jobs()
        unknown = set(job) - {j.name for j in jobs}
        if unknown:
            raise CommandError(f"No job named {', '.join(sorted(unknown))} (see --list).")
        if job:
            jobs = [j for j in jobs if j.name in job]
        if list_jobs:
            for entry in jobs:
                self.stdout.write(f"{entry.name:<20} {entry.schedule}")
            return
        scheduler = Scheduler(jobs)
        if once:
            for name, summary in scheduler.run_due():
                self.stdout.write(f"{name}: {summary}")
            if scheduler.failures:
                raise CommandError(f"{scheduler.failures} job(s) failed (their errors are above).")
            return
        stop_on_signals(scheduler.stop, process="scheduler")
        scheduler.run_forever()
