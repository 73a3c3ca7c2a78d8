"""The scheduler: SLA reminders and escalations, the notification sweep, nightly retraining,
the daily retention run, and the deletion of uploads no message took
(helpdesk/services/uploads.py)."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from helpdesk.notify.tasks import notification_sweep
from helpdesk.privacy.retention import retention_apply, retention_due
from helpdesk.services.classifier import (
    NothingToLearn,
    classifier_train,
    classifier_train_due,
)
from helpdesk.services.sla import sla_scan
from helpdesk.services.uploads import orphan_uploads_expire

logger = logging.getLogger("helpdesk.scheduler")


class Command(BaseCommand):
    help = (
        "Raise SLA reminders and escalations and re-queue stuck notifications, every interval; "
        "retrain the category classifier once a night; apply the retention periods once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.NIDAA_SCHEDULER_INTERVAL,
            help="Seconds between rounds (default: NIDAA_SCHEDULER_INTERVAL).",
        )

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            logger.info("Scheduler stopping after this round (%s)", signal.strsignal(signum))
            stop.set()

        if not once:
            signal.signal(signal.SIGINT, request_stop)
            signal.signal(signal.SIGTERM, request_stop)
            logger.info("Scheduler running every %s s", interval)
        while True:
            close_old_connections()
            now = timezone.now()
            requeued = notification_sweep(now=now)
            alerts = sla_scan(now=now)
            orphan_uploads_expire(now=now)
            if classifier_train_due(now=now):
                self._train_classifier()
            if retention_due(now=now):
                self._apply_retention()
            if requeued or alerts or once:
                self.stdout.write(
                    f"{now:%Y-%m-%d %H:%M:%S} scheduler: {len(alerts)} SLA alert(s), "
                    f"{requeued} notification(s) re-queued"
                )
            close_old_connections()
            if once or stop.wait(interval):
                return

    def _apply_retention(self) -> None:
        # A failure is logged and retried next round; it must not stop the SLA work.
        try:
            results = retention_apply()
        except Exception:
            logger.exception("Retention run failed")
            return
        counts = ", ".join(f"{r.data_class} {r.count}" for r in results if r.count)
        self.stdout.write(f"scheduler: retention applied ({counts or 'nothing to remove'})")

    def _train_classifier(self) -> None:
        # A failed training leaves the serving model in place and must not stop the SLA work.
        try:
            outcome = classifier_train()
        except NothingToLearn:
            return
        except Exception:
            logger.exception("Nightly classifier training failed")
            return
        self.stdout.write(f"scheduler: classifier model #{outcome.model.pk}: {outcome.model.note}")
