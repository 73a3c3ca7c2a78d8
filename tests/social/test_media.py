"""Files and names of citizens, fetched by the worker: never in the webhook, never lost."""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpdesk.models import Attachment, ContactIdentity, Message
from social.models import FacebookPage, InboxEvent, InboxEventStatus, XAccount
from social.signatures import facebook_signature, x_signature
from tests.support.images import jpeg_bytes
from tests.support.social_platforms import (
    ACCOUNT_ID,
    APP_SECRET,
    PAGE_ID,
    FakeGraph,
    FakeX,
    Reply,
    post_committed,
    run_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)

PSID = "6100000000000001"
CITIZEN = "2000000000000000001"


def _image_message(mid: str, *urls: str, text: str = "") -> bytes:
    message: dict[str, Any] = {
        "mid": mid,
        "attachments": [{"type": "image", "payload": {"url": url}} for url in urls],
    }
    if text:
        message["text"] = text
    event = {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1772352000000,
        "message": message,
    }
    payload = {"object": "page", "entry": [{"id": PAGE_ID, "time": 1, "messaging": [event]}]}
    return json.dumps(payload).encode()


def _post_facebook(client: Any, body: bytes) -> Any:
    headers = {"X-Hub-Signature-256": facebook_signature(body, APP_SECRET)}
    return post_committed(client, "/social/facebook/webhook", body, headers)


def test_it_downloads_nothing_in_the_webhook_request(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    url = fake_graph.media_url("leak.jpg", jpeg_bytes())
    response = _post_facebook(client, _image_message("m_1", url))
    assert response.status_code == 200
    assert fake_graph.calls("GET", "/media/leak.jpg") == []
    run_worker()
    assert len(fake_graph.calls("GET", "/media/leak.jpg")) == 1
    assert Attachment.objects.get().message.external_id == "mid:m_1"


def test_it_keeps_an_image_only_message_whose_link_cannot_be_opened(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage, english: None
) -> None:
    unreachable = "http://127.0.0.1:9/cdn/expired.jpg"  # the discard port: nothing listens
    _post_facebook(client, _image_message("m_gone", unreachable))
    run_worker()
    message = Message.objects.get(external_id="mid:m_gone")
    assert unreachable in message.text
    assert "image" in message.text
    assert "could not be opened" in message.text
    assert not message.attachments.exists()


def test_it_keeps_the_link_of_a_25_mb_image_and_says_why(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage, english: None
) -> None:
    url = fake_graph.media_url("huge.jpg", b"\xff\xd8" + b"\0" * (25 * 1024 * 1024))
    _post_facebook(client, _image_message("m_huge", url, text="صورة الحفرة"))
    run_worker()
    message = Message.objects.get(external_id="mid:m_huge")
    assert message.text.startswith("صورة الحفرة\n")
    assert url in message.text
    assert "25.0\xa0MB, larger than 8.0\xa0MB" in message.text
    assert not message.attachments.exists()


def test_it_keeps_the_link_when_the_cdn_forbids_the_file(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    url = fake_graph.media_url("signed.jpg", jpeg_bytes())
    fake_graph.fail_next("GET", "/media/signed.jpg", Reply(403, {"error": "URL signature expired"}))
    _post_facebook(client, _image_message("m_403", url))
    run_worker()
    assert "403" in Message.objects.get(external_id="mid:m_403").text
    assert len(fake_graph.calls("GET", "/media/signed.jpg")) == 1  # a refusal is not retried


def test_it_retries_a_download_the_cdn_could_not_serve_yet(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    url = fake_graph.media_url("busy.jpg", jpeg_bytes())
    fake_graph.fail_next("GET", "/media/busy.jpg", Reply(503, {}), Reply(503, {}))
    _post_facebook(client, _image_message("m_busy", url))
    run_worker()
    assert len(fake_graph.calls("GET", "/media/busy.jpg")) == 3
    assert Message.objects.get(external_id="mid:m_busy").attachments.count() == 1


def test_it_shows_a_messenger_sender_by_name_and_asks_only_once(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    fake_graph.profiles[PSID] = {"name": "عائشة البلوشية"}
    _post_facebook(client, _image_message("m_a", text="مرحبا"))
    _post_facebook(client, _image_message("m_b", text="هل من جديد؟"))
    run_worker()
    identity = ContactIdentity.objects.get(external_id=PSID)
    assert identity.display_name == "عائشة البلوشية"
    assert identity.contact.name == "عائشة البلوشية"
    [lookup] = fake_graph.calls("GET", rf"/v25.0/{PSID}")
    assert lookup.query["fields"] == "name"
    assert lookup.query["access_token"] == "page-token"


def test_it_stores_the_message_when_the_profile_cannot_be_read(
    client: Any, fake_graph: FakeGraph, fb_page: FacebookPage
) -> None:
    _post_facebook(client, _image_message("m_anon", text="مرحبا"))
    run_worker()
    assert Message.objects.get(external_id="mid:m_anon").conversation.contact.name == ""
    assert InboxEvent.objects.get().status == InboxEventStatus.STORED


def _dm_activity(media_url: str) -> bytes:
    payload = {
        "for_user_id": ACCOUNT_ID,
        "direct_message_events": [
            {
                "type": "message_create",
                "id": "1800000000000000001",
                "created_timestamp": "1772352000000",
                "message_create": {
                    "target": {"recipient_id": ACCOUNT_ID},
                    "sender_id": CITIZEN,
                    "message_data": {
                        "text": "صورة التسرب",
                        "attachment": {
                            "type": "media",
                            "media": {"type": "photo", "media_url_https": media_url},
                        },
                    },
                },
            }
        ],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def _post_dm(client: Any, media_url: str) -> Message:
    body = _dm_activity(media_url)
    headers = {"x-twitter-webhooks-signature": x_signature(body, "consumer-secret")}
    post_committed(client, "/social/x/webhook", body, headers)
    run_worker()
    return Message.objects.get(external_id="dm:1800000000000000001")


@pytest.fixture
def x_webhook(fake_x: FakeX) -> XAccount:
    return XAccount.objects.create(handle="muscat", user_id=ACCOUNT_ID)


def test_it_fetches_x_dm_media_signed_as_the_account(
    client: Any, fake_x: FakeX, x_webhook: XAccount
) -> None:
    fake_x.add_user(CITIZEN, "said_om", "سعيد")
    url = fake_x.dm_media_url("1800000000000000001/99/leak.jpg", jpeg_bytes())
    message = _post_dm(client, url)
    assert message.attachments.count() == 1
    assert message.conversation.contact.name == "سعيد"  # looked up: the delivery named no user


def test_it_keeps_the_dm_media_link_when_x_refuses_the_signature(
    client: Any, fake_x: FakeX, x_webhook: XAccount
) -> None:
    fake_x.credentials = ("another-consumer-secret", "access-secret")
    url = fake_x.dm_media_url("1800000000000000001/99/leak.jpg", jpeg_bytes())
    message = _post_dm(client, url)
    assert not message.attachments.exists()
    assert url in message.text
    assert "401" in message.text
