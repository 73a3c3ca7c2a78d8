"""The inbox journal: every signed body kept, each event stored on its own, failures retried.

The corpus is what real traffic and careless proxies produce: wrong types,
missing ids, nulls, NaN, deep nesting, unknown objects, huge bodies, invalid
UTF-8. Each body is signed as the platform signs it and most carry a valid
event on each side of the broken one.
"""

from __future__ import annotations

import datetime
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from helpdesk.models import Message
from social.inbox import inbox_sweep
from social.models import (
    FacebookPage,
    InboxDelivery,
    InboxDeliveryStatus,
    InboxEvent,
    InboxEventStatus,
    XAccount,
)
from social.signatures import facebook_signature, x_signature
from tests.support.social_platforms import (
    ACCOUNT_ID,
    APP_SECRET,
    PAGE_ID,
    FakeGraph,
    post_committed,
    run_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)

X_SECRET = "consumer-secret"
FB_URL = "/social/facebook/webhook"
X_URL = "/social/x/webhook"
CITIZEN = "2000000000000000001"


def _messenger(mid: Any, text: Any = "تسرب مياه في الخوير", **change: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "sender": {"id": "6100000000000001"},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1772352000000,
        "message": {"mid": mid, "text": text},
    }
    event.update(change)
    return event


def _page(*events: Any, entry_id: Any = PAGE_ID) -> dict[str, Any]:
    return {"id": entry_id, "time": 1772352000000, "messaging": list(events)}


def _body(*entries: Any) -> bytes:
    return json.dumps({"object": "page", "entry": list(entries)}, ensure_ascii=False).encode()


def _tweet(tweet_id: Any, **change: Any) -> dict[str, Any]:
    tweet: dict[str, Any] = {
        "id_str": tweet_id,
        "text": "@muscat الإنارة معطلة",
        "user": {"id_str": CITIZEN, "screen_name": "said_om", "name": "سعيد"},
        "timestamp_ms": "1772352000000",
    }
    tweet.update(change)
    return tweet


def _x(*tweets: Any, **extra: Any) -> bytes:
    payload = {"for_user_id": ACCOUNT_ID, "tweet_create_events": list(tweets), **extra}
    return json.dumps(payload, ensure_ascii=False).encode()


@dataclass
class Case:
    name: str
    url: str
    body: bytes
    stored: list[str] = field(default_factory=list)  # neighbours that must reach the queue
    failed: int = 0  # events kept with their error
    unreadable: bool = False  # nothing in the body can be read: kept whole, with the error


def fb(name: str, broken: Any, failed: int = 1) -> Case:
    """[valid, broken, valid] in one Messenger batch."""
    ok = [f"{name}-a", f"{name}-b"]
    body = _body(_page(_messenger(ok[0]), broken, _messenger(ok[1])))
    return Case(name, FB_URL, body, [f"mid:{m}" for m in ok], failed)


def xa(name: str, broken: Any, failed: int = 1) -> Case:
    stem = f"19{zlib.crc32(name.encode()):015d}"
    ok = [f"{stem}1", f"{stem}2"]
    body = _x(_tweet(ok[0]), broken, _tweet(ok[1]))
    return Case(name, X_URL, body, [f"tweet:{t}" for t in ok], failed)


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


