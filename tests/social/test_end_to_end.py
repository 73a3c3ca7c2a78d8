"""Simulated mention and Messenger message: into the live queue, and the answers back out."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.core.management import call_command

from helpdesk.models import (
    Conversation,
    ConversationState,
    Message,
    Notification,
    NotificationStatus,
)
from helpdesk.processes import registered_jobs
from helpdesk.services.conversations import message_post
from social.jobs import _no_account_hint
from social.models import FacebookPage, XAccount
from tests.support.factories import make_staff
from tests.support.social_platforms import PAGE_ID, FakeGraph, FakeX, run_worker


@pytest.mark.django_db(transaction=True)
def test_it_carries_simulated_social_contacts_through_the_queue_and_back(
    fake_x: FakeX, fake_graph: FakeGraph, x_account: XAccount, fb_page: FacebookPage
) -> None:
    call_command(
        "social_simulate", "mention", "--user-id", "2000000000000000009", "--text", "حفرة خطيرة"
    )
    call_command(
        "social_simulate", "messenger", "--user-id", "6100000000000009", "--text", "تسرب مياه"
    )

    queued = {c.channel: c for c in Conversation.objects.filter(state=ConversationState.QUEUED)}
    assert set(queued) == {"x", "facebook"}
    mention = queued["x"].messages.get(sender_kind="citizen")
    assert mention.text == "@muscat حفرة خطيرة"
    assert queued["facebook"].messages.get(sender_kind="citizen").text == "تسرب مياه"

    agent = make_staff("agent")
    for conversation in queued.values():
        message_post(
            conversation=conversation, sender_kind="agent", text="شكراً، سجلنا بلاغك", user=agent
        )
    run_worker()

    [tweet] = fake_x.calls("POST", "/2/tweets")
    assert tweet.json()["reply"] == {
        "in_reply_to_tweet_id": mention.external_id.removeprefix("tweet:")
    }
    [send] = fake_graph.calls("POST", f"/v25.0/{PAGE_ID}/messages")
    assert json.loads(send.form()["recipient"]) == {"id": "6100000000000009"}
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2
    assert not Message.objects.filter(event="delivery_failed").exists()


def test_it_simulates_a_dm_and_a_comment_through_the_same_parsers(db: None) -> None:
    call_command("social_simulate", "dm", "--text", "رسالة خاصة")
    call_command("social_simulate", "comment", "--text", "تعليق")
    threads = sorted(Conversation.objects.values_list("external_thread_id", flat=True))
    assert threads[0].startswith("dm:") and threads[1].startswith("post:")


def test_it_polls_without_accounts_and_says_so(db: None, caplog: Any) -> None:
    _no_account_hint.cache_clear()  # said once per process, maybe already in this one
    with caplog.at_level(logging.INFO, logger="social.jobs"):
        call_command("scheduler", "--once", "--job", "social.x_poll")
    assert "no active X account" in caplog.text


def test_it_gives_the_scheduler_the_polls_and_the_sweep() -> None:
    names = {job.name for job in registered_jobs()}
    assert {"social.x_poll", "social.inbox_sweep"} <= names


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        ("mention", ConversationState.QUEUED),
        ("comment", ConversationState.QUEUED),
        ("dm", ConversationState.BOT),
        ("messenger", ConversationState.BOT),
    ],
)
def test_it_lets_the_assistant_take_private_messages_but_not_public_posts(
    db: None, kind: str, state: str
) -> None:
    from bots.services import channel_settings_ensure

    channel_settings_ensure()
    call_command("social_simulate", kind)
    assert Conversation.objects.get().state == state
