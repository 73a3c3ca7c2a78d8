"""Every event a service publishes fits its schema, reaches a socket, and is read there.

In the spirit of Zulip's event-schema tests: each test below performs one action
through the service that publishes (as the role that does it), and every event the
action sends is checked against its schema in ``helpdesk/events.py`` — the payload
as ``publish`` was given it, and the channel-layer message that left after commit.

The rules the tests at the end enforce, for code as it is and code still to come:

1. **Schemas.** Every event type a service publishes has a schema
   (``events.EVENT_SCHEMAS``): an event type written as a literal at a
   ``publish``/``send_now`` call must have one, and every schema is of an event a
   test here sees published (no schema outlives its event).
2. **Publishers.** Every function in ``helpdesk/``, ``chat/``, ``social/`` and
   ``bots/`` that calls ``events.publish`` or ``events.send_now`` is named in the
   ``emits`` mark of a test here, and that test sees it publish the events named
   (the capture records the function that called ``publish``).
3. **Groups.** Every group an event is sent to is joined by a socket: the group's
   kind (its builder or constant in ``events.py``, :data:`GROUP_KINDS`) is named, as
   ``events.<builder>``, in a module of ``chat/`` that calls the channel layer's
   ``group_add`` or ``group_discard`` (a consumer, its base class, the console hub).
4. **Readers.** An event of type E sent to a group of kind G is read when a class of
   such a module that names G has the method ``events.handler_name(E)``
   (``on_<type>``): the consumers dispatch ``nidaa_event`` by that name and drop
   what they have no method for. When that method forwards E to the browser under
   E's own name (it is, or calls, the socket's ``forward``), a script in ``static/``
   must handle that frame (``case "E"`` or ``=== "E"``). Sockets that turn an event
   into a frame of their own (the citizen's ``state``, ``queue`` …; the console's
   ``message``) are read by their handler, and their frames are the widget's and the
   console's own tests' business.

Rules 3 and 4 are checked for every event each test sees, so a service that starts
sending to a group nobody joins, or an event nobody reads, fails its own test here.
"""

from __future__ import annotations

import ast
import datetime
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from django.contrib.auth.signals import user_logged_out
from django.test import RequestFactory
from django.utils import timezone

from chat import services as chat_services
from helpdesk import events
from helpdesk.models import (
    Conversation,
    ConversationState,
    OrganisationSettings,
    Presence,
    Role,
    SenderKind,
    SLAAlertKind,
    Ticket,
    TicketStatus,
)
from helpdesk.services import console, conversations, distributor, presence, sla, tickets
from tests.support.asgi_scope import signed_in_session
from tests.support.factories import Org, actor, make_agent, make_staff, make_ticket, make_waiting

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_PACKAGES = ("helpdesk", "chat", "social", "bots")

# The kind of every group name events.py builds: its builder (or constant) → the
# names it makes.
GROUP_KINDS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "AGENTS_GROUP": r"agents",
        "SUPERVISORS_GROUP": r"supervisors",
        "conversation_group": r"conversation\.[0-9a-f-]{36}",
        "conversation_staff_group": r"conversation\.[0-9a-f-]{36}\.staff",
        "agent_group": r"agent\.\d+",
        "staff_user_group": r"staff\.\d+",
        "staff_session_group": r"session\.[0-9a-f]{32}",
        "section_group": r"section\.\d+",
        "partner_group": r"partner\.\d+",
        "role_group": r"role\.[a-z_]+",
    }.items()
}


Emits = tuple[str, ...]  # (publisher as module.function, *the event types it publishes)


def emits(publisher: str, *event_types: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """This test performs an action in which ``publisher`` publishes ``event_types``;
    the capture checks that it does."""

    def mark(test: Callable[..., Any]) -> Callable[..., Any]:
        test.emits = [*getattr(test, "emits", []), (publisher, *event_types)]  # type: ignore[attr-defined]
        return test

    return mark


# ---- what the sockets join and read, read from chat/ ------------------------------


def _source_tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _names_from_events(tree: ast.AST) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "events"
    }