CORPUS: list[Callable[[], Case]] = [
    # Messenger events that lack what they need, or have it in the wrong type.
    lambda: fb("missing-mid", {"sender": {"id": "61"}, "message": {"text": "no mid"}}),
    lambda: fb("mid-object", _messenger({"id": "m"})),
    lambda: fb("mid-null", _messenger(None)),
    lambda: fb("sender-null", _messenger("m-sn", sender=None)),
    lambda: fb("sender-missing", {"recipient": {"id": PAGE_ID}, "message": {"mid": "m-sm"}}),
    lambda: fb("sender-id-list", _messenger("m-sl", sender={"id": ["61"]})),
    lambda: fb("sender-id-bool", _messenger("m-sb", sender={"id": True})),
    lambda: fb("text-number", _messenger("m-tn", text=42)),
    lambda: fb("text-object", _messenger("m-to", text={"ar": "نص"})),
    lambda: fb(
        "attachments-object",
        {**_messenger("m-ao"), "message": {"mid": "m-ao", "attachments": {"type": "image"}}},
    ),
    lambda: fb(
        "attachment-payload-string",
        {
            **_messenger("m-ap"),
            "message": {"mid": "m-ap", "attachments": [{"type": "image", "payload": "x"}]},
        },
    ),
    lambda: fb("event-is-a-string", "not an event"),
    lambda: fb("event-is-null", None),
    lambda: fb("postback-without-keys", {"sender": {"id": "61"}, "postback": {"title": "زر"}}),
    lambda: fb("message-and-nan-mid", _messenger(float("nan"))),
    # Broken timestamps do not cost the message: it is stored without its time.
    lambda: fb("timestamp-nan", _messenger("m-nan", timestamp=float("nan")), failed=0),
    lambda: fb("timestamp-infinite", _messenger("m-inf", timestamp=float("inf")), failed=0),
    lambda: fb("timestamp-huge", _messenger("m-huge", timestamp=10**300), failed=0),
    # Entries and feed changes of the wrong shape.
    lambda: Case(
        "entry-without-id",
        FB_URL,
        _body(_page(_messenger("ewi-a")), _page(_messenger("ewi-x"), entry_id=None)),
        ["mid:ewi-a"],
        failed=1,
    ),
    lambda: Case(
        "entry-is-a-number",
        FB_URL,
        _body(_page(_messenger("ein-a")), 7, _page(_messenger("ein-b"))),
        ["mid:ein-a", "mid:ein-b"],
        failed=1,
    ),
    lambda: Case(
        "messaging-is-an-object",
        FB_URL,
        _body(_page(_messenger("mio-a")), {"id": PAGE_ID, "messaging": {"mid": "x"}}),
        ["mid:mio-a"],
        failed=1,
    ),
    lambda: Case(
        "comment-without-id",
        FB_URL,
        _body(
            _page(_messenger("cwi-a")),
            {
                "id": PAGE_ID,
                "changes": [
                    {"field": "feed", "value": {"item": "comment", "verb": "add", "message": "x"}}
                ],
            },
        ),
        ["mid:cwi-a"],
        failed=1,
    ),
    lambda: Case(
        "comment-value-list",
        FB_URL,
        _body(
            _page(_messenger("cvl-a")), {"id": PAGE_ID, "changes": [{"field": "feed", "value": []}]}
        ),
        ["mid:cvl-a"],
        failed=1,
    ),
    # Whole bodies nothing can be read from: kept as they came, with the reason.
    lambda: Case(
        "unknown-object", FB_URL, b'{"object": "instagram", "entry": []}', unreadable=True
    ),
    lambda: Case("body-is-an-array", FB_URL, b'[{"object": "page"}]', unreadable=True),
    lambda: Case("body-is-not-json", FB_URL, b"EVENT<html>", unreadable=True),
    lambda: Case("entry-not-a-list", FB_URL, b'{"object": "page", "entry": {}}', failed=1),
    # Deep nesting inside one event: the deep part is cut out, the neighbours are read.
    lambda: Case(
        "deep-nesting",
        FB_URL,
        _body(_page(_messenger("dn-a")))[:-2]
        + f', {{"id": "{PAGE_ID}", "messaging": [{{"deep": {_deep(100_000)}}}]}}]}}'.encode(),
        ["mid:dn-a"],
        failed=1,
    ),
    # Invalid UTF-8 inside one text: read with U+FFFD, nothing lost.
    lambda: Case(
        "invalid-utf8",
        FB_URL,
        _body(_page(_messenger("iu-a"), _messenger("iu-b", text="BAD"))).replace(
            b"BAD", b"\xff\xfe bad \xc3"
        ),
        ["mid:iu-a", "mid:iu-b"],
    ),
    # 3 MB: over Django's form limit, under the journal's; the text is cut, with a note.
    lambda: Case(
        "huge-body",
        FB_URL,
        _body(_page(_messenger("hb-a"), _messenger("hb-big", text="ح" * 1_500_000))),
        ["mid:hb-a", "mid:hb-big"],
    ),
    # X Account Activity deliveries.
    lambda: xa("tweet-without-id", _tweet(None)),
    lambda: xa("tweet-user-null", _tweet("1901", user=None)),
    lambda: xa("tweet-user-id-bool", _tweet("1902", user={"id_str": True})),
    lambda: xa("tweet-text-nan", _tweet("1903", text=float("nan"))),
    lambda: xa("tweet-is-null", None),
    lambda: Case(
        "dm-events-object",
        X_URL,
        _x(_tweet("1904000000000000001"), direct_message_events={"type": "message_create"}),
        ["tweet:1904000000000000001"],
        failed=1,
    ),
    lambda: Case(
        "dm-without-sender",
        X_URL,
        _x(
            _tweet("1905000000000000001"),
            direct_message_events=[
                {"type": "message_create", "id": "77", "message_create": {"message_data": {}}}
            ],
        ),
        ["tweet:1905000000000000001"],
        failed=1,
    ),
]


