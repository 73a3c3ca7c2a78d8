"""A ticket's timeline reads in words in Arabic and English, never in the wire's codes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from helpdesk.media import image_store
from helpdesk.models import Role, SenderKind
from helpdesk.services import distributor
from helpdesk.services.console import conversation_ticket_create
from helpdesk.services.conversations import message_append
from tests.support.factories import Org, client_for, make_agent, make_staff, make_waiting
from tests.support.images import png_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Codes that no label contains, in either language.
RAW_CODES = re.compile(
    r"\b(webchat|citizen_ended|connection_lost|agent_closed|offer_expired|assistant:\w+|"
    r"image/png)\b"
)
# In Arabic, the codes that are English words must not show either.
RAW_WORDS = re.compile(r"\b(opened|offered|assigned|queued|requeued|before|after|system|closed)\b")


def _timeline(html: str) -> str:
    section = html[html.index('class="timeline"') :]
    return re.sub(r"<[^>]+>", " ", section[: section.index("</ol>")])


@pytest.mark.parametrize("language", ["ar", "en"])
def test_it_writes_the_timeline_in_words(org: Org, language: str) -> None:
    agent = make_agent()
    conversation = make_waiting()
    for event, data in (
        ("opened", {"channel": "webchat"}),
        ("queued", {"reason": "assistant:citizen_asked"}),
    ):
        message_append(
            conversation_id=conversation.pk,
            sender_kind=SenderKind.SYSTEM,
            channel="webchat",
            event=event,
            data=data,
        )
    distributor.conversation_pick(user=agent, conversation=conversation)
    ticket = conversation_ticket_create(
        user=agent,
        conversation=str(conversation.public_id),
        fields={"category": org.pothole.code, "description": "حفرة", "subject": "حفرة"},
    )
    image_store(png_bytes(), filename="photo.png", purpose="before", ticket=ticket)
    dispatcher = make_staff(Role.DISPATCHER)
    page = client_for(dispatcher).get(
        reverse("ticket_detail", args=[ticket.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert page.status_code == 200
    shown = _timeline(page.content.decode())
    assert not RAW_CODES.search(shown), RAW_CODES.search(shown)
    if language == "ar":
        assert not RAW_WORDS.search(shown.lower()), RAW_WORDS.search(shown.lower())
        assert "←" in shown and "→" not in shown
