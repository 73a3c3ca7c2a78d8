"""Print one day's report summary (yesterday by default), or e-mail it to the supervisors.

Meant for cron, e.g. ``15 6 * * * manage.py report_daily --email``: it exits
non-zero when the mail cannot be sent, so cron reports the failure.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import Role
from helpdesk.selectors.reports import ReportFilter, Table, report_tables, report_timezone


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must look like 2026-01-31, not {value!r}") from None


def tables_as_text(tables: list[Table]) -> str:
    lines: list[str] = []
    for table in tables:
        lines += ["", table.title, "-" * len(table.title)]
        if not table.rows:
            lines.append(_("Nothing in this period."))
            continue
        lines.append(" | ".join(str(column) for column in table.columns))
        for row in table.rows:
            lines.append(" | ".join("—" if value is None else str(value) for value in row))
    return "\n".join(lines) + "\n"


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
        filters = ReportFilter(start=day, end=day)
        title = _("Nidaa daily report for %(day)s") % {"day": day.isoformat()}
        body = title + "\n" + tables_as_text(report_tables(filters=filters))
        if not options["email"]:
            self.stdout.write(body)
            return
        recipients = list(
            get_user_model()
            .objects.filter(is_active=True, profile__role=Role.SUPERVISOR)
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
        )
        if not recipients:
            raise CommandError("No active supervisor has an e-mail address.")
        send_mail(title, body, None, recipients, fail_silently=False)
        self.stdout.write(
            f"Sent the report for {day.isoformat()} to {len(recipients)} supervisor(s)."
        )
