"""Apply the retention periods: ``retention_apply [--dry-run]`` (the scheduler runs it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helpdesk.privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Remove personal data older than its retention period; print the count per class."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        verb = "would remove" if dry_run else "removed"
        for result in retention_apply(dry_run=dry_run):
            count = "no handler registered" if result.count is None else f"{verb} {result.count}"
            self.stdout.write(f"{result.data_class} (kept {result.days} days): {count}")
