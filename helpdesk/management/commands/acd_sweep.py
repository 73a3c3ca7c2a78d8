"""The distributor's clock: expire offers, notice lost agents, distribute, tell the citizens.

Runs beside the web processes (one is enough; several are harmless, every step
is race-free). ``--once`` runs a single round, for cron or tests. The web
processes' engine distributes as things change; this is the clock for what
only time changes (offers expiring, agents silent too long), and a safety net.
Consoles and citizens hear from a round only what changed since the last one:
an idle center costs a few queries every round, no events.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from helpdesk.services.distributor import BroadcastMemo, acd_pass, offers_expire
from helpdesk.services.presence import presence_lost_sweep

_TOLD = BroadcastMemo()  # what this process's rounds told consoles and citizens last


def sweep_once() -> dict[str, int]:
    expired = offers_expire()
    lost = presence_lost_sweep()
    handed = acd_pass(memo=_TOLD)
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
