"""The console and supervisor pages: who may open them, and what the wallboard says."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from helpdesk.models import CannedReply, OrganisationSettings
from tests.support.factories import make_agent, make_staff, make_waiting

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_the_console_to_an_agent_in_arabic_right_to_left(org) -> None:
    response = _client(make_agent()).get("/console/", headers={"accept-language": "ar"})
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    assert "console-config" in response.content.decode()


def test_it_refuses_the_console_to_a_dispatcher(org) -> None:
    assert _client(make_staff("dispatcher")).get("/console/").status_code == 403


def test_it_refuses_the_supervisor_page_to_an_agent(org) -> None:
    assert _client(make_agent()).get("/supervisor/").status_code == 403


def test_the_wallboard_counts_waiting_and_agents(org) -> None:
    make_agent(display_name="Aisha")
    make_waiting()
    make_waiting()
    board = _client(make_staff("supervisor")).get("/supervisor/wallboard.json").json()
    assert board["waiting"] == 2
    assert any(a["name"] == "Aisha" and a["presence"] == "available" for a in board["agents"])


def test_a_supervisor_reassigns_from_the_wallboard(org) -> None:
    agent = make_agent()
    waiting = make_waiting()
    response = _client(make_staff("supervisor")).post(
        "/supervisor/reassign/", {"conversation": str(waiting.public_id), "agent": agent.pk}
    )
    assert response.json() == {"ok": True}
    waiting.refresh_from_db()
    assert waiting.assignee_id == agent.pk


def test_a_supervisor_turns_picking_off(org) -> None:
    _client(make_staff("supervisor")).post("/supervisor/pick/", {"allowed": "0"})
    assert OrganisationSettings.load().agents_may_pick is False


def test_demo_setup_seeds_bilingual_canned_replies(db) -> None:
    call_command("demo_setup", stdout=StringIO())
    greeting = CannedReply.objects.get(code="greeting")
    assert "{name}" in greeting.text_ar and "{name}" in greeting.text_en
