"""X: polling mentions and DMs, replies through the durable worker, rate limits, the webhook."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helpdesk.models import (
    Attachment,
    Conversation,
    ConversationState,
    Message,
    Notification,
    NotificationStatus,
)
from helpdesk.services.conversations import message_post
from social.adapters.x import XApi, x_client
from social.limits import x_weighted_length
from social.models import InboxDelivery, XAccount
from social.services import x_account_poll, x_account_poll_due
from social.signatures import x_signature
from tests.support.factories import make_staff
from tests.support.images import jpeg_bytes
from tests.support.social_platforms import ACCOUNT_ID, FakeX, Reply, post_committed, run_worker

CITIZEN = "2000000000000000001"
CONSUMER_SECRET = "consumer-secret"


def api() -> XApi:
    return XApi.from_environment("X")


def poll(account: XAccount) -> int:
    return x_account_poll(account=account, api=api())


@pytest.fixture
def citizen(fake_x: FakeX) -> str:
    fake_x.add_user(CITIZEN, "said_om", "سعيد")
    return CITIZEN


def test_it_points_tweepy_at_the_configured_host(fake_x: FakeX) -> None:
    client = x_client(access_token="t", access_token_secret="s")
    client.get_me(user_fields=["username"])
    [request] = fake_x.calls("GET", "/2/users/me")
    assert request.query["user.fields"] == "username"
    assert request.headers["authorization"].startswith("OAuth ")


def test_it_polls_a_mention_into_the_live_queue(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    tweet_id = fake_x.add_mention(author=citizen, text="@muscat حفرة في الطريق")
    assert poll(x_account) == 1
    message = Message.objects.get(channel="x", external_id=f"tweet:{tweet_id}")
    conversation = message.conversation
    assert conversation.state == ConversationState.QUEUED
    assert conversation.channel == "x"
    assert conversation.external_thread_id == f"tweet:{ACCOUNT_ID}:{tweet_id}"
    assert conversation.contact.identities.get().handle == "said_om"
    assert message.text == "@muscat حفرة في الطريق"


def test_it_asks_for_authors_media_and_thread_fields(fake_x: FakeX, x_account: XAccount) -> None:
    poll(x_account)
    [request] = fake_x.calls("GET", f"/2/users/{ACCOUNT_ID}/mentions")
    assert request.query["expansions"] == "author_id,attachments.media_keys"
    assert request.query["media.fields"] == "url,type"
    assert set(request.query["tweet.fields"].split(",")) >= {
        "conversation_id",
        "created_at",
        "in_reply_to_user_id",
    }


def test_it_polls_with_since_id_from_meta_newest_id(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    first = fake_x.add_mention(author=citizen, text="one")
    poll(x_account)
    x_account.refresh_from_db()
    assert x_account.mentions_since_id == first
    second = fake_x.add_mention(author=citizen, text="two")
    assert poll(x_account) == 1
    assert fake_x.calls("GET", f"/2/users/{ACCOUNT_ID}/mentions")[-1].query["since_id"] == first
    x_account.refresh_from_db()
    assert x_account.mentions_since_id == second


def test_it_follows_next_token_through_every_page(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.page_size = 2
    ids = [fake_x.add_mention(author=citizen, text=f"mention {n}") for n in range(5)]
    assert poll(x_account) == 5
    tokens = [
        r.query.get("pagination_token") for r in fake_x.calls("GET", r"/2/users/\d+/mentions")
    ]
    assert tokens == [None, "2", "4"]
    x_account.refresh_from_db()
    assert x_account.mentions_since_id == ids[-1]  # newest of the first page


def test_it_stores_mentions_oldest_first(fake_x: FakeX, x_account: XAccount, citizen: str) -> None:
    root = fake_x.add_mention(author=citizen, text="first")
    fake_x.add_mention(author=citizen, text="second", conversation_id=root)
    poll(x_account)
    texts = list(
        Message.objects.filter(sender_kind="citizen").order_by("seq").values_list("text", flat=True)
    )
    assert texts == ["first", "second"]


def test_it_keeps_a_reply_thread_in_one_conversation(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    root = fake_x.add_mention(author=citizen, text="@muscat the light is broken")
    poll(x_account)
    fake_x.add_mention(author=citizen, text="@muscat still broken", conversation_id=root)
    poll(x_account)
    assert Conversation.objects.count() == 1
    assert Conversation.objects.get().messages.filter(sender_kind="citizen").count() == 2


def test_it_fetches_photos_as_attachments(fake_x: FakeX, x_account: XAccount, citizen: str) -> None:
    url = fake_x.media_url("pothole.jpg", jpeg_bytes())
    tweet_id = fake_x.add_mention(author=citizen, text="@muscat look", photo_url=url)
    poll(x_account)
    attachment = Attachment.objects.get(message__external_id=f"tweet:{tweet_id}")
    assert attachment.content_type == "image/jpeg"
    assert attachment.width == 64


def test_it_drops_a_photo_over_the_size_cap_but_keeps_the_mention(
    fake_x: FakeX, x_account: XAccount, citizen: str, settings: Any
) -> None:
    settings.NIDAA_SOCIAL_MEDIA_MAX_BYTES = 1024
    url = fake_x.media_url("huge.jpg", jpeg_bytes((800, 800), "navy") + b"\0" * 4096)
    tweet_id = fake_x.add_mention(author=citizen, text="@muscat big photo", photo_url=url)
    poll(x_account)
    message = Message.objects.get(external_id=f"tweet:{tweet_id}")
    assert not message.attachments.exists()


def test_it_stores_a_mention_once_when_it_is_read_twice(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.add_mention(author=citizen, text="@muscat again?")
    poll(x_account)
    x_account.mentions_since_id = ""
    assert poll(x_account) == 0
    assert Message.objects.filter(sender_kind="citizen").count() == 1


def test_it_leaves_out_our_own_posts(fake_x: FakeX, x_account: XAccount) -> None:
    fake_x.add_mention(author=ACCOUNT_ID, text="@muscat thread continues")
    assert poll(x_account) == 0


def test_it_reads_direct_messages_and_leaves_out_ours(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    theirs = fake_x.add_dm(sender=citizen, text="مرحبا، عندي بلاغ")
    fake_x.add_dm(sender=ACCOUNT_ID, text="our answer")
    assert poll(x_account) == 1
    message = Message.objects.get(external_id=f"dm:{theirs}")
    assert message.conversation.external_thread_id == f"dm:{ACCOUNT_ID}:{ACCOUNT_ID}-{CITIZEN}"
    x_account.refresh_from_db()
    assert x_account.dm_since_id != ""


def test_it_stops_reading_dm_pages_at_the_last_event_seen(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.page_size = 2
    for n in range(3):
        fake_x.add_dm(sender=citizen, text=f"old {n}")
    poll(x_account)
    before = len(fake_x.calls("GET", "/2/dm_events"))
    fake_x.add_dm(sender=citizen, text="new")
    assert poll(x_account) == 1
    assert len(fake_x.calls("GET", "/2/dm_events")) - before == 1


def test_it_fills_in_the_account_id_on_the_first_poll(fake_x: FakeX, db: None) -> None:
    account = XAccount.objects.create(handle="muscat")
    poll(account)
    account.refresh_from_db()
    assert account.user_id == ACCOUNT_ID


def test_it_waits_for_the_rate_limit_reset_before_polling_again(
    fake_x: FakeX, x_account: XAccount
) -> None:
    reset = int(time.time()) + 900
    fake_x.fail_next(
        "GET",
        r"/2/users/\d+/mentions",
        Reply(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}),
    )
    x_account_poll_due(account=x_account)
    x_account.refresh_from_db()
    assert x_account.next_poll_at == datetime.datetime.fromtimestamp(reset, tz=datetime.UTC)
    assert "rate limit" in x_account.last_error
    assert x_account_poll_due(account=x_account) == 0
    assert len(fake_x.calls("GET", r"/2/users/\d+/mentions")) == 1


def test_it_polls_again_only_after_the_configured_interval(
    fake_x: FakeX, x_account: XAccount
) -> None:
    now = timezone.now()
    x_account_poll_due(account=x_account, now=now)
    x_account_poll_due(account=x_account, now=now + datetime.timedelta(seconds=30))
    assert len(fake_x.calls("GET", r"/2/users/\d+/mentions")) == 1
    x_account_poll_due(account=x_account, now=now + datetime.timedelta(seconds=61))
    assert len(fake_x.calls("GET", r"/2/users/\d+/mentions")) == 2


def test_it_records_missing_credentials_instead_of_crashing(
    fake_x: FakeX, x_account: XAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("X_ACCESS_TOKEN")
    x_account_poll_due(account=x_account)
    x_account.refresh_from_db()
    assert "X_ACCESS_TOKEN" in x_account.last_error
    assert fake_x.requests == []


# ---- replies, through the durable worker ------------------------------------------------


def _agent_reply(conversation: Conversation, text: str) -> Message:
    return message_post(
        conversation=conversation, sender_kind="agent", text=text, user=make_staff("agent")
    )


@pytest.mark.django_db(transaction=True)
def test_it_replies_to_a_mention_with_in_reply_to_tweet_id(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    root = fake_x.add_mention(author=citizen, text="@muscat pothole")
    latest = fake_x.add_mention(author=citizen, text="@muscat still there", conversation_id=root)
    poll(x_account)
    reply = _agent_reply(Conversation.objects.get(), "شكراً، تم تسجيل البلاغ")
    run_worker()
    [request] = fake_x.calls("POST", "/2/tweets")
    assert request.json() == {
        "text": "شكراً، تم تسجيل البلاغ",
        "reply": {"in_reply_to_tweet_id": latest},
    }
    delivery = Notification.objects.get(message=reply)
    assert delivery.status == NotificationStatus.SENT
    assert delivery.provider_message_id
    reply.refresh_from_db()
    assert reply.delivered_at is not None


LONG_REPLY = " ".join(["تم تحويل بلاغكم إلى قسم الطرق في بلدية مسقط للمعالجة"] * 12)


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_reply_over_280_as_a_thread(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    mention = fake_x.add_mention(author=citizen, text="@muscat pothole")
    poll(x_account)
    reply = _agent_reply(Conversation.objects.get(), LONG_REPLY)
    run_worker()
    posts = [r.json() for r in fake_x.calls("POST", "/2/tweets")]
    assert len(posts) == 3
    assert all(x_weighted_length(p["text"]) <= 280 for p in posts)
    assert [p["text"][-5:] for p in posts] == ["(1/3)", "(2/3)", "(3/3)"]
    assert posts[0]["reply"]["in_reply_to_tweet_id"] == mention
    entry = Notification.objects.get(message=reply)
    assert posts[1]["reply"]["in_reply_to_tweet_id"] == entry.parts_sent[0]
    assert posts[2]["reply"]["in_reply_to_tweet_id"] == entry.parts_sent[1]
    assert (entry.status, entry.provider_message_id) == ("sent", entry.parts_sent[0])


@pytest.mark.django_db(transaction=True)
def test_it_resumes_a_thread_after_the_part_that_failed(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.add_mention(author=citizen, text="@muscat pothole")
    poll(x_account)
    first = {"data": {"id": "1950000000000000001", "text": "part", "edit_history_tweet_ids": []}}
    fake_x.fail_next("POST", "/2/tweets", Reply(201, first), Reply(503, {"title": "Unavailable"}))
    reply = _agent_reply(Conversation.objects.get(), LONG_REPLY)
    run_worker()
    assert Notification.objects.get(message=reply).parts_sent == ["1950000000000000001"]
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    posts = [r.json() for r in fake_x.calls("POST", "/2/tweets")]
    assert [p["text"][-5:] for p in posts] == ["(1/3)", "(2/3)", "(2/3)", "(3/3)"]
    assert posts[2]["reply"]["in_reply_to_tweet_id"] == "1950000000000000001"
    assert Notification.objects.get(message=reply).status == "sent"


@pytest.mark.django_db(transaction=True)
def test_it_answers_a_dm_as_a_dm_to_the_participant(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.add_dm(sender=citizen, text="private question")
    poll(x_account)
    _agent_reply(Conversation.objects.get(), "private answer")
    run_worker()
    [request] = fake_x.calls("POST", rf"/2/dm_conversations/with/{CITIZEN}/messages")
    assert request.json() == {"text": "private answer"}
    assert fake_x.calls("POST", "/2/tweets") == []


@pytest.mark.django_db(transaction=True)
def test_it_waits_for_the_rate_limit_reset_before_sending_again(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.add_mention(author=citizen, text="@muscat hello")
    poll(x_account)
    reset = int(time.time()) + 600
    fake_x.fail_next(
        "POST",
        "/2/tweets",
        Reply(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}),
    )
    reply = _agent_reply(Conversation.objects.get(), "hello")
    run_worker()
    delivery = Notification.objects.get(message=reply)
    assert (delivery.status, delivery.attempts) == (NotificationStatus.QUEUED, 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == datetime.datetime.fromtimestamp(reset, tz=datetime.UTC)
    assert retry.queue_name == "notifications"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.SENT, 2)
    assert len(fake_x.calls("POST", "/2/tweets")) == 2


@pytest.mark.django_db(transaction=True)
def test_it_backs_off_after_a_server_error(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.add_mention(author=citizen, text="@muscat hello")
    poll(x_account)
    fake_x.fail_next("POST", "/2/tweets", Reply(503, {"title": "Service Unavailable"}))
    before = timezone.now()
    reply = _agent_reply(Conversation.objects.get(), "hello")
    run_worker()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after >= before + datetime.timedelta(seconds=30)
    assert Notification.objects.get(message=reply).status == NotificationStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_agent_when_x_rejects_the_reply(
    fake_x: FakeX, x_account: XAccount, citizen: str
) -> None:
    fake_x.add_mention(author=citizen, text="@muscat hello")
    poll(x_account)
    fake_x.fail_next(
        "POST", "/2/tweets", Reply(403, {"title": "Forbidden", "detail": "not allowed"})
    )
    reply = _agent_reply(Conversation.objects.get(), "hello")
    run_worker()
    delivery = Notification.objects.get(message=reply)
    assert (delivery.status, delivery.failure_reason) == (NotificationStatus.FAILED, "forbidden")
    notice = Message.objects.get(event="delivery_failed")
    assert notice.data["seq"] == reply.seq
    assert notice.data["reason"] == "forbidden"
    assert notice.data["explanation"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_failed_reply_again_from_the_outbox_admin(
    fake_x: FakeX, x_account: XAccount, citizen: str, client: Any
) -> None:
    mention = fake_x.add_mention(author=citizen, text="@muscat hello")
    poll(x_account)
    fake_x.fail_next("POST", "/2/tweets", Reply(403, {"title": "Forbidden"}))
    reply = _agent_reply(Conversation.objects.get(), "hello")
    run_worker()
    entry = Notification.objects.get(message=reply)
    assert entry.status == NotificationStatus.FAILED
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.om", "pw-t"))
    response = client.post(
        reverse("admin:helpdesk_notification_changelist"),
        {"action": "send_again", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 302
    run_worker()
    entry.refresh_from_db()
    assert (entry.status, entry.attempts, entry.failure_reason) == ("sent", 1, "")
    [_refused, sent] = fake_x.calls("POST", "/2/tweets")
    assert sent.json()["reply"]["in_reply_to_tweet_id"] == mention


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_after_the_configured_attempts(
    fake_x: FakeX, x_account: XAccount, citizen: str, settings: Any
) -> None:
    settings.NIDAA_NOTIFY_MAX_ATTEMPTS = 2
    fake_x.add_mention(author=citizen, text="@muscat hello")
    poll(x_account)
    fake_x.fail_next("POST", "/2/tweets", Reply(500, {}), Reply(500, {}))
    reply = _agent_reply(Conversation.objects.get(), "hello")
    run_worker()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    delivery = Notification.objects.get(message=reply)
    assert (delivery.status, delivery.failure_reason, delivery.attempts) == ("failed", "gave_up", 2)
    assert Message.objects.filter(event="delivery_failed").count() == 1


# ---- Account Activity webhook --------------------------------------------------------------


def test_it_answers_the_crc_challenge(client: Any, settings: Any) -> None:
    settings.NIDAA_X_CONSUMER_SECRET = "consumer-secret"
    response = client.get("/social/x/webhook", {"crc_token": "challenge-123"})
    assert response.json() == {"response_token": x_signature(b"challenge-123", "consumer-secret")}
    assert response.json()["response_token"].startswith("sha256=")


def _activity(tweet_id: str = "1900000000000000001", **extra: Any) -> dict[str, Any]:
    return {
        "for_user_id": ACCOUNT_ID,
        "tweet_create_events": [
            {
                "id_str": tweet_id,
                "text": "@muscat الإنارة معطلة",
                "user": {"id_str": CITIZEN, "screen_name": "said_om", "name": "سعيد"},
                "timestamp_ms": "1772352000000",
                **extra,
            }
        ],
    }


def post_activity(client: Any, payload: dict[str, Any], secret: str = CONSUMER_SECRET) -> Any:
    """X's signed POST, then the worker reading the journal."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    response = post_committed(
        client,
        "/social/x/webhook",
        body,
        {"x-twitter-webhooks-signature": x_signature(body, secret)},
    )
    if response.status_code == 200:
        run_worker()
    return response