@pytest.fixture
def served(fake_graph: FakeGraph, settings: Any, fb_page: FacebookPage) -> XAccount:
    settings.NIDAA_X_CONSUMER_SECRET = X_SECRET
    return XAccount.objects.create(handle="muscat", user_id=ACCOUNT_ID)


def _post(client: Any, case: Case) -> Any:
    if case.url == FB_URL:
        headers = {"X-Hub-Signature-256": facebook_signature(case.body, APP_SECRET)}
    else:
        headers = {"x-twitter-webhooks-signature": x_signature(case.body, X_SECRET)}
    return post_committed(client, case.url, case.body, headers)


def test_the_corpus_has_37_malformed_bodies() -> None:
    cases = [make() for make in CORPUS]
    assert len(cases) == 37
    assert len({c.name for c in cases}) == 37


def test_it_answers_200_to_every_signed_body_and_loses_no_neighbour(
    client: Any, served: XAccount
) -> None:
    cases = [make() for make in CORPUS]
    statuses = {case.name: _post(client, case).status_code for case in cases}
    run_worker()

    assert statuses == {case.name: 200 for case in cases}
    deliveries = list(InboxDelivery.objects.order_by("pk"))
    assert len(deliveries) == len(cases)
    stored = set(Message.objects.values_list("external_id", flat=True))
    for case, delivery in zip(cases, deliveries, strict=True):
        assert bytes(delivery.body) == case.body, case.name  # kept as it came
        assert set(case.stored) <= stored, case.name
        if case.unreadable:
            assert delivery.status == InboxDeliveryStatus.UNREADABLE, case.name
            assert delivery.error, case.name
            continue
        assert delivery.status == InboxDeliveryStatus.READ, case.name
        failed = delivery.events.filter(status=InboxEventStatus.FAILED)
        assert failed.count() == case.failed, (case.name, list(failed.values("raw", "error")))
        assert all(event.error for event in failed), case.name
        assert not delivery.events.filter(status=InboxEventStatus.PENDING).exists(), case.name


def test_it_keeps_a_message_whose_timestamp_is_nan_without_its_time(
    client: Any, served: XAccount
) -> None:
    case = fb("nan-time", _messenger("m-nan-time", timestamp=float("nan")), failed=0)
    _post(client, case)
    run_worker()
    assert Message.objects.filter(external_id="mid:m-nan-time").exists()


def test_it_stores_the_neighbours_of_an_event_without_mid(client: Any, served: XAccount) -> None:
    _post(client, fb("batch", {"sender": {"id": "61"}, "message": {"text": "no mid"}}))
    run_worker()
    citizen = Message.objects.filter(sender_kind="citizen")
    assert set(citizen.values_list("external_id", flat=True)) == {
        "mid:batch-a",
        "mid:batch-b",
    }
    [broken] = InboxEvent.objects.filter(status=InboxEventStatus.FAILED)
    assert "message.mid" in broken.error


def test_it_refuses_a_messenger_message_without_a_sender(client: Any, served: XAccount) -> None:
    _post(client, fb("nosender", _messenger("m-nobody", sender=None)))
    run_worker()
    assert not Message.objects.filter(external_id="mid:m-nobody").exists()
    assert "sender.id" in InboxEvent.objects.get(status=InboxEventStatus.FAILED).error


