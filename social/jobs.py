"""The social channels' scheduled jobs, registered by ``SocialConfig.ready()``.

X has no webhooks we can rely on, so its accounts are polled, each at its own
interval (``XAccount.poll_interval_seconds``, rate limits push the next poll back);
Facebook pages and X activity webhooks arrive through the journal without polling.
"""

from __future__ import annotations

import functools
import logging

from helpdesk.processes import Job
from social.inbox import inbox_sweep
from social.models import XAccount
from social.services import x_account_poll_due

logger = logging.getLogger(__name__)

# How often the scheduler looks for accounts whose interval has passed: the
# granularity of every account's interval, for one query when none is due.
X_POLL_CHECK_SECONDS = 5.0
# The journal's grace (SOCIAL_INBOX_GRACE_SECONDS) is a minute: half of it is soon enough.
INBOX_SWEEP_SECONDS = 30.0


@functools.cache
def _no_account_hint() -> None:
    logger.info("no active X account is configured; add one in the admin")


def x_accounts_poll() -> str:
    """Poll every active X account whose interval has passed into the journal and the queue."""
    accounts = list(XAccount.objects.filter(is_active=True))
    if not accounts:
        _no_account_hint()
    created = {account.handle: x_account_poll_due(account=account) for account in accounts}
    return ", ".join(f"@{handle}: {n} new item(s)" for handle, n in created.items() if n)


def inbox_deliveries_sweep() -> str:
    """Hand the worker again any inbox delivery it never finished (killed mid-parse …)."""
    swept = inbox_sweep()
    return f"{swept} inbox deliveries handed to the worker again" if swept else ""


SOCIAL_JOBS = [
    Job("social.x_poll", x_accounts_poll, every=X_POLL_CHECK_SECONDS),
    Job("social.inbox_sweep", inbox_deliveries_sweep, every=INBOX_SWEEP_SECONDS),
]
