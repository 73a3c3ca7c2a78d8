"""What the assistant gathered for a citizen's report: erased on request, and when stale."""

from __future__ import annotations

import datetime

from bots.models import BotSession, Stage
from helpdesk.privacy.erase import ErasureScope


def assistant_erase(scope: ErasureScope) -> dict[str, int]:
    sessions = BotSession.objects.filter(conversation_id__in=scope.conversations)
    return {"assistant_sessions": sessions.update(slots={})}


def drafts_expire(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Reports the assistant started and nobody finished: what they gathered is forgotten."""
    stale = BotSession.objects.filter(updated_at__lt=cutoff).exclude(slots={})
    if dry_run:
        return stale.count()
    # A report left half-way starts again from the menu if the citizen ever comes back.
    restarted = stale.filter(stage__startswith="report_").update(slots={}, stage=Stage.NEW)
    return restarted + stale.update(slots={})