def test_it_reads_invalid_utf8_with_replacement_and_says_so(client: Any, served: XAccount) -> None:
    body = _body(_page(_messenger("utf", text="BAD"))).replace(b"BAD", b"\xff ok")
    _post(client, Case("utf", FB_URL, body))
    run_worker()
    assert Message.objects.get(external_id="mid:utf").text == "\ufffd ok"
    assert "not valid UTF-8" in InboxDelivery.objects.get().error


def test_it_stores_a_redelivered_batch_once(client: Any, served: XAccount) -> None:
    case = fb("again", None)
    _post(client, case)
    _post(client, case)
    run_worker()
    assert Message.objects.filter(external_id__startswith="mid:again").count() == 2
    assert InboxDelivery.objects.count() == 2
    notes = InboxEvent.objects.filter(delivery=InboxDelivery.objects.order_by("pk").last())
    assert notes.filter(note__contains="already stored").count() == 2


def test_it_refuses_a_body_over_the_journal_cap(
    client: Any, served: XAccount, settings: Any
) -> None:
    settings.NIDAA_SOCIAL_WEBHOOK_MAX_BYTES = 64 * 1024
    response = _post(client, fb("too-big", _messenger("m-too-big", text="x" * 70_000)))
    assert response.status_code == 413
    assert not InboxDelivery.objects.exists()


def test_it_cuts_a_text_longer_than_the_queue_takes_and_says_so(
    client: Any, served: XAccount, english: None
) -> None:
    _post(client, fb("long", None))
    _post(client, Case("long", FB_URL, _body(_page(_messenger("m-long", text="x" * 5000)))))
    run_worker()
    text = Message.objects.get(external_id="mid:m-long").text
    assert len(text) == 4000
    assert "5000 characters" in text


def _admin_retry(client: Any, changelist: str, pk: int) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.om", "pw-for-tests")
    client.force_login(admin)
    response = client.post(
        reverse(f"admin:{changelist}"), {"action": "retry", "_selected_action": [pk]}
    )
    assert response.status_code == 302


def test_it_stores_events_of_a_page_connected_later_on_retry(client: Any, served: XAccount) -> None:
    _post(client, Case("later", FB_URL, _body(_page(_messenger("m-later"), entry_id="4242"))))
    run_worker()
    event = InboxEvent.objects.get()
    assert event.status == InboxEventStatus.IGNORED
    FacebookPage.objects.create(page_id="4242", name="Tourism")
    _admin_retry(client, "social_inboxevent_changelist", event.pk)
    run_worker()
    event.refresh_from_db()
    assert (event.status, event.attempts) == (InboxEventStatus.STORED, 2)
    assert event.message == Message.objects.get(external_id="mid:m-later")


def test_it_keeps_the_error_when_a_retried_event_fails_again(client: Any, served: XAccount) -> None:
    _post(client, fb("again-broken", _messenger("m-ab", sender=None)))
    run_worker()
    _admin_retry(client, "social_inboxdelivery_changelist", InboxDelivery.objects.get().pk)
    run_worker()
    event = InboxEvent.objects.get(status=InboxEventStatus.FAILED)
    assert event.attempts == 2
    assert "sender.id" in event.error


def test_it_ignores_events_for_a_page_it_does_not_serve(client: Any, served: XAccount) -> None:
    _post(client, Case("other", FB_URL, _body(_page(_messenger("m-other"), entry_id="999"))))
    run_worker()
    event = InboxEvent.objects.get()
    assert (event.status, event.note) == (InboxEventStatus.IGNORED, "unknown or inactive page 999")
    assert not Message.objects.exists()


def test_it_hands_an_unread_delivery_back_to_the_worker_after_its_grace(
    client: Any, served: XAccount, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    _post(client, Case("lost", FB_URL, _body(_page(_messenger("m-lost")))))
    DBTaskResult.objects.all().delete()  # the enqueue was lost (the queue was down)
    now = timezone.now()
    assert inbox_sweep(now=now) == 0  # within its grace: a worker may be on it
    later = now + datetime.timedelta(seconds=settings.NIDAA_SOCIAL_INBOX_GRACE_SECONDS + 1)
    assert inbox_sweep(now=later) == 1
    assert inbox_sweep(now=later) == 0  # handed over once per grace period
    run_worker()
    assert Message.objects.filter(external_id="mid:m-lost").exists()
    assert inbox_sweep(now=later + datetime.timedelta(hours=1)) == 0
