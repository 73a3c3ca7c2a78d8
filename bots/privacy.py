"""What the assistant gathered for a citizen's report, erased with the rest."""

from __future__ import annotations

from bots.models import BotSession
from helpdesk.privacy.erase import ErasureScope


def assistant_erase(scope: ErasureScope) -> dict[str, int]:
    sessions = BotSession.objects.filter(conversation_id__in=scope.conversations)
    return {"assistant_sessions": sessions.update(slots={})}
