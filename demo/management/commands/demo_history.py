"""Write a month of past activity for the demo (demo/history.py); once only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.history import history_generate


class Command(BaseCommand):
    help = (
        "Generate past chats, social posts, calls, tickets through every tier, ratings and SLA "
        "misses for the demo (after demo_setup). Runs once: a second run writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="days of history (default 30)")
        parser.add_argument(
            "--seed", type=int, default=1111, help="the same seed, the same history"
        )

    def handle(self, *args: Any, days: int, seed: int, **options: Any) -> None:
        if not 1 <= days <= 366:
            raise CommandError("--days must be between 1 and 366.")
        try:
            summary = history_generate(days=days, seed=seed)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if summary.skipped:
            self.stdout.write("Demo history already present: nothing written.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo history for {days} days: {summary.conversations} conversations, "
                f"{summary.messages} messages, {summary.tickets} tickets, "
                f"{summary.ticket_events} ticket events, {summary.alerts} SLA alerts."
            )
        )