def _calls_layer_membership(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Attribute) and node.attr in ("group_add", "group_discard")
        for node in ast.walk(tree)
    )


@dataclass(frozen=True)
class SocketModule:
    name: str
    kinds: frozenset[str]  # the group kinds it builds
    classes: tuple[type, ...]


def socket_modules() -> list[SocketModule]:
    """The modules of chat/ that join groups, the group kinds each names, its classes."""
    found = []
    for path in sorted((ROOT / "chat").rglob("*.py")):
        tree = _source_tree(path)
        if not _calls_layer_membership(tree):
            continue
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = __import__(module_name, fromlist=["_"])
        classes = tuple(
            value
            for value in vars(module).values()
            if inspect.isclass(value) and value.__module__ == module_name
        )
        kinds = frozenset(_names_from_events(tree) & GROUP_KINDS.keys())
        found.append(SocketModule(module_name, kinds, classes))
    return found


def kind_of(group: str) -> str:
    kinds = [name for name, pattern in GROUP_KINDS.items() if pattern.fullmatch(group)]
    assert len(kinds) == 1, f"group {group!r} is not one that events.py builds: {kinds}"
    return kinds[0]


def _handles_frame_in_static(frame: str) -> bool:
    quoted = re.escape(f'"{frame}"')
    handled = re.compile(rf"case\s+{quoted}|===\s*{quoted}")
    return any(
        handled.search(path.read_text(encoding="utf-8")) for path in (ROOT / "static").rglob("*.js")
    )


def _forwards(handler: Callable[..., Any]) -> bool:
    return handler.__name__ == "forward" or "self.forward(" in inspect.getsource(handler)


def reader_problem(event_type: str, group: str) -> str | None:
    """Why an event of ``event_type`` sent to ``group`` would not be read (rules 3, 4)."""
    kind = kind_of(group)
    joining = [module for module in socket_modules() if kind in module.kinds]
    if not joining:
        return f"no socket joins {kind} ({group}), where {event_type} is sent"
    name = events.handler_name(event_type)
    readers = [
        getattr(cls, name) for module in joining for cls in module.classes if hasattr(cls, name)
    ]
    if not readers:
        modules = [module.name for module in joining]
        return f"{event_type} is sent to {kind}, but no class in {modules} has {name}"
    for handler in readers:
        if _forwards(handler) and not _handles_frame_in_static(event_type):
            return f"{handler.__qualname__} forwards {event_type}; no script in static/ reads it"
    return None


# ---- the capture ---------------------------------------------------------------------


@dataclass
class Emitted:
    publisher: str
    group: str
    event_type: str
    payload: dict[str, Any]


