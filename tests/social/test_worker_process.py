"""Real workers killed mid-work, then restarted: every item processed exactly once.

Black-box, like tests/helpdesk/notify/test_worker_process.py: ``manage.py`` subprocesses
against a database of their own, the fake Graph API in this process on a real
socket holding one request while the worker is killed with SIGKILL.

1. Between the journal and the parse: a Messenger message is in the journal,
   the worker has read it and is fetching its photo when it dies. After the
   scheduler's inbox sweep and a restart the message is stored once, with its photo.
2. Between a reply's commit and its send: the agent's reply is committed in the
   outbox, the worker has taken it and dies before Facebook answered. After the
   scheduler's sweep and a restart Facebook has received it exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.images import jpeg_bytes
from tests.support.processes import manage, worker_start
from tests.support.social_platforms import FakeGraph

PAGE_ID = "108000000000001"
WAIT = 60  # seconds: an upper bound, never a pause


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    server = FakeGraph()
    yield server
    server.close()


def _env(database_url: str, tmp_path: Path, graph: FakeGraph) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "DEBUG": "0",
        "NIDAA_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": "",
        "FACEBOOK_GRAPH_URL": graph.url + "/",
        "FACEBOOK_APP_SECRET": "app-secret",
        "FACEBOOK_PAGE_ACCESS_TOKEN": "page-token",
        "SOCIAL_HTTP_TIMEOUT": "120",
        "SOCIAL_MEDIA_RETRY_SECONDS": "0",
        "SOCIAL_INBOX_GRACE_SECONDS": "1",
        "NIDAA_NOTIFY_LEASE_SECONDS": "1",
    }


def _kill_while_held(env: dict[str, str], graph: FakeGraph) -> None:
    worker = worker_start(env, "social,notifications")
    try:
        assert graph.holding.wait(WAIT), "the worker never reached the fake Graph API"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=WAIT)
    finally:
        if worker.poll() is None:
            worker.kill()


def _drain(env: dict[str, str]) -> None:
    restarted = worker_start(env, "social,notifications", "--batch")
    output, _ = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, output


def _report(env: dict[str, str], code: str) -> object:
    return json.loads(manage(env, "shell", "-v", "0", "-c", code))


JOURNAL = """
from social.inbox import inbox_store
from social.models import FacebookPage
FacebookPage.objects.create(page_id="{page}", name="Muscat Municipality")
inbox_store(source="facebook", body={body!r})
"""

INBOX_REPORT = """
import json
from helpdesk.models import Message
from social.models import InboxDelivery, InboxEvent
citizen = Message.objects.filter(sender_kind="citizen")
print(json.dumps({
    "deliveries": list(InboxDelivery.objects.values_list("status", flat=True)),
    "events": list(InboxEvent.objects.values("status", "attempts")),
    "messages": list(citizen.values_list("external_id", flat=True)),
    "photos": sum(m.attachments.count() for m in citizen),
}))
"""


def test_it_stores_a_message_once_when_the_worker_dies_between_journal_and_parse(
    database_url: str, tmp_path: Path, graph: FakeGraph
) -> None:
    photo = graph.media_url("leak.jpg", jpeg_bytes())
    graph.holds["GET /media/leak.jpg"] = WAIT
    event = {
        "sender": {"id": "6100000000000001"},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1772352000000,
        "message": {
            "mid": "m_killed",
            "text": "تسرب مياه",
            "attachments": [{"type": "image", "payload": {"url": photo}}],
        },
    }
    body = json.dumps({"object": "page", "entry": [{"id": PAGE_ID, "messaging": [event]}]})
    env = _env(database_url, tmp_path, graph)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", JOURNAL.format(page=PAGE_ID, body=body.encode()))

    _kill_while_held(env, graph)
    stuck = _report(env, INBOX_REPORT)
    assert stuck == {
        "deliveries": ["read"],
        "events": [{"status": "pending", "attempts": 0}],
        "messages": [],
        "photos": 0,
    }

    time.sleep(1.5)  # the delivery's grace (1 s) runs out
    swept = manage(env, "scheduler", "--once", "--job", "social.inbox_sweep")
    assert "1 inbox deliveries handed to the worker again" in swept
    _drain(env)

    final = _report(env, INBOX_REPORT)
    assert final == {
        "deliveries": ["read"],
        "events": [{"status": "stored", "attempts": 1}],
        "messages": ["mid:m_killed"],
        "photos": 1,
    }
    assert len(graph.calls("GET", "/media/leak.jpg")) == 2


REPLY = """
from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.services.conversations import conversation_receive, message_post
from social.models import FacebookPage
from tests.support.factories import make_staff
FacebookPage.objects.create(page_id="{page}", name="Muscat Municipality")
received = conversation_receive(InboundMessage(
    channel="facebook", external_id="mid:m_citizen", thread_id="psid:{page}:6100000000000001",
    sender=SenderIdentity(external_id="6100000000000001"), text="متى يصلح الشارع؟"))
message_post(conversation=received.conversation, sender_kind="agent",
    text="سيصلح غداً", user=make_staff("agent"))
"""

OUTBOX_REPORT = """
import json
from helpdesk.models import Message, Notification
print(json.dumps({
    "outbox": list(Notification.objects.values("status", "attempts", "provider_message_id")),
    "failures": Message.objects.filter(event="delivery_failed").count(),
}))
"""


def test_it_sends_a_reply_once_when_the_worker_dies_between_commit_and_send(
    database_url: str, tmp_path: Path, graph: FakeGraph
) -> None:
    graph.holds[rf"POST /v[\d.]+/{PAGE_ID}/messages"] = WAIT
    env = _env(database_url, tmp_path, graph)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", REPLY.format(page=PAGE_ID))

    _kill_while_held(env, graph)
    stuck = _report(env, OUTBOX_REPORT)
    assert stuck == {
        "outbox": [{"status": "sending", "attempts": 1, "provider_message_id": ""}],
        "failures": 0,
    }
    assert graph.answered == []  # Facebook never answered the dead worker

    time.sleep(1.5)  # the dead worker's lease (1 s) runs out
    swept = manage(env, "scheduler", "--once", "--job", "service.sweep")
    assert "1 notification(s) re-queued" in swept
    _drain(env)

    final = _report(env, OUTBOX_REPORT)
    assert final == {
        "outbox": [{"status": "sent", "attempts": 2, "provider_message_id": "m_sent2"}],
        "failures": 0,
    }
    sends = [r for r in graph.answered if r.path.endswith(f"/{PAGE_ID}/messages")]
    assert len(sends) == 1
    assert json.loads(sends[0].form()["message"]) == {"text": "سيصلح غداً"}
