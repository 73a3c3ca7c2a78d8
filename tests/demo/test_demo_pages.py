"""Every ticket page renders for its demo user on the demo organisation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from demo.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.models import Category, Contact, Ticket
from helpdesk.roles import SYSTEM
from helpdesk.services.tickets import ticket_create

PAGES = {
    "agent": ["/tickets/new/", "/tickets/"],
    "dispatcher": ["/dispatch/", "/tickets/", "/tickets/new/"],
    "section": ["/section/", "/tickets/"],
    "partner": ["/partner/", "/tickets/"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", list(PAGES))
def test_it_renders_the_ticket_pages_for_each_demo_role(username: str) -> None:
    call_command("demo_setup", stdout=StringIO())
    ticket = ticket_create(
        actor=SYSTEM,
        contact=Contact.objects.create(phone="+96891234567"),
        channel="phone",
        category=Category.objects.first(),
        subject="Demo",
        description="Demo case",
    )
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    for path in PAGES[username]:
        assert client.get(path).status_code == 200, path
    visible = username in ("agent", "dispatcher")
    assert client.get(f"/tickets/{ticket.pk}/").status_code == (200 if visible else 404)
    assert Ticket.objects.count() == 1
