"""The distributor's clock: expire offers, notice lost agents, distribute, tell the citizens.

Runs beside the web processes (one is enough; several are harmless, every step
is race-free). ``--once`` runs a single round, for cron or tests.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from helpdesk.services.distributor import distribute, offers_expire
from helpdesk.services.presence import presence_lost_sweep


def sweep_once() -> dict[str, int]:
    expired = offers_expire()
    lost = presence_lost_sweep()
    handed = distribute()
    return {"offers_expired": expired, "agents_lost": len(lost), "handed_out": handed}


class Command(BaseCommand):
    help = "Expire unanswered offers, requeue lost agents' conversations and distribute the queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one round and stop")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            result = sweep_once()
            if any(result.values()) or options["once"]:
                self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
            if options["once"]:
                return
            time.sleep(options["interval"])
