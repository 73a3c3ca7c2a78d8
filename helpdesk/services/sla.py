"""SLA targets and follow-up: reminders, escalations and call-back reminders.

Targets are business minutes on the organisation's calendar (Sunday–Thursday,
working hours, public holidays). :func:`sla_scan` is what the scheduler runs:
it reminds the section when a ticket has used ``reminder_percent`` of its
resolution time, escalates to dispatchers and supervisors when it is overdue,
and reminds dispatchers of solved tickets still waiting for the citizen's
call-back. Each alert happens once per ticket and due time (``SLAAlert``'s
unique constraint), is recorded on the ticket, published to the workspaces and
sent by e-mail.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from helpdesk import events
from helpdesk.business_hours import Calendar
from helpdesk.models import (
    NotificationEvent,
    NotificationLanguage,
    Role,
    SLAAlert,
    SLAAlertKind,
    SLAPolicy,
    SLATarget,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.models.people import NotifyChannel
from helpdesk.roles import SYSTEM_ROLE
from helpdesk.services.notifications import Route, notification_queue, staff_emails

logger = logging.getLogger(__name__)

WITH_THE_SECTION = (TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS)
NOT_YET_SOLVED = (
    TicketStatus.REGISTERED,
    TicketStatus.DISPATCHED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RETURNED,
    TicketStatus.REOPENED,
    TicketStatus.FORWARDED_EXTERNAL,
)


def sla_targets(policy: SLAPolicy, priority: str | None) -> tuple[int, int]:
    """(first response, resolution) minutes for ``priority``; the policy's own by default."""
    if priority:
        target = SLATarget.objects.filter(policy=policy, priority=priority).first()
        if target is not None:
            return target.first_response_minutes, target.resolution_minutes
    return policy.first_response_minutes, policy.resolution_minutes


def reminder_moment(
    calendar: Calendar, *, start: datetime.datetime, due: datetime.datetime, percent: int
) -> datetime.datetime:
    """When ``percent`` of the business time between ``start`` and ``due`` has passed."""
    total = calendar.business_minutes_between(start, due)
    return calendar.add_business_minutes(start, total * percent // 100)


def _without_alert(tickets: QuerySet[Ticket], kind: str, due_field: str) -> QuerySet[Ticket]:
    alerted = SLAAlert.objects.filter(ticket=OuterRef("pk"), kind=kind, due_at=OuterRef(due_field))
    return tickets.filter(~Exists(alerted))


def sla_scan(*, now: datetime.datetime) -> list[SLAAlert]:
    """Raise every alert that is due at ``now`` and was not raised before."""
    calendar = Calendar.load()
    raised: list[SLAAlert] = []
    tickets = Ticket.objects.select_related(
        "category__sla_policy", "section__directorate", "contact", "partner"
    )
    upcoming = tickets.filter(
        status__in=WITH_THE_SECTION, registered_at__isnull=False, resolution_due__gt=now
    )
    for ticket in _without_alert(upcoming, SLAAlertKind.REMINDER, "resolution_due"):
        assert ticket.registered_at is not None and ticket.resolution_due is not None
        moment = reminder_moment(
            calendar,
            start=ticket.registered_at,
            due=ticket.resolution_due,
            percent=ticket.category.sla_policy.reminder_percent,
        )
        if now >= moment:
            raised += _alert(ticket, SLAAlertKind.REMINDER, due_at=ticket.resolution_due)
    overdue = tickets.filter(status__in=NOT_YET_SOLVED, resolution_due__lte=now)
    for ticket in _without_alert(overdue, SLAAlertKind.ESCALATION, "resolution_due"):
        assert ticket.resolution_due is not None
        raised += _alert(ticket, SLAAlertKind.ESCALATION, due_at=ticket.resolution_due)
    waiting = tickets.filter(status=TicketStatus.RESOLVED, resolved_at__isnull=False)
    for ticket in waiting:
        assert ticket.resolved_at is not None
        due = calendar.add_business_minutes(ticket.resolved_at, settings.NIDAA_CALLBACK_DUE_MINUTES)
        if now >= due:
            raised += _alert(ticket, SLAAlertKind.CALLBACK, due_at=due)
    return raised


_EVENT_KIND = {
    SLAAlertKind.REMINDER: TicketEventKind.REMINDER,
    SLAAlertKind.ESCALATION: TicketEventKind.ESCALATION,
    SLAAlertKind.CALLBACK: TicketEventKind.REMINDER,
}
_TEMPLATE = {
    SLAAlertKind.REMINDER: NotificationEvent.REMINDER,
    SLAAlertKind.ESCALATION: NotificationEvent.ESCALATION,
    SLAAlertKind.CALLBACK: NotificationEvent.CALLBACK_DUE,
}


def _recipients(ticket: Ticket, kind: str) -> list[str]:
    if kind == SLAAlertKind.REMINDER:
        section = [ticket.section.email] if ticket.section.email else []
        return sorted({*section, *staff_emails(section_id=ticket.section_id)})
    if kind == SLAAlertKind.ESCALATION:
        return staff_emails(roles=[Role.DISPATCHER, Role.SUPERVISOR])
    return staff_emails(roles=[Role.DISPATCHER])


def _groups(ticket: Ticket, kind: str) -> list[str]:
    """The worklists that hear of the alert (a supervisor's joins the dispatchers')."""
    groups = [events.role_group(Role.DISPATCHER)]
    if kind in (SLAAlertKind.REMINDER, SLAAlertKind.ESCALATION):
        groups.append(events.section_group(ticket.section_id))
    return groups


def _alert(ticket: Ticket, kind: str, *, due_at: datetime.datetime) -> list[SLAAlert]:
    """Raise one alert, or nothing if another scheduler run already raised it."""
    try:
        with transaction.atomic():
            alert = SLAAlert.objects.create(ticket=ticket, kind=kind, due_at=due_at)
            event = TicketEvent.objects.create(
                ticket=ticket,
                kind=_EVENT_KIND[SLAAlertKind(kind)],
                actor_role=SYSTEM_ROLE,
                data={"sla": kind, "due_at": due_at.isoformat()},
            )
            alert.event = event
            alert.save(update_fields=["event"])
            for address in _recipients(ticket, kind):
                notification_queue(
                    ticket=ticket,
                    template_key=_TEMPLATE[SLAAlertKind(kind)],
                    route=Route(NotifyChannel.EMAIL, address),
                    language=NotificationLanguage.BILINGUAL,
                    source=f"sla-alert:{alert.pk}",
                    event=event,
                )
            payload = {"ticket": ticket.pk, "reference": ticket.reference, "kind": kind}
            for group in _groups(ticket, kind):
                events.publish(group, "reminder.new", payload)
    except IntegrityError:
        return []
    logger.info("SLA %s for %s (due %s)", kind, ticket.reference, due_at.isoformat())
    return [alert]
