"""SMS per destination number: a typed-in number is not texted without end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from helpdesk.models import Notification
from helpdesk.services.notifications import SMS_PER_NUMBER
from helpdesk.services.tickets import ticket_dispatch
from tests.support.factories import Org, actor, make_contact, make_staff, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def sms_to(number: str) -> int:
    return Notification.objects.filter(channel="sms", recipient=number).count()


def test_it_stops_texting_a_number_after_its_daily_share(org: Org) -> None:
    victim = make_contact(phone="+96891234567")
    for _ in range(SMS_PER_NUMBER.count + 3):
        make_ticket(org, contact=victim, channel="web")  # reports typed with her number
    assert sms_to("+96891234567") == SMS_PER_NUMBER.count


def test_an_honest_citizen_with_three_tickets_a_day_gets_every_sms(org: Org) -> None:
    citizen = make_contact(phone="+96892223333")
    dispatcher = actor(make_staff("dispatcher"))
    for _ in range(3):
        ticket = make_ticket(org, contact=citizen)
        ticket_dispatch(ticket=ticket, actor=dispatcher)
    assert sms_to("+96892223333") == 6
