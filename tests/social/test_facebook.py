"""Facebook: the webhook (handshake, signatures, Messenger, comments) and Graph API replies."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from helpdesk.adapters import adapter_for
from helpdesk.models import (
    Attachment,
    Conversation,
    ConversationState,
    Message,
    Notification,
    NotificationStatus,
)
from helpdesk.services.conversations import message_post
from social.adapters.facebook import graph_client
from social.models import CommentReplyMode, FacebookPage, InboxDelivery
from social.signatures import facebook_signature
from tests.support.factories import make_staff
from tests.support.images import jpeg_bytes
from tests.support.social_platforms import (
    APP_SECRET,
    PAGE_ID,
    FakeGraph,
    Reply,
    post_committed,
    run_worker,
)

PSID = "6100000000000001"
URL = "/social/facebook/webhook"


def messaging(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1772352000000, "messaging": list(events)}],
    }


def text_message(
    mid: str = "m_1", text: str = "السلام عليكم، يوجد تسرب مياه", **extra: Any
) -> dict[str, Any]:
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1772352000000,
        "message": {"mid": mid, "text": text, **extra},
    }


def feed(
    verb: str,
    comment_id: str = f"{PAGE_ID}_55_77",
    message: str = "متى تصلح الإنارة؟",
    **extra: Any,
) -> dict[str, Any]:
    value = {
        "item": "comment",
        "verb": verb,
        "comment_id": comment_id,
        "post_id": f"{PAGE_ID}_55",
        "from": {"id": "7100000000000001", "name": "Aisha"},
        "message": message,
        "created_time": 1772352000,
        **extra,
    }
    return {
        "object": "page",
        "entry": [
            {"id": PAGE_ID, "time": 1772352000, "changes": [{"field": "feed", "value": value}]}
        ],
    }


def deliver(
    client: Any, payload: dict[str, Any], *, secret: str = APP_SECRET, signature: str | None = None
) -> Any:
    """Meta's POST, then the worker reading the journal (as after the webhook's commit)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {}
    if signature is None:
        signature = facebook_signature(body, secret)
    if signature:
        headers["X-Hub-Signature-256"] = signature
    response = post_committed(client, URL, body, headers)
    if response.status_code == 200:
        run_worker()
    return response


# ---- handshake and signatures --------------------------------------------------------------


def test_it_echoes_the_challenge_of_the_verification_handshake(
    client: Any, fake_graph: FakeGraph
) -> None:
    response = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"


def test_it_refuses_the_handshake_with_a_wrong_verify_token(
    client: Any, fake_graph: FakeGraph
) -> None:
    response = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    assert response.status_code == 403


def test_it_rejects_a_post_without_a_signature(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage, caplog: Any
) -> None:
    response = deliver(client, messaging(text_message()), signature="")
    assert response.status_code == 403
    assert not InboxDelivery.objects.exists()
    assert "X-Hub-Signature-256" in caplog.text