@dataclass
class Capture:
    """Every event an action published, by whom, and what left for the layer after commit.

    Only the action's: what the set-up published (a ticket created, an offer made) is
    checked by its own test.
    """

    emitted: list[Emitted] = field(default_factory=list)
    committed: events.Sent = field(default_factory=list)
    run_in: Callable[..., Any] | None = None
    active: bool = False

    def run(self, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Perform the action; its events are collected as the event loop would send them."""
        assert self.run_in is not None
        self.active = True
        try:
            with self.run_in(execute=True):
                result, sent = events.collecting(function, *args, **kwargs)
        finally:
            self.active = False
        self.committed.extend(sent)
        return result

    async def arun(self, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Perform an action of the event loop (it sends at once: there is no transaction)."""
        self.active = True
        try:
            return await function(*args, **kwargs)
        finally:
            self.active = False

    def record(self, group: str, event_type: str, payload: Any) -> None:
        if self.active:
            self.emitted.append(Emitted(_caller(depth=3), group, event_type, dict(payload)))

    def types(self) -> list[str]:
        return [item.event_type for item in self.emitted]


def _caller(depth: int) -> str:
    frame = sys._getframe(depth)
    return f"{frame.f_globals['__name__']}.{frame.f_code.co_name}"


@pytest.fixture
def capture(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> Iterator[Capture]:
    seen = Capture(run_in=django_capture_on_commit_callbacks)
    publish, send_now = events.publish, events.send_now

    def recording_publish(group: str, event_type: str, payload: Any) -> None:
        seen.record(group, event_type, payload)
        publish(group, event_type, payload)

    async def recording_send_now(group: str, event_type: str, payload: Any) -> None:
        seen.record(group, event_type, payload)
        await send_now(group, event_type, payload)

    monkeypatch.setattr(events, "publish", recording_publish)
    monkeypatch.setattr(events, "send_now", recording_send_now)
    yield seen

    claims: list[Emits] = getattr(request.function, "emits", [])
    assert claims, "a test here says what it emits: @emits(publisher, *types)"
    for publisher, *expected in claims:
        by_it = {item.event_type for item in seen.emitted if item.publisher == publisher}
        assert set(expected) <= by_it, f"{publisher} published {sorted(by_it)}"
    for item in seen.emitted:
        events.validate(item.event_type, item.payload)
        problem = reader_problem(item.event_type, item.group)
        assert problem is None, problem
    for _group, message in seen.committed:
        assert message.keys() == {"type", "event", "payload"} and message["type"] == "nidaa.event"
        events.validate(message["event"], message["payload"])


# ---- the conversation's services -----------------------------------------------------


def _offered(org: Org) -> tuple[Any, Conversation]:
    agent = make_agent(display_name="Aisha")
    waiting = make_waiting()
    distributor.distribute()
    waiting.refresh_from_db()
    assert waiting.state == ConversationState.OFFERED
    return agent, waiting


def _assigned(org: Org) -> tuple[Any, Conversation]:
    agent, offered = _offered(org)
    distributor.offer_accept(user=agent, conversation=offered)
    offered.refresh_from_db()
    return agent, offered


@emits("helpdesk.services.distributor.desk_event", "offer.new")
@emits("helpdesk.services.distributor._state_changed", "conversation.state")
def test_it_offers_a_waiting_citizen_to_an_agent(org: Org, capture: Capture) -> None:
    make_agent(display_name="Aisha")
    make_waiting()
    capture.run(distributor.distribute)
    assert {"offer.new", "conversation.state", "message.new"} <= set(capture.types())


@emits("helpdesk.services.distributor.queue_positions_publish", "queue.position")
def test_it_tells_waiting_citizens_their_place(org: Org, capture: Capture) -> None:
    make_waiting()
    capture.run(distributor.distribute)
    assert "queue.position" in capture.types()


@emits("helpdesk.services.distributor.queue_broadcast", "queue.changed")
def test_it_broadcasts_the_queue_after_a_pass(org: Org, capture: Capture) -> None:
    make_waiting()
    capture.run(distributor.acd_pass)
    [changed] = [item for item in capture.emitted if item.event_type == "queue.changed"]
    assert changed.group == events.AGENTS_GROUP and len(changed.payload["queue"]) == 1


@emits("helpdesk.services.distributor.desk_event", "assignment.new")
def test_it_assigns_an_accepted_offer(org: Org, capture: Capture) -> None:
    agent, offered = _offered(org)
    capture.run(distributor.offer_accept, user=agent, conversation=offered)
    assert "assignment.new" in capture.types()


@emits("helpdesk.services.distributor.desk_event", "offer.withdrawn")
def test_it_withdraws_a_declined_offer(org: Org, capture: Capture) -> None:
    agent, offered = _offered(org)
    capture.run(distributor.offer_decline, user=agent, conversation=offered)
    assert "offer.withdrawn" in capture.types()


@emits("helpdesk.services.distributor.desk_event", "assignment.ended")
def test_it_ends_the_assignment_when_the_agent_closes(org: Org, capture: Capture) -> None:
    agent, assigned = _assigned(org)
    capture.run(
        distributor.conversation_end,
        by="agent",
        user=agent,
        conversation=assigned,
        disposition="answered",
    )
    assert {"assignment.ended", "conversation.state"} <= set(capture.types())


@emits("helpdesk.services.distributor.agents_may_pick_set", "queue.changed")
def test_it_tells_consoles_the_supervisor_changed_picking(org: Org, capture: Capture) -> None:
    supervisor = make_staff(Role.SUPERVISOR)
    capture.run(distributor.agents_may_pick_set, user=supervisor, allowed=False)
    assert [item.payload["reason"] for item in capture.emitted] == ["settings"]


@emits("helpdesk.services.conversations.message_publish", "message.new")
def test_it_sends_an_agents_reply_to_both_sides(org: Org, capture: Capture) -> None:
    agent, assigned = _assigned(org)
    capture.run(
        console.console_reply,
        user=agent,
        conversation=str(assigned.public_id),
        text="Hello",
        client_id="c-1",
    )
    sent = {
        item.group: item.payload["message"]
        for item in capture.emitted
        if item.event_type == "message.new"
    }
    staff = sent[events.conversation_staff_group(assigned.public_id)]
    citizen = sent[events.conversation_group(assigned.public_id)]
    assert staff["internal"] is False and "internal" not in citizen


@emits("helpdesk.services.conversations.conversation_to_queue", "conversation.state")
def test_it_tells_the_citizen_the_assistant_handed_over(org: Org, capture: Capture) -> None:
    with_the_assistant = make_waiting(state=ConversationState.BOT, queued_at=None)
    OrganisationSettings.objects.update(max_lines=0)  # nobody free: it stays queued
    capture.run(conversations.conversation_to_queue, with_the_assistant, reason="asked")
    [state] = [item for item in capture.emitted if item.event_type == "conversation.state"]
    assert state.payload["state"] == "queued"


@emits("helpdesk.services.console.console_typing", "typing")
def test_it_tells_the_citizen_the_agent_types(org: Org, capture: Capture) -> None:
    agent, assigned = _assigned(org)
    capture.run(
        console.console_typing, user=agent, conversation=str(assigned.public_id), active=True
    )
    assert capture.types() == ["typing"]


@emits("helpdesk.services.console.console_read", "message.receipt")
def test_it_tells_the_citizen_the_agent_read(org: Org, capture: Capture) -> None:
    agent, assigned = _assigned(org)
    conversations.message_post(conversation=assigned, sender_kind=SenderKind.CITIZEN, text="Hi")
    assigned.refresh_from_db()
    capture.run(
        console.console_read,
        user=agent,
        conversation=str(assigned.public_id),
        seq=assigned.last_seq,
    )
    assert capture.types() == ["message.receipt"]


@emits("helpdesk.services.presence.presence_set", "presence.changed")
def test_it_tells_supervisors_an_agent_went_away(org: Org, capture: Capture) -> None:
    agent = make_agent()
    capture.run(presence.presence_set, user=agent, presence=Presence.AWAY)
    groups = {item.group for item in capture.emitted if item.event_type == "presence.changed"}
    assert groups == {events.SUPERVISORS_GROUP, events.agent_group(agent.pk)}


# ---- the citizen's side (chat/services.py) ------------------------------------------


@emits("chat.services.chat_typing", "typing")
async def test_it_tells_the_agent_the_citizen_types(capture: Capture) -> None:
    public_id = "5b0c9e1e-6c2f-4a53-9a51-0d1f2f7d3a10"
    await capture.arun(chat_services.chat_typing, public_id=public_id, active=True)
    [typing] = capture.emitted
    assert typing.group == events.conversation_staff_group(public_id)


@emits("chat.services.chat_receipt", "message.receipt")
def test_it_tells_the_agent_the_citizen_read(org: Org, capture: Capture) -> None:
    agent, assigned = _assigned(org)
    conversations.message_post(
        conversation=assigned, sender_kind=SenderKind.AGENT, text="Hello", user=agent
    )
    assigned.refresh_from_db()
    capture.run(
        chat_services.chat_receipt, conversation=assigned, seq=assigned.last_seq, status="read"
    )
    assert capture.types() == ["message.receipt"]


@emits("helpdesk.services.distributor._state_changed", "conversation.state")
@emits("helpdesk.services.distributor.desk_event", "assignment.ended")
def test_it_tells_both_sides_the_citizen_ended(org: Org, capture: Capture) -> None:
    _agent, assigned = _assigned(org)
    capture.run(distributor.conversation_end, by="citizen", conversation=assigned)
    ended = [item for item in capture.emitted if item.event_type == "assignment.ended"]
    assert [item.payload["reason"] for item in ended] == ["citizen_ended"]


# ---- tickets, SLA alerts, staff sessions ---------------------------------------------


@emits("helpdesk.services.tickets._publish_change", "ticket.changed")
def test_it_tells_worklists_a_ticket_was_forwarded(org: Org, capture: Capture) -> None:
    dispatcher = make_staff(Role.DISPATCHER)
    ticket = make_ticket(org)
    capture.run(
        tickets.ticket_forward_to_partner, ticket=ticket, actor=actor(dispatcher), partner=org.haya
    )
    groups = {item.group for item in capture.emitted}
    assert groups == {
        events.role_group(Role.DISPATCHER),
        events.section_group(ticket.section_id),
        events.partner_group(org.haya.pk),
    }


@emits("helpdesk.services.sla._alert", "reminder.new")
def test_it_tells_worklists_a_ticket_is_overdue(org: Org, capture: Capture) -> None:
    ticket = make_ticket(org)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.DISPATCHED,
        registered_at=timezone.now() - datetime.timedelta(days=3),
        resolution_due=timezone.now() - datetime.timedelta(hours=1),
    )
    capture.run(sla.sla_scan, now=timezone.now())
    kinds = {item.payload["kind"] for item in capture.emitted}
    assert kinds == {SLAAlertKind.ESCALATION}


@emits("helpdesk.staff_sessions._end_user_sockets", "session.ended")
def test_it_ends_the_sockets_of_a_deactivated_account(org: Org, capture: Capture) -> None:
    agent = make_agent()

    def deactivate() -> None:
        agent.is_active = False
        agent.save()

    capture.run(deactivate)
    assert [item.group for item in capture.emitted] == [events.staff_user_group(agent.pk)]


@emits("helpdesk.staff_sessions._on_logout", "session.ended")
def test_it_ends_the_sockets_of_a_session_signed_out(org: Org, capture: Capture) -> None:
    agent = make_agent()
    request = RequestFactory().post("/accounts/logout/")
    request.session = signed_in_session(agent)
    capture.run(user_logged_out.send, sender=type(agent), request=request, user=agent)
    session = events.staff_session_group(request.session.session_key)
    assert session in [item.group for item in capture.emitted]


# ---- the rules, for all publishing code ----------------------------------------------


def _product_trees() -> Iterator[tuple[str, ast.Module]]:
    for package in PRODUCT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                yield module, _source_tree(path)


def _publish_calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    """(enclosing function, call) for every ``events.publish``/``events.send_now`` call."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("publish", "send_now")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "events"
            ):
                yield function.name, node


def _marks() -> list[Emits]:
    tests = [value for name, value in globals().items() if name.startswith("test_")]
    return [claim for test in tests for claim in getattr(test, "emits", [])]


def test_every_function_that_publishes_has_a_test_here() -> None:
    publishers = {
        f"{module}.{function}"
        for module, tree in _product_trees()
        for function, _call in _publish_calls(tree)
    }
    assert publishers, "the scan found no publish call: it is broken"
    tested = {publisher for publisher, *_types in _marks()}
    assert publishers - tested == set()
    assert tested - publishers == set(), "a test names a function that no longer publishes"


def test_every_event_type_published_has_a_schema() -> None:
    literal_types = {
        call.args[1].value
        for _module, tree in _product_trees()
        for _function, call in _publish_calls(tree)
        if len(call.args) > 1 and isinstance(call.args[1], ast.Constant)
    }
    assert literal_types - events.EVENT_SCHEMAS.keys() == set()


def test_every_schema_is_of_an_event_a_test_sees_published() -> None:
    emitted = {event_type for _publisher, *types in _marks() for event_type in types}
    assert set(events.EVENT_SCHEMAS) == emitted


def test_every_group_builder_has_a_kind_and_builds_names_of_it() -> None:
    builders = {
        name
        for name, value in vars(events).items()
        if (name.endswith("_GROUP") and isinstance(value, str))
        or (name.endswith("_group") and inspect.isfunction(value))
    }
    assert builders == GROUP_KINDS.keys()
    public_id = "5b0c9e1e-6c2f-4a53-9a51-0d1f2f7d3a10"
    built = {
        "AGENTS_GROUP": events.AGENTS_GROUP,
        "SUPERVISORS_GROUP": events.SUPERVISORS_GROUP,
        "conversation_group": events.conversation_group(public_id),
        "conversation_staff_group": events.conversation_staff_group(public_id),
        "agent_group": events.agent_group(7),
        "staff_user_group": events.staff_user_group(7),
        "staff_session_group": events.staff_session_group("a-session-key"),
        "section_group": events.section_group(7),
        "partner_group": events.partner_group(7),
        "role_group": events.role_group(Role.DISPATCHER),
    }
    assert {name: kind_of(group) for name, group in built.items()} == {n: n for n in built}


def test_no_module_but_events_writes_a_group_name() -> None:
    """No group name is written by hand where events are sent or groups joined."""
    takes_a_group = ("publish", "send_now", "group_add", "group_discard", "group_send")
    written = [
        f"{module}:{node.lineno}"
        for module, tree in _product_trees()
        if module != "helpdesk.events"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in takes_a_group
        and node.args
        and isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)
    ]
    assert written == []


def test_the_schemas_codes_are_the_models_choices() -> None:
    assert set(get_args(events.ConversationStateCode)) == set(ConversationState.values)
    assert set(get_args(events.PresenceCode)) == set(Presence.values)
    assert set(get_args(events.SenderCode)) == set(SenderKind.values)
    assert set(get_args(get_type_hints(events.ReminderNew)["kind"])) == set(SLAAlertKind.values)


@pytest.mark.parametrize(
    ("event_type", "payload", "complaint"),
    [
        ("typing", {"conversation": "c", "sender_kind": "agent"}, "missing ['active']"),
        ("typing", {"conversation": "c", "sender_kind": "robot", "active": True}, "sender_kind"),
        (
            "queue.position",
            {"conversation": "c", "position": True, "estimated_wait_seconds": 1},
            "position",
        ),
        ("session.ended", {"reason": "logged_out", "who": 1}, "has no ['who']"),
        ("nothing.new", {}, "unknown event type"),
    ],
)
def test_it_refuses_a_payload_its_schema_does_not_allow(
    event_type: str, payload: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(events.UnknownEvent, match=re.escape(complaint)):
        events.validate(event_type, payload)


def test_it_checks_nested_shapes_not_only_the_top_level_keys() -> None:
    message = {
        "seq": 1,
        "sender": "citizen",
        "text": "",
        "event": "",
        "created_at": "2026-11-30T10:00:00+00:00",
        "attachments": [{"id": "a", "url": "/m/a", "content_type": "image/png", "size": "big"}],
        "location": None,
    }
    with pytest.raises(events.UnknownEvent, match=r"message\.attachments\[0\]"):
        events.validate("message.new", {"conversation": "c", "message": message})


def test_an_event_sent_where_no_socket_reads_it_is_found() -> None:
    # What the SLA scan sent to the supervisors' consoles, which never read it.
    assert "no class" in str(reader_problem("reminder.new", events.SUPERVISORS_GROUP))
    assert "no class" in str(reader_problem("ticket.changed", events.agent_group(7)))
    assert reader_problem("ticket.changed", events.role_group(Role.DISPATCHER)) is None


def test_a_group_events_py_does_not_build_is_refused() -> None:
    # What three services sent to ticket.<id>, which no socket joins.
    with pytest.raises(AssertionError, match=r"not one that events\.py builds"):
        kind_of("ticket.7")
