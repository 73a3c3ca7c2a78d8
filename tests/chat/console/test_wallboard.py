"""The wallboard's figures: thresholds from the organisation settings, service level, hours."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from helpdesk.models import OrganisationSettings, Role
from helpdesk.selectors.queue import wallboard, wallboard_hours
from tests.support.factories import make_staff, make_waiting

pytestmark = pytest.mark.django_db


def _waiting_for(seconds: int) -> Any:
    return make_waiting(queued_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_it_turns_the_waits_amber_then_red_at_the_administrators_thresholds() -> None:
    org = OrganisationSettings.load()
    org.waiting_warning, org.waiting_alarm = 2, 3
    org.longest_wait_warning_seconds, org.longest_wait_alarm_seconds = 30, 90
    org.save()
    _waiting_for(10)
    board = wallboard()
    assert (board["waiting_level"], board["longest_wait_level"]) == ("ok", "ok")
    _waiting_for(45)
    board = wallboard()
    assert (board["waiting_level"], board["longest_wait_level"]) == ("warning", "warning")
    _waiting_for(120)
    board = wallboard()
    assert (board["waiting_level"], board["longest_wait_level"]) == ("alarm", "alarm")


def test_an_amber_threshold_above_the_red_one_is_refused() -> None:
    org = OrganisationSettings.load()
    org.waiting_warning, org.waiting_alarm = 9, 3
    with pytest.raises(ValidationError) as raised:
        org.full_clean()
    assert "waiting_warning" in raised.value.message_dict


def test_the_service_level_counts_answers_within_20_seconds_today() -> None:
    quick = _waiting_for(60)
    quick.assigned_at, quick.state = quick.queued_at + datetime.timedelta(seconds=12), "assigned"
    quick.save()
    slow = _waiting_for(60)
    slow.assigned_at, slow.state = slow.queued_at + datetime.timedelta(seconds=40), "assigned"
    slow.save()
    _waiting_for(5)
    level = wallboard()["service_level"]
    assert (level["queued"], level["within"], level["percent"]) == (3, 1, 33.3)


def test_the_hours_count_arrivals_and_answers() -> None:
    answered = _waiting_for(30)
    answered.assigned_at, answered.state = timezone.now(), "assigned"
    answered.save()
    _waiting_for(10)
    hours = wallboard_hours(now=timezone.now())
    assert len(hours["hours"]) == 8
    assert hours["arrived"][-1] == 2
    assert hours["answered"][-1] == 1
    assert sum(hours["arrived"][:-1]) == 0


@pytest.mark.parametrize(
    ("language", "expected"), [("ar", "المحادثة عبر الموقع"), ("en", "Web chat")]
)
def test_the_wallboard_reads_labels_not_codes(language: str, expected: str) -> None:
    _waiting_for(10)
    client = Client(headers={"accept-language": language})
    client.force_login(make_staff(Role.SUPERVISOR))
    board = client.get("/supervisor/wallboard.json").json()
    (row,) = board["queue"]
    assert row["channel_label"] == expected
    assert row["state_label"] != "queued"
    assert all(p["label"] != p["presence"] for p in board["by_presence"])
    assert "<svg" in board["pictures"]["gauge"] and "<svg" in board["pictures"]["hours"]


def test_an_agent_cannot_read_the_wallboard() -> None:
    client = Client()
    client.force_login(make_staff(Role.AGENT))
    assert client.get("/supervisor/wallboard.json").status_code == 403