@pytest.mark.django_db(transaction=True)
def test_it_stores_a_signed_account_activity_mention(
    client: Any, settings: Any, x_account: XAccount
) -> None:
    settings.NIDAA_X_CONSUMER_SECRET = "consumer-secret"
    response = post_activity(client, _activity())
    assert response.status_code == 200
    assert (
        Message.objects.get(external_id="tweet:1900000000000000001").text == "@muscat الإنارة معطلة"
    )


def test_it_rejects_an_unsigned_account_activity_delivery(
    client: Any, settings: Any, x_account: XAccount
) -> None:
    settings.NIDAA_X_CONSUMER_SECRET = "consumer-secret"
    response = post_activity(client, _activity(), secret="another-secret")
    assert response.status_code == 403
    assert not InboxDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_joins_a_webhook_reply_to_the_thread_it_answers(
    client: Any, settings: Any, x_account: XAccount
) -> None:
    settings.NIDAA_X_CONSUMER_SECRET = "consumer-secret"
    for payload in (
        _activity("1900000000000000001"),
        _activity("1900000000000000002", in_reply_to_status_id_str="1900000000000000001"),
    ):
        post_activity(client, payload)
    assert Conversation.objects.count() == 1
    assert Message.objects.filter(sender_kind="citizen").count() == 2
