"""The core's scheduled jobs: what only the passing of time starts (``manage.py scheduler``).

Each job is a function returning a one-line summary ("" when there was nothing
to do); :func:`core_jobs` is their table, registered by ``HelpdeskConfig.ready()``.
The edges register their own jobs the same way (``social/jobs.py``).
"""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from helpdesk.errors import DomainError
from helpdesk.models import Role
from helpdesk.notify.tasks import notification_sweep
from helpdesk.privacy.retention import RETENTION_HOUR, retention_apply, retention_last_applied
from helpdesk.processes import Job
from helpdesk.selectors.reports import report_daily_text, report_timezone
from helpdesk.services.classifier import NothingToLearn, classifier_last_trained, classifier_train
from helpdesk.services.distributor import BroadcastMemo, acd_pass, offers_expire
from helpdesk.services.intake import email_message_ingest
from helpdesk.services.presence import presence_lost_sweep
from helpdesk.services.sla import sla_scan
from helpdesk.services.uploads import orphan_uploads_expire

logger = logging.getLogger(__name__)

# The distributor's clock: offer time-outs are 30 s by default, so 2 s is close enough.
ACD_SWEEP_SECONDS = 2.0

_TOLD = BroadcastMemo()  # what this process's sweeps told consoles and citizens last


def acd_sweep() -> str:
    """Expire unanswered offers, set silent agents off duty, distribute what is waiting.

    The web processes' engine distributes as things change; this is the clock for
    what only time changes, and a safety net. Consoles and citizens hear only what
    changed since the last sweep: an idle center costs a few queries, no events.
    """
    expired = offers_expire()
    lost = presence_lost_sweep()
    handed = acd_pass(memo=_TOLD)
    if not (expired or lost or handed):
        return ""
    return f"{expired} offer(s) expired, {len(lost)} agent(s) lost, {handed} handed out"


def service_sweep() -> str:
    """SLA reminders and escalations, stuck notifications re-queued, orphan uploads deleted."""
    now = timezone.now()
    requeued = notification_sweep(now=now)
    alerts = sla_scan(now=now)
    orphans = orphan_uploads_expire(now=now)
    if not (requeued or alerts or orphans):
        return ""
    return (
        f"{len(alerts)} SLA alert(s), {requeued} notification(s) re-queued, "
        f"{orphans} orphan upload(s) deleted"
    )


def retention_run() -> str:
    results = retention_apply()
    counts = ", ".join(f"{r.data_class} {r.count}" for r in results if r.count)
    return f"retention applied ({counts or 'nothing to remove'})"


def classifier_retrain() -> str:
    """A failed training leaves the serving model in place; the next night tries again."""
    try:
        outcome = classifier_train()
    except NothingToLearn:
        return "nothing to learn yet"
    return f"model #{outcome.model.pk}: {outcome.model.note}"


def report_daily_email(*, day: datetime.date) -> int:
    """E-mail one day's summary to every active supervisor with an address; returns how many
    (0: nobody to send it to)."""
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.SUPERVISOR)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    title, body = report_daily_text(day=day)
    send_mail(title, body, None, recipients, fail_silently=False)
    return len(recipients)


def report_daily_send() -> str:
    yesterday = timezone.localdate(timezone=report_timezone()) - datetime.timedelta(days=1)
    sent = report_daily_email(day=yesterday)
    if not sent:
        logger.warning("no active supervisor has an e-mail address for the daily report")
    return f"report for {yesterday.isoformat()} sent to {sent} supervisor(s)"


def maildir_ingest() -> str:
    """Ingest the messages delivered to ``NIDAA_EMAIL_MAILDIR`` since the last run.

    Reads ``new/`` only and moves each message to ``cur/`` marked seen (the Maildir
    convention for "read"), so every run costs what arrived, not the whole mailbox.
    A message that cannot be read stays in ``new/`` and is tried again next run.
    """
    root = Path(settings.NIDAA_EMAIL_MAILDIR)
    created = known = refused = 0
    for path in sorted((root / "new").iterdir()):
        if path.name.startswith("."):
            continue
        try:
            result = email_message_ingest(path.read_bytes())
        except DomainError as exc:
            refused += 1
            logger.warning("refused the e-mail %s: %s", path.name, exc.message)
        else:
            created += result.created
            known += not result.created
        os.replace(path, root / "cur" / f"{path.name}:2,S")
    if not (created or known or refused):
        return ""
    return f"{created} e-mail(s) ingested, {known} already known, {refused} refused"


def core_jobs() -> list[Job]:
    """The core's table; e-mail ingest and the daily report only where configured."""
    every = float(settings.NIDAA_SCHEDULER_INTERVAL)
    jobs = [
        Job("acd.sweep", acd_sweep, every=ACD_SWEEP_SECONDS),
        Job("service.sweep", service_sweep, every=every),
        Job(
            "classifier.train",
            classifier_retrain,
            at=datetime.time(settings.NIDAA_CLASSIFIER_TRAIN_HOUR),
            last_run=classifier_last_trained,
        ),
        Job(
            "retention.apply",
            retention_run,
            at=datetime.time(RETENTION_HOUR),
            last_run=retention_last_applied,
        ),
    ]
    if settings.NIDAA_DAILY_REPORT_EMAIL:
        at = datetime.time(settings.NIDAA_DAILY_REPORT_HOUR)
        jobs.append(Job("report.daily", report_daily_send, at=at))
    if settings.NIDAA_EMAIL_MAILDIR:
        jobs.append(Job("email.ingest", maildir_ingest, every=every))
    return jobs