def test_it_rejects_a_post_signed_with_another_secret(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    response = deliver(client, messaging(text_message()), secret="not-the-app-secret")
    assert response.status_code == 403
    assert not InboxDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_verifies_an_arabic_body_over_its_raw_utf8_bytes(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    response = deliver(client, messaging(text_message(text="شارع مظلم منذ أسبوع ✨")))
    assert response.status_code == 200
    assert Message.objects.get(external_id="mid:m_1").text == "شارع مظلم منذ أسبوع ✨"


def test_it_rejects_an_arabic_body_altered_after_signing(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    signed = json.dumps(messaging(text_message(text="حفرة")), ensure_ascii=False).encode()
    altered = signed.replace("حفرة".encode(), "حفرتان".encode())
    response = client.post(
        URL,
        altered,
        content_type="application/json",
        headers={"X-Hub-Signature-256": facebook_signature(signed, APP_SECRET)},
    )
    assert response.status_code == 403
    assert not InboxDelivery.objects.exists()


# ---- Messenger -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_puts_a_messenger_message_in_the_live_queue(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    conversation = Conversation.objects.get()
    assert (conversation.channel, conversation.state) == ("facebook", ConversationState.QUEUED)
    assert conversation.external_thread_id == f"psid:{PAGE_ID}:{PSID}"
    assert conversation.contact.identities.get().external_id == PSID


@pytest.mark.django_db(transaction=True)
def test_it_stores_a_redelivered_message_once(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    assert deliver(client, messaging(text_message())).status_code == 200
    assert Message.objects.filter(sender_kind="citizen").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_fetches_image_and_file_attachments(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    image = fake_graph.media_url("leak.jpg", jpeg_bytes())
    pdf = fake_graph.media_url("permit.pdf", b"%PDF-1.4 fake permit")
    deliver(
        client,
        messaging(
            {
                "sender": {"id": PSID},
                "recipient": {"id": PAGE_ID},
                "timestamp": 1772352000000,
                "message": {
                    "mid": "m_att",
                    "attachments": [
                        {"type": "image", "payload": {"url": image}},
                        {"type": "file", "payload": {"url": pdf}},
                    ],
                },
            }
        ),
    )
    attachments = Attachment.objects.filter(message__external_id="mid:m_att").order_by("pk")
    assert [a.original_name for a in attachments] == ["leak.jpg", "permit.pdf"]
    assert attachments[0].width == 64


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_message_when_an_attachment_is_refused(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    fake = fake_graph.media_url("fake.jpg", b"not really a jpeg")
    payload = text_message(mid="m_bad", text="see photo")
    payload["message"]["attachments"] = [{"type": "image", "payload": {"url": fake}}]
    deliver(client, messaging(payload))
    message = Message.objects.get(external_id="mid:m_bad")
    assert message.text.startswith("see photo\n")
    assert fake in message.text
    assert not message.attachments.exists()


@pytest.mark.django_db(transaction=True)
def test_it_stores_a_postback_as_the_button_title(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(
        client,
        messaging(
            {
                "sender": {"id": PSID},
                "recipient": {"id": PAGE_ID},
                "timestamp": 1772352000000,
                "postback": {"mid": "m_pb", "title": "تقديم بلاغ", "payload": "NEW_REPORT"},
            }
        ),
    )
    assert Message.objects.get(external_id="postback:m_pb").text == "تقديم بلاغ"


@pytest.mark.django_db(transaction=True)
def test_it_does_not_store_an_echo_of_our_own_send_as_the_citizens(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    echo = {
        "sender": {"id": PAGE_ID},
        "recipient": {"id": PSID},
        "timestamp": 1772352000000,
        "message": {"mid": "m_echo", "text": "our answer", "is_echo": True, "app_id": 1},
    }
    deliver(client, messaging(echo))
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_ignores_a_page_it_does_not_serve(client: Any, fake_graph: FakeGraph, db: None) -> None:
    assert deliver(client, messaging(text_message())).status_code == 200
    assert not Message.objects.exists()


# ---- comments ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_puts_a_new_comment_in_the_queue(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, feed("add"))
    message = Message.objects.get(external_id=f"comment:{PAGE_ID}_55_77")
    assert message.conversation.external_thread_id == f"post:{PAGE_ID}:{PAGE_ID}_55"
    assert message.conversation.contact.name == "Aisha"


@pytest.mark.django_db(transaction=True)
def test_it_adds_an_edited_comment_to_the_same_conversation(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, feed("add"))
    deliver(client, feed("edited", message="متى تصلح الإنارة في الخوير؟"))
    deliver(client, feed("edited", message="متى تصلح الإنارة في الخوير؟"))  # redelivered
    conversation = Conversation.objects.get()
    texts = list(conversation.messages.filter(sender_kind="citizen").values_list("text", flat=True))
    assert len(texts) == 2
    assert "متى تصلح الإنارة في الخوير؟" in texts[1]


@pytest.mark.django_db(transaction=True)
def test_it_notes_a_removed_comment_in_the_transcript(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, feed("add"))
    deliver(client, feed("remove"))
    event = Message.objects.get(event="comment_removed")
    assert event.data["comment_id"] == f"{PAGE_ID}_55_77"


@pytest.mark.django_db(transaction=True)
def test_it_leaves_out_the_pages_own_comments(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, feed("add", **{"from": {"id": PAGE_ID, "name": "Muscat Municipality"}}))
    assert not Message.objects.exists()


# ---- replies through the Graph API ----------------------------------------------------------


def test_it_sets_the_configured_graph_version_after_construction(
    fake_graph: FakeGraph, settings: Any
) -> None:
    settings.NIDAA_FACEBOOK_GRAPH_VERSION = "v25.0"
    graph = graph_client("page-token")
    assert graph.version == "v25.0"
    graph.put_object(PAGE_ID, "messages", recipient=json.dumps({"id": PSID}), message="{}")
    assert fake_graph.calls("POST", f"/v25.0/{PAGE_ID}/messages")


def _reply(conversation: Conversation, text: str = "تم استلام بلاغك") -> Message:
    return message_post(
        conversation=conversation, sender_kind="agent", text=text, user=make_staff("agent")
    )


@pytest.mark.django_db(transaction=True)
def test_it_answers_messenger_through_the_send_api(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    reply = _reply(Conversation.objects.get())
    run_worker()
    [request] = fake_graph.calls("POST", f"/v25.0/{PAGE_ID}/messages")
    form = request.form()
    assert json.loads(form["recipient"]) == {"id": PSID}
    assert json.loads(form["message"]) == {"text": "تم استلام بلاغك"}
    assert form["messaging_type"] == "RESPONSE"
    assert form["access_token"] == "page-token"
    delivery = Notification.objects.get(message=reply)
    assert (delivery.status, delivery.provider_message_id) == (NotificationStatus.SENT, "m_sent1")


@pytest.mark.django_db(transaction=True)
def test_it_marks_our_reply_delivered_when_its_echo_arrives(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    reply = _reply(Conversation.objects.get())
    run_worker()
    echo = {
        "sender": {"id": PAGE_ID},
        "recipient": {"id": PSID},
        "timestamp": 1,
        "message": {"mid": "m_sent1", "is_echo": True, "text": reply.text},
    }
    deliver(client, messaging(echo))
    reply.refresh_from_db()
    assert reply.delivered_at is not None
    assert Message.objects.filter(sender_kind="citizen").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_replies_under_the_latest_comment(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, feed("add"))
    deliver(client, feed("add", comment_id=f"{PAGE_ID}_55_78", message="ما زالت معطلة"))
    _reply(Conversation.objects.get(), "سيتم إصلاحها اليوم")
    run_worker()
    [request] = fake_graph.calls("POST", f"/v25.0/{PAGE_ID}_55_78/comments")
    assert request.form()["message"] == "سيتم إصلاحها اليوم"


@pytest.mark.django_db(transaction=True)
def test_it_answers_a_comment_privately_when_the_page_is_set_so(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    FacebookPage.objects.filter(pk=fb_page.pk).update(comment_reply_mode=CommentReplyMode.PRIVATE)
    deliver(client, feed("add"))
    _reply(Conversation.objects.get())
    run_worker()
    [request] = fake_graph.calls("POST", f"/v25.0/{PAGE_ID}/messages")
    assert json.loads(request.form()["recipient"]) == {"comment_id": f"{PAGE_ID}_55_77"}
    assert fake_graph.calls("POST", r"/v25.0/.*/comments") == []


@pytest.mark.django_db(transaction=True)
def test_it_explains_the_24_hour_window_instead_of_sending(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    conversation = Conversation.objects.get()
    Message.objects.filter(sender_kind="citizen").update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert adapter_for("facebook").is_reachable(conversation) is False
    reply = _reply(conversation)
    run_worker()
    assert fake_graph.calls("POST", f"/v25.0/{PAGE_ID}/messages") == []
    delivery = Notification.objects.get(message=reply)
    assert (delivery.status, delivery.failure_reason) == (
        NotificationStatus.FAILED,
        "outside_messaging_window",
    )
    notice = Message.objects.get(event="delivery_failed")
    assert notice.data["reason"] == "outside_messaging_window"
    assert "24" in notice.data["explanation"]


@pytest.mark.django_db(transaction=True)
def test_it_keeps_messenger_reachable_within_the_window(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    assert adapter_for("facebook").is_reachable(Conversation.objects.get()) is True


@pytest.mark.django_db(transaction=True)
def test_it_explains_when_facebook_itself_refuses_outside_the_window(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    deliver(client, messaging(text_message()))
    fake_graph.fail_next(
        "POST",
        rf"/v25.0/{PAGE_ID}/messages",
        Reply(
            400,
            {
                "error": {
                    "message": "(#10) This message is sent outside of allowed window.",
                    "type": "OAuthException",
                    "code": 10,
                    "error_subcode": 2018278,
                }
            },
        ),
    )
    reply = _reply(Conversation.objects.get())
    run_worker()
    assert Notification.objects.get(message=reply).failure_reason == "outside_messaging_window"
    assert Message.objects.filter(event="delivery_failed").exists()


@pytest.mark.django_db(transaction=True)
def test_it_retries_a_transient_graph_error(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    from django_tasks_db.models import DBTaskResult

    deliver(client, messaging(text_message()))
    fake_graph.fail_next(
        "POST",
        rf"/v25.0/{PAGE_ID}/messages",
        Reply(
            503,
            {
                "error": {
                    "message": "Service temporarily unavailable",
                    "code": 2,
                    "is_transient": True,
                }
            },
        ),
    )
    reply = _reply(Conversation.objects.get())
    run_worker()
    assert Notification.objects.get(message=reply).status == NotificationStatus.QUEUED
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert Notification.objects.get(message=reply).status == NotificationStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_it_waits_as_long_as_meta_says_after_a_rate_limit(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    from django_tasks_db.models import DBTaskResult

    deliver(client, messaging(text_message()))
    usage = {
        PAGE_ID: [{"type": "messenger", "call_count": 100, "estimated_time_to_regain_access": 7}]
    }
    fake_graph.fail_next(
        "POST",
        rf"/v25.0/{PAGE_ID}/messages",
        Reply(
            400,
            {"error": {"message": "(#80006) There have been too many messages", "code": 80006}},
            {"X-Business-Use-Case-Usage": json.dumps(usage)},
        ),
    )
    before = timezone.now()
    reply = _reply(Conversation.objects.get())
    run_worker()
    entry = Notification.objects.get(message=reply)
    assert entry.status == NotificationStatus.QUEUED
    assert entry.next_attempt_at is not None
    wait = entry.next_attempt_at - before
    assert datetime.timedelta(minutes=7) <= wait < datetime.timedelta(minutes=8)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == entry.next_attempt_at
