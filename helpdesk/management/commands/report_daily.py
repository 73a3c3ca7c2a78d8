"""Print one day's report summary (yesterday by default), or e-mail it to the supervisors.

The scheduler e-mails yesterday's every morning when ``NIDAA_DAILY_REPORT_EMAIL``
is on; this command prints any day, or sends it again (``--email``). It exits
non-zero when the mail cannot be sent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from helpdesk.jobs import report_daily_email
from helpdesk.selectors.reports import report_daily_text, report_timezone


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must look like 2026-01-31, not {value!r}") from None


class Command(BaseCommand):
    help = "Print one day's report summary (yesterday by default); --email sends it to supervisors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_day, help="the Muscat day to report (YYYY-MM-DD)")
        parser.add_argument(
            "--email", action="store_true", help="e-mail the summary to every supervisor"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate(timezone=report_timezone())
        day: datetime.date = options["date"] or today - datetime.timedelta(days=1)
        if not options["email"]:
            self.stdout.write(report_daily_text(day=day)[1])
            return
        sent = report_daily_email(day=day)
        if not sent:
            raise CommandError("No active supervisor has an e-mail address.")
        self.stdout.write(f"Sent the report for {day.isoformat()} to {sent} supervisor(s).")
