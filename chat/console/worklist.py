"""The staff worklists' live channel at ``/ws/work/`` (dispatcher, section, partner pages).

Read-only: the page sends heartbeats; the server forwards ``ticket.changed`` and
``reminder.new`` for the tickets the user may see, and the page fetches its lists
afresh. The groups follow the role's scope: dispatchers and supervisors hear every
ticket, section staff their sections' tickets, a partner's users what was
forwarded to their agency. Like the console, the socket closes with 4401 after
``session.ended`` when the session ends (logout, deactivation, a new password or
role: helpdesk/staff_sessions.py), and every frame checks the session first.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from chat.frames import WORKLIST_FRAMES, FrameError
from chat.sockets import StaffSocket, scope_language
from helpdesk import events
from helpdesk.models import AgentProfile, Role

CLOSE_FORBIDDEN = 4403


def worklist_groups(user: Any) -> list[str]:
    """The groups whose ticket events this user's worklists show (empty: no worklist)."""
    if user is None or not user.is_authenticated:
        return []
    profile = AgentProfile.objects.filter(user_id=user.pk).first()
    if profile is None:
        return []
    if profile.role in (Role.DISPATCHER, Role.SUPERVISOR):
        return [events.role_group(Role.DISPATCHER)]
    if profile.role == Role.SECTION_STAFF:
        return [events.section_group(pk) for pk in profile.sections.values_list("pk", flat=True)]
    if profile.role == Role.PARTNER and profile.partner_id is not None:
        return [events.partner_group(profile.partner_id)]
    return []


class WorklistConsumer(StaffSocket):
    async def connect(self) -> None:
        await self.accept()
        self.joined = await events.call(worklist_groups, self.scope.get("user"))
        if not self.joined:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.language = scope_language(self.scope)
        self.joined.extend(await self.session_begin(self.scope["user"]))
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if not await self.session_checked():
            return
        with translation.override(self.language):
            try:
                WORKLIST_FRAMES.parse(text_data)  # a heartbeat: the only frame the page sends
            except FrameError as exc:
                await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
                return
        await self.send_json({"type": "heartbeat"})

    async def nidaa_event(self, event: dict[str, Any]) -> None:
        handler = getattr(self, events.handler_name(event["event"]), None)
        if handler is not None:
            await handler(event["event"], event["payload"])

    async def forward(self, kind: str, payload: dict[str, Any]) -> None:
        """The page fetches its lists afresh on these."""
        await self.send_json({"type": kind, **payload})

    on_ticket_changed = on_reminder_new = forward
