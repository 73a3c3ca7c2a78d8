"""A month of past activity for the demo, so that reports, charts and the wallboard show a picture.

Web chats, X and Facebook posts, phone calls, portal and app reports and
e-mails; tickets through every tier (dispatcher, sections, partner agencies),
returns, reopenings, SLA misses and their alerts; satisfaction ratings. Every
row is a real model row with back-dated timestamps, written in bulk: going
through the live services would send SMS and e-mails for a past that never
happened (each transition queues notifications) and would take minutes on
SQLite, where this takes seconds. The shapes follow the services: the same
lifecycle (``helpdesk.services.tickets.TRANSITIONS``), the same due dates (the
organisation's calendar and SLA targets), the same reference numbers.

The same ``seed`` and ``now`` give the same history. Conversations it writes are
marked by their thread id (:data:`THREAD_PREFIX`); a second run finds them and
writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from helpdesk.business_hours import Calendar
from helpdesk.models import (
    CannedReply,
    Category,
    Channel,
    Contact,
    Conversation,
    ConversationState,
    Disposition,
    Message,
    Partner,
    Role,
    Section,
    SenderKind,
    SLAAlert,
    SLAAlertKind,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.roles import SYSTEM_ROLE
from helpdesk.services.classifier import SHIPPED_EXAMPLES
from helpdesk.services.sla import reminder_moment, sla_targets
from helpdesk.services.tickets import _next_reference

THREAD_PREFIX = "history:"
# Which partner agency takes a category's remarks (the categories of the liaison section).
PARTNERS_BY_CATEGORY = {
    "telecom": ("omantel", "ooredoo"),
    "water_services": ("haya_water",),
    "tourism": ("heritage_tourism",),
    "consumer": ("consumer_protection",),
}
ENQUIRIES = ("general_enquiry", "building_permit_enquiry")
# Contacts per hour of a Muscat working day (07:00–21:59), busiest mid-morning and evening.
HOURLY_WEIGHTS = [3, 6, 9, 10, 9, 7, 5, 4, 4, 5, 6, 7, 7, 5, 3]
CHANNEL_WEIGHTS = {Channel.WEBCHAT: 60, Channel.X: 18, Channel.FACEBOOK: 22}
ONE_SECOND = datetime.timedelta(seconds=1)

ARABIC_NAMES = [
    "أحمد البلوشي",
    "فاطمة الحارثية",
    "سعيد الراشدي",
    "مريم الهنائية",
    "خالد العامري",
    "عائشة الكندية",
    "محمد السيابي",
    "زينب اللواتية",
    "يوسف المعمري",
    "شيخة الشكيلية",
    "سالم الغافري",
    "نورة البوسعيدية",
    "حمد الفارسي",
    "أسماء الرواحية",
    "علي الوهيبي",
    "هدى النعمانية",
]
ENGLISH_NAMES = ["Priya Nair", "John Carter", "Fatima Khan", "Rahul Menon", "Sarah Lewis"]


@dataclass
class HistorySummary:
    conversations: int = 0
    messages: int = 0
    tickets: int = 0
    ticket_events: int = 0
    alerts: int = 0
    skipped: bool = False


@dataclass
class _Event:
    at: datetime.datetime
    kind: str
    actor: Any
    role: str
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    public: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Cast:
    """The demo staff who appear in the history."""

    agents: list[Any]
    supervisor: Any
    dispatcher: Any
    section_user: Any
    section_ids: set[int]
    partner_user: Any
    partner_code: str


def history_exists() -> bool:
    return Conversation.objects.filter(external_thread_id__startswith=THREAD_PREFIX).exists()


def history_generate(
    *, days: int = 30, seed: int = 1111, now: datetime.datetime | None = None
) -> HistorySummary:
    """Write ``days`` days of past activity up to ``now``; nothing if it was written before."""
    if history_exists():
        return HistorySummary(skipped=True)
    now = now or timezone.now()
    with (
        transaction.atomic(),
        _back_dated(Contact, Conversation, Message, Ticket, TicketEvent, SLAAlert),
    ):
        rng = random.Random(seed)  # noqa: S311 - a demo's history, not a secret
        return _Generator(rng, now, days).run()


class _Generator:
    def __init__(self, rng: random.Random, now: datetime.datetime, days: int) -> None:
        self.rng = rng
        self.now = now
        self.days = days
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.calendar = Calendar.load()
        self.cast = _cast()
        self.categories = {
            c.code: c
            for c in Category.objects.filter(is_active=True).select_related(
                "sla_policy", "default_section"
            )
        }
        self.sections = list(Section.objects.filter(is_active=True))
        self.partners = {p.code: p for p in Partner.objects.filter(is_active=True)}
        self.targets: dict[tuple[int, str], tuple[int, int]] = {}
        self.texts = _texts(set(self.categories))
        self.canned = {r.code: r for r in CannedReply.objects.filter(is_active=True)}
        self.summary = HistorySummary()

    # ---- the whole run --------------------------------------------------------------

    def run(self) -> HistorySummary:
        contacts = self._contacts()
        conversations: list[tuple[Conversation, list[Message], dict[str, Any]]] = []
        standalone: list[dict[str, Any]] = []
        today = timezone.localtime(self.now, self.tz).date()
        for offset in range(self.days, -1, -1):
            day = today - datetime.timedelta(days=offset)
            working = self.calendar.is_working_day(day)
            for at in self._arrivals(day, 70 if working else 25):
                conversations.append(self._conversation(at, self.rng.choice(contacts)))
            if working:
                for channel, count in (
                    (Channel.PHONE, self.rng.randint(6, 11)),
                    (Channel.PORTAL, self.rng.randint(2, 5)),
                    (Channel.MOBILE_APP, self.rng.randint(2, 5)),
                    (Channel.EMAIL, self.rng.randint(0, 2)),
                ):
                    for at in self._arrivals(day, count, office_hours=True):
                        standalone.append(
                            {"at": at, "channel": channel, "contact": self.rng.choice(contacts)}
                        )
        self._save_conversations(conversations)
        tickets = [spec for _c, _m, spec in conversations if spec.get("ticket")]
        tickets += [self._standalone_ticket(spec) for spec in standalone]
        tickets.sort(key=lambda spec: spec["at"])
        self._save_tickets(tickets)
        return self.summary

    def _arrivals(
        self, day: datetime.date, count: int, *, office_hours: bool = False
    ) -> list[datetime.datetime]:
        hours = list(range(7, 22))
        weights = HOURLY_WEIGHTS
        if office_hours:
            hours, weights = list(range(8, 14)), [6, 9, 10, 9, 7, 5]
        count = max(0, round(count * self.rng.uniform(0.8, 1.2)))
        found = []
        for _ in range(count):
            hour = self.rng.choices(hours, weights)[0]
            local = datetime.datetime.combine(
                day, datetime.time(hour, self.rng.randrange(60), self.rng.randrange(60)), self.tz
            )
            if local < self.now - datetime.timedelta(minutes=20):
                found.append(local)
        return sorted(found)

    # ---- contacts -----------------------------------------------------------------

    def _contacts(self) -> list[Contact]:
        contacts = []
        for index in range(240):
            english = self.rng.random() < 0.15
            name = self.rng.choice(ENGLISH_NAMES if english else ARABIC_NAMES)
            contacts.append(
                Contact(
                    name=name,
                    phone=f"+9689{self.rng.randrange(1000000, 9999999)}",
                    language="en" if english else "ar",
                    email=f"citizen{index}@example.om" if self.rng.random() < 0.3 else "",
                )
            )
        since = self.now - datetime.timedelta(days=self.days + 1)
        for contact in contacts:
            contact.created_at = since
        return Contact.objects.bulk_create(contacts)

    # ---- conversations ------------------------------------------------------------

    def _conversation(
        self, at: datetime.datetime, contact: Contact
    ) -> tuple[Conversation, list[Message], dict[str, Any]]:
        rng = self.rng
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        language = contact.language
        code = rng.choice(list(self.texts))
        text = rng.choice(self.texts[code].get(language) or self.texts[code]["any"])
        category = self.categories[code]
        conversation = Conversation(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            channel=channel,
            contact=contact,
            external_thread_id=f"{THREAD_PREFIX}{channel}:{rng.getrandbits(48):x}",
            state=ConversationState.CLOSED,
            language=language,
            required_skill_id=category.skill_id,
            category=category,
            subject=text[:300],
        )
        conversation.created_at = at
        lines: list[tuple[datetime.datetime, str, Any, str]] = [
            (at, SenderKind.CITIZEN, None, text)
        ]
        spec: dict[str, Any] = {"at": at, "category": category, "contact": contact}
        clock = at
        # The assistant meets most web chats and Messenger messages first; it answers some alone.
        if channel != Channel.X and rng.random() < 0.6:
            clock += datetime.timedelta(seconds=rng.randint(20, 150))
            lines.append((at + 2 * ONE_SECOND, SenderKind.BOT, None, _bot_line(language)))
            if (code in ENQUIRIES and rng.random() < 0.6) or rng.random() < 0.12:
                conversation.closed_at = clock
                conversation.disposition = Disposition.ANSWERED
                return conversation, self._messages(conversation, lines), spec
        conversation.queued_at = clock
        wait = self._wait(clock)
        patience = rng.expovariate(1 / 150)
        if wait > patience:
            # Abandoned: the citizen left before an agent answered.
            conversation.closed_at = clock + datetime.timedelta(seconds=patience)
            conversation.disposition = Disposition.NO_RESPONSE
            return conversation, self._messages(conversation, lines), spec
        agent = rng.choices([*self.cast.agents, self.cast.supervisor], [55, 40, 5])[0]
        assigned = clock + datetime.timedelta(seconds=wait)
        conversation.assignee = agent
        conversation.assigned_at = assigned
        handle = datetime.timedelta(seconds=rng.randint(120, 720))
        conversation.closed_at = min(assigned + handle, self.now - ONE_SECOND)
        name = contact.name.split()[0]
        lines.append(
            (
                assigned + 5 * ONE_SECOND,
                SenderKind.AGENT,
                agent,
                self._canned("greeting", language, name=name),
            )
        )
        ticket = code not in ENQUIRIES and rng.random() < 0.5
        if ticket:
            spec.update(ticket=True, channel=channel, created_by=agent, created_at=assigned)
            spec["at"] = assigned + handle / 2
            conversation.disposition = Disposition.TICKET_CREATED
        else:
            conversation.disposition = rng.choice(
                [
                    Disposition.ANSWERED,
                    Disposition.ANSWERED,
                    Disposition.STATUS_GIVEN,
                    Disposition.REFERRED,
                ]
            )
        lines.append(
            (
                conversation.closed_at - 5 * ONE_SECOND,
                SenderKind.AGENT,
                agent,
                self._canned("closing", language, name=name),
            )
        )
        if rng.random() < 0.45:
            conversation.rating = self._rating(wait)
        spec["conversation"] = conversation
        return conversation, self._messages(conversation, lines), spec

    def _wait(self, at: datetime.datetime) -> float:
        """Seconds in the queue: short when quiet, longer at the busy hours."""
        hour = timezone.localtime(at, self.tz).hour
        busy = HOURLY_WEIGHTS[min(max(hour - 7, 0), len(HOURLY_WEIGHTS) - 1)] >= 9
        return self.rng.expovariate(1 / (13 if busy else 7))

    def _rating(self, wait: float) -> int:
        weights = [6, 7, 12, 30, 45] if wait < 30 else [14, 14, 22, 28, 22]
        return self.rng.choices([1, 2, 3, 4, 5], weights)[0]

    def _canned(self, code: str, language: str, **values: str) -> str:
        reply = self.canned.get(code)
        if reply is None:
            return "…"
        text = reply.text_en if language == "en" else reply.text_ar
        return text.replace("{name}", values.get("name", "")).replace(
            "{reference}", values.get("reference", "")
        )

    def _messages(
        self, conversation: Conversation, lines: list[tuple[datetime.datetime, str, Any, str]]
    ) -> list[Message]:
        messages = []
        for seq, (at, kind, user, text) in enumerate(sorted(lines, key=lambda x: x[0]), start=1):
            message = Message(
                seq=seq,
                sender_kind=kind,
                sender_user=user,
                text=text,
                channel=conversation.channel,
                delivered_at=at,
            )
            message.created_at = at
            messages.append(message)
        conversation.last_seq = len(messages)
        return messages

    def _save_conversations(
        self, rows: list[tuple[Conversation, list[Message], dict[str, Any]]]
    ) -> None:
        created = Conversation.objects.bulk_create([c for c, _m, _s in rows], batch_size=500)
        messages = []
        for conversation, rows_messages, _spec in rows:
            for message in rows_messages:
                message.conversation = conversation
                messages.append(message)
        saved = Message.objects.bulk_create(messages, batch_size=1000)
        self.summary.conversations = len(created)
        self.summary.messages = len(saved)

    # ---- tickets ------------------------------------------------------------------

    def _standalone_ticket(self, spec: dict[str, Any]) -> dict[str, Any]:
        code = self.rng.choice([c for c in self.texts if c not in ENQUIRIES])
        staff_logged = spec["channel"] in (Channel.PHONE, Channel.EMAIL)
        return {
            **spec,
            "ticket": True,
            "category": self.categories[code],
            "created_by": self.rng.choice(self.cast.agents) if staff_logged else None,
            "created_at": spec["at"],
            "conversation": None,
        }

    def _save_tickets(self, specs: list[dict[str, Any]]) -> None:
        tickets: list[Ticket] = []
        stories: list[list[_Event]] = []
        for spec in specs:
            ticket, story = self._ticket(spec)
            if ticket is not None:
                tickets.append(ticket)
                stories.append(story)
        for ticket, story in zip(tickets, stories, strict=True):
            ticket.updated_at = story[-1].at
        created = Ticket.objects.bulk_create(tickets, batch_size=500)
        events: list[TicketEvent] = []
        for ticket, story in zip(created, stories, strict=True):
            for step in story:
                event = TicketEvent(
                    ticket=ticket,
                    kind=step.kind,
                    actor=step.actor,
                    actor_role=step.role,
                    from_status=step.from_status,
                    to_status=step.to_status,
                    note=step.note,
                    is_public=step.public,
                    data=step.data,
                )
                event.created_at = step.at
                events.append(event)
        saved = TicketEvent.objects.bulk_create(events, batch_size=1000)
        self._save_alerts([e for e in saved if e.kind != TicketEventKind.TRANSITION])
        self.summary.tickets = len(created)
        self.summary.ticket_events = len(saved)

    def _save_alerts(self, events: Iterable[TicketEvent]) -> None:
        alerts = []
        for event in events:
            kind = event.data.get("sla")
            if kind is None:
                continue
            alert = SLAAlert(
                ticket=event.ticket,
                kind=kind,
                due_at=datetime.datetime.fromisoformat(event.data["due_at"]),
                event=event,
            )
            alert.created_at = event.created_at
            alerts.append(alert)
        self.summary.alerts = len(SLAAlert.objects.bulk_create(alerts, batch_size=500))

    def _targets(self, category: Category, priority: str) -> tuple[int, int]:
        key = (category.pk, priority)
        if key not in self.targets:
            self.targets[key] = sla_targets(category.sla_policy, priority)
        return self.targets[key]

    def _ticket(self, spec: dict[str, Any]) -> tuple[Ticket | None, list[_Event]]:
        rng, cal, cast = self.rng, self.calendar, self.cast
        category: Category = spec["category"]
        created_at: datetime.datetime = spec["created_at"]
        if created_at >= self.now:
            return None, []
        text = rng.choice(self.texts[category.code]["any"])
        creator = spec.get("created_by")
        creator_role = SYSTEM_ROLE if creator is None else _role(creator)
        ticket = Ticket(
            reference=_next_reference(created_at),
            channel=spec["channel"],
            contact=spec["contact"],
            conversation=spec.get("conversation"),
            category=category,
            section=category.default_section,
            priority=category.default_priority,
            subject=text[:300],
            description=text,
            created_by=creator,
        )
        ticket.created_at = created_at
        story = [
            _Event(
                created_at,
                TicketEventKind.TRANSITION,
                creator,
                creator_role,
                to_status=TicketStatus.NEW,
                public=True,
                data={"action": "create", "channel": spec["channel"]},
            )
        ]
        # Tier 1 registers at once what it logs; a portal or app report waits for an agent.
        if creator is None:
            registrar = rng.choice(cast.agents)
            registered = cal.add_business_minutes(created_at, rng.randint(5, 90))
        else:
            registrar, registered = creator, created_at + ONE_SECOND
        first_minutes, resolution_minutes = self._targets(category, ticket.priority)
        ticket.registered_at = registered
        ticket.first_response_due = cal.add_business_minutes(registered, first_minutes)
        ticket.resolution_due = cal.add_business_minutes(registered, resolution_minutes)
        story.append(
            self._step(registered, "register", registrar, TicketStatus.NEW, TicketStatus.REGISTERED)
        )
        late = rng.random() < 0.14
        share = rng.uniform(1.05, 1.9) if late else rng.uniform(0.12, 0.9)
        done = cal.add_business_minutes(registered, int(resolution_minutes * share))
        dispatched = cal.add_business_minutes(registered, rng.randint(3, 45))
        partners = PARTNERS_BY_CATEGORY.get(category.code)
        if partners and rng.random() < 0.85:
            story += self._partner_path(ticket, rng.choice(partners), dispatched, done)
        else:
            story += self._section_path(ticket, dispatched, done, resolution_minutes)
        story = [step for step in story if step.at < self.now]
        story += self._alerts(ticket, story)
        story.sort(key=lambda step: step.at)
        self._apply(ticket, story)
        return ticket, story

    def _step(
        self,
        at: datetime.datetime,
        action: str,
        actor: Any,
        source: str,
        target: str,
        *,
        note: str = "",
        public: bool = True,
        **data: Any,
    ) -> _Event:
        role = SYSTEM_ROLE if actor is None else _role(actor)
        return _Event(
            at,
            TicketEventKind.TRANSITION,
            actor,
            role,
            from_status=source,
            to_status=target,
            note=note,
            public=public,
            data={"action": action, **data},
        )

    def _partner_path(
        self, ticket: Ticket, code: str, at: datetime.datetime, done: datetime.datetime
    ) -> list[_Event]:
        partner = self.partners.get(code)
        if partner is None:
            return []
        ticket.partner = partner
        cast, rng = self.cast, self.rng
        done = max(done, self.calendar.add_business_minutes(at, rng.randint(15, 120)))
        steps = [
            self._step(
                at,
                "forward_external",
                cast.dispatcher,
                TicketStatus.REGISTERED,
                TicketStatus.FORWARDED_EXTERNAL,
                partner=code,
            )
        ]
        if rng.random() < 0.15:
            # The agency settled it with the citizen; the dispatcher closes.
            steps.append(
                self._step(
                    done,
                    "close",
                    cast.dispatcher,
                    TicketStatus.FORWARDED_EXTERNAL,
                    TicketStatus.CLOSED,
                )
            )
            return steps
        answerer = cast.partner_user if code == cast.partner_code else cast.dispatcher
        steps.append(
            self._step(
                done,
                "partner_resolve",
                answerer,
                TicketStatus.FORWARDED_EXTERNAL,
                TicketStatus.RESOLVED,
                note=NOTES["partner"],
            )
        )
        return steps + self._callback(done)

    def _section_path(
        self,
        ticket: Ticket,
        at: datetime.datetime,
        done: datetime.datetime,
        resolution_minutes: int,
    ) -> list[_Event]:
        cal, cast, rng = self.calendar, self.cast, self.rng
        section = ticket.section
        steps = [
            self._step(
                at,
                "dispatch",
                cast.dispatcher,
                TicketStatus.REGISTERED,
                TicketStatus.DISPATCHED,
                section=section.code,
            )
        ]
        if rng.random() < 0.08 and len(self.sections) > 1:
            # Wrongly routed: the section sends it back, the dispatcher picks another.
            back = cal.add_business_minutes(at, rng.randint(20, 180))
            steps.append(
                self._step(
                    back,
                    "return",
                    self._section_actor(section),
                    TicketStatus.DISPATCHED,
                    TicketStatus.RETURNED,
                    note=NOTES["return"],
                    public=False,
                )
            )
            section = rng.choice([s for s in self.sections if s.pk != section.pk])
            ticket.section = section
            at = cal.add_business_minutes(back, rng.randint(5, 60))
            steps.append(
                self._step(
                    at,
                    "dispatch",
                    cast.dispatcher,
                    TicketStatus.RETURNED,
                    TicketStatus.DISPATCHED,
                    section=section.code,
                )
            )
        worker = self._section_actor(section)
        done = max(done, cal.add_business_minutes(at, rng.randint(30, 240)))
        started = min(cal.add_business_minutes(at, rng.randint(5, 90)), done - ONE_SECOND)
        started = max(started, at + ONE_SECOND)
        steps.append(
            self._step(started, "start", worker, TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS)
        )
        steps.append(
            self._step(
                done,
                "resolve",
                worker,
                TicketStatus.IN_PROGRESS,
                TicketStatus.RESOLVED,
                note=NOTES["resolve"],
            )
        )
        steps += self._callback(done)
        if rng.random() < 0.04:
            reopened = cal.add_business_minutes(steps[-1].at, rng.randint(120, 900))
            again = cal.add_business_minutes(reopened, rng.randint(10, 60))
            fixed = cal.add_business_minutes(again, rng.randint(60, resolution_minutes // 2 + 61))
            steps += [
                self._step(
                    reopened,
                    "reopen",
                    cast.dispatcher,
                    TicketStatus.CLOSED,
                    TicketStatus.REOPENED,
                    note=NOTES["reopen"],
                ),
                self._step(
                    again,
                    "dispatch",
                    cast.dispatcher,
                    TicketStatus.REOPENED,
                    TicketStatus.DISPATCHED,
                    section=section.code,
                ),
                self._step(
                    again + ONE_SECOND,
                    "start",
                    worker,
                    TicketStatus.DISPATCHED,
                    TicketStatus.IN_PROGRESS,
                ),
                self._step(
                    fixed,
                    "resolve",
                    worker,
                    TicketStatus.IN_PROGRESS,
                    TicketStatus.RESOLVED,
                    note=NOTES["resolve"],
                ),
                *self._callback(fixed),
            ]
        return steps

    def _callback(self, resolved: datetime.datetime) -> list[_Event]:
        """Tier 2 calls the citizen back, then closes."""
        told = self.calendar.add_business_minutes(resolved, self.rng.randint(5, 55))
        closed = told + datetime.timedelta(minutes=self.rng.randint(1, 10))
        dispatcher = self.cast.dispatcher
        return [
            self._step(
                told,
                "notify_citizen",
                dispatcher,
                TicketStatus.RESOLVED,
                TicketStatus.CITIZEN_NOTIFIED,
                note=NOTES["callback"],
                public=False,
            ),
            self._step(
                closed, "close", dispatcher, TicketStatus.CITIZEN_NOTIFIED, TicketStatus.CLOSED
            ),
        ]

    def _section_actor(self, section: Section) -> Any:
        return self.cast.section_user if section.pk in self.cast.section_ids else None

    def _alerts(self, ticket: Ticket, story: list[_Event]) -> list[_Event]:
        """The scheduler's alerts this history would have raised: reminders and escalations."""
        assert ticket.registered_at is not None and ticket.resolution_due is not None
        due = ticket.resolution_due
        solved = next((s.at for s in story if s.to_status == TicketStatus.RESOLVED), None)
        if solved is None and ticket.partner is not None:
            solved = next((s.at for s in story if s.to_status == TicketStatus.CLOSED), None)
        alerts = []
        if ticket.partner is None:
            remind = reminder_moment(
                self.calendar,
                start=ticket.registered_at,
                due=due,
                percent=ticket.category.sla_policy.reminder_percent,
            )
            if remind < self.now and (solved is None or solved > remind):
                alerts.append(self._alert(remind, SLAAlertKind.REMINDER, due))
        if due < self.now and (solved is None or solved > due):
            alerts.append(self._alert(due, SLAAlertKind.ESCALATION, due))
        for step in story:
            if step.to_status == TicketStatus.RESOLVED:
                callback_due = self.calendar.add_business_minutes(
                    step.at, settings.NIDAA_CALLBACK_DUE_MINUTES
                )
                told = next(
                    (
                        s.at
                        for s in story
                        if s.at > step.at and s.to_status != TicketStatus.RESOLVED
                    ),
                    None,
                )
                if callback_due < self.now and (told is None or told > callback_due):
                    alerts.append(self._alert(callback_due, SLAAlertKind.CALLBACK, callback_due))
        return alerts

    def _alert(self, at: datetime.datetime, kind: str, due: datetime.datetime) -> _Event:
        event_kind = (
            TicketEventKind.ESCALATION
            if kind == SLAAlertKind.ESCALATION
            else TicketEventKind.REMINDER
        )
        return _Event(
            at, event_kind, None, SYSTEM_ROLE, data={"sla": kind, "due_at": due.isoformat()}
        )

    def _apply(self, ticket: Ticket, story: list[_Event]) -> None:
        """The ticket's fields as its last step left them."""
        for step in story:
            if step.kind != TicketEventKind.TRANSITION:
                continue
            ticket.status = step.to_status
            if step.to_status == TicketStatus.RESOLVED:
                ticket.resolved_at = step.at
            elif step.to_status == TicketStatus.CLOSED:
                ticket.closed_at = step.at
            elif step.to_status == TicketStatus.IN_PROGRESS:
                ticket.handled_by = step.actor
                ticket.first_response_at = ticket.first_response_at or step.at
            elif step.to_status == TicketStatus.REOPENED:
                ticket.resolved_at = None
                ticket.closed_at = None


