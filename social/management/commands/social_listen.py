"""Poll the X accounts configured in the admin, each at its own interval, and sweep the journal.

The sweep hands the worker again any inbox delivery it never finished (a
worker killed between the journal and the parse, an enqueue that failed).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from social.journal import inbox_sweep
from social.models import XAccount
from social.services import x_account_poll_due

logger = logging.getLogger("social.listen")

IDLE_SECONDS = 30  # how often to look again for accounts when none is active


class Command(BaseCommand):
    help = (
        "Poll X mentions and direct messages into the live queue (interval per account) "
        "and hand unfinished inbox deliveries back to the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Poll every due account once.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        warned = False
        while True:
            swept = inbox_sweep()
            if swept or once:
                self.stdout.write(f"social: {swept} inbox deliveries handed to the worker again")
            accounts = list(XAccount.objects.filter(is_active=True))
            if not accounts and not warned:
                logger.info("no active X account is configured; add one in the admin")
                warned = True
            for account in accounts:
                created = x_account_poll_due(account=account)
                if created:
                    logger.info("@%s: %d new item(s)", account.handle, created)
            if once:
                return
            time.sleep(self._sleep_seconds(accounts))
            close_old_connections()  # the database may have dropped us while we slept

    @staticmethod
    def _sleep_seconds(accounts: list[XAccount]) -> float:
        if not accounts:
            return IDLE_SECONDS
        now = timezone.now()
        due = [(a.next_poll_at - now).total_seconds() for a in accounts if a.next_poll_at]
        return min([IDLE_SECONDS, *due]) if due else 1.0