@contextlib.contextmanager
def _back_dated(*kinds: type[models.Model]) -> Iterator[None]:
    """Rows keep the creation and change times given to them (``auto_now(_add)`` off)."""
    stamped = [
        (f, f.auto_now, f.auto_now_add)
        for kind in kinds
        for f in kind._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    for f, _now, _add in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in stamped:
            f.auto_now, f.auto_now_add = now, add


def _cast() -> _Cast:
    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    by_role: dict[str, list[Any]] = {}
    for user in users.order_by("username"):
        profile = getattr(user, "profile", None)
        if profile is not None:
            by_role.setdefault(profile.role, []).append(user)
    missing = [
        role for role in (Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR) if not by_role.get(role)
    ]
    if missing:
        raise LookupError(f"the demo staff is missing ({', '.join(missing)}): run demo_setup")
    agents = (by_role[Role.AGENT] * 2)[:2]
    section_user = (by_role.get(Role.SECTION_STAFF) or [None])[0]
    partner_user = (by_role.get(Role.PARTNER) or [None])[0]
    return _Cast(
        agents=agents,
        supervisor=by_role[Role.SUPERVISOR][0],
        dispatcher=by_role[Role.DISPATCHER][0],
        section_user=section_user,
        section_ids=set(section_user.profile.sections.values_list("pk", flat=True))
        if section_user
        else set(),
        partner_user=partner_user,
        partner_code=partner_user.profile.partner.code
        if partner_user is not None and partner_user.profile.partner
        else "",
    )


def _role(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else SYSTEM_ROLE


def _texts(codes: set[str]) -> dict[str, dict[str, list[str]]]:
    """The shipped complaint texts per category and language (real citizens' phrasing, the
    classifier's shipped examples)."""
    found: dict[str, dict[str, list[str]]] = {}
    for line in SHIPPED_EXAMPLES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["category"] not in codes:
            continue
        per = found.setdefault(row["category"], {"any": []})
        per["any"].append(row["text"])
        per.setdefault(row.get("lang", "ar"), []).append(row["text"])
    return found


def _bot_line(language: str) -> str:
    if language == "en":
        return "Welcome to Muscat Municipality. 1 status of a report, 2 procedures, 0 staff."
    return "أهلًا بك في بلدية مسقط. ١ حالة بلاغ، ٢ إجراءات الخدمات، ٠ التحدث مع موظف."


NOTES = {
    "partner": "ردّت الجهة: تمت معالجة الملاحظة والتواصل مع المواطن.",
    "return": "البلاغ ليس من اختصاص القسم، يرجى تحويله إلى القسم المختص.",
    "resolve": "تمت المعالجة في الموقع وإغلاق الملاحظة.",
    "reopen": "أفاد المواطن بأن المشكلة عادت من جديد.",
    "callback": "تم الاتصال بالمواطن وإبلاغه بالحل.",
}
